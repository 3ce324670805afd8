import { parseLinksConfig } from '../../../tools/teams-app/links-config';

const ENV = {
  PUBLIC_BASE_URL: 'https://mfa-bot.contoso.example',
  MICROSOFT_APP_ID: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
  TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
};

describe('parseLinksConfig', () => {
  it('reads the required ids and the optional tenant and helpdesk contact', () => {
    expect(parseLinksConfig({ ...ENV, MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47', HELPDESK_CONTACT: 'it@contoso.example' })).toEqual({
      ok: true,
      config: {
        publicBaseUrl: ENV.PUBLIC_BASE_URL,
        botAppId: ENV.MICROSOFT_APP_ID,
        teamsAppId: ENV.TEAMS_APP_ID,
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        helpdeskContact: 'it@contoso.example',
      },
    });
  });

  it('reads the optional catalog app id', () => {
    const result = parseLinksConfig({ ...ENV, TEAMS_CATALOG_APP_ID: '876df28f-2e78-423b-94a5-44181bd0e225' });
    expect(result.ok && result.config.catalogAppId).toBe('876df28f-2e78-423b-94a5-44181bd0e225');
  });

  it('leaves the optional settings out when blank', () => {
    expect(parseLinksConfig({ ...ENV, MICROSOFT_APP_TENANT_ID: '', HELPDESK_CONTACT: ' ', TEAMS_CATALOG_APP_ID: '' })).toEqual({
      ok: true,
      config: { publicBaseUrl: ENV.PUBLIC_BASE_URL, botAppId: ENV.MICROSOFT_APP_ID, teamsAppId: ENV.TEAMS_APP_ID },
    });
  });

  it('lists every problem at once', () => {
    const result = parseLinksConfig({ MICROSOFT_APP_TENANT_ID: 'contoso' });
    expect(result.ok ? [] : result.problems.map((p) => p.split(':')[0])).toEqual([
      'PUBLIC_BASE_URL is missing',
      'MICROSOFT_APP_ID is missing',
      'TEAMS_APP_ID is missing',
      'MICROSOFT_APP_TENANT_ID is not a GUID',
    ]);
  });
});
