import { parsePackageConfig } from '../../../tools/teams-app/package-config';
import { VALID_CONFIG, VALID_ENV } from './package-fixtures';

describe('parsePackageConfig', () => {
  it('reads a complete environment', () => {
    expect(parsePackageConfig(VALID_ENV, '0.1.0')).toEqual({ ok: true, config: VALID_CONFIG });
  });

  it('falls back to the default version when APP_VERSION is unset or blank', () => {
    for (const APP_VERSION of [undefined, '', '  ']) {
      const result = parsePackageConfig({ ...VALID_ENV, APP_VERSION }, '0.4.2');
      expect(result.ok && result.config.version).toBe('0.4.2');
    }
  });

  it('lists every missing variable at once, each with its fix', () => {
    const result = parsePackageConfig({}, '0.1.0');
    expect(result).toEqual({
      ok: false,
      problems: [
        'TEAMS_APP_ID is missing: set it to a new GUID (e.g. from `node -e "console.log(crypto.randomUUID())"`) and keep it for every later version of the app',
        "MICROSOFT_APP_ID is missing: set it to the Application (client) ID of the bot's Entra app (the Azure Bot's Microsoft App ID)",
        "PUBLIC_BASE_URL is missing: set it to the bot's public https address, e.g. https://bot.example.com",
        "PRIVACY_URL is missing: set it to your organization's privacy statement, e.g. https://example.com/privacy",
        "TERMS_URL is missing: set it to the app's terms of use, e.g. https://example.com/terms",
        'APP_DEVELOPER_NAME is missing: set it to the name users see as the publisher, e.g. "Contoso IT"',
        'APP_WEBSITE_URL is missing: set it to the support page for the app, e.g. https://example.com/it-help',
      ],
    });
  });

  it('treats blank values like missing ones', () => {
    const result = parsePackageConfig({ ...VALID_ENV, TEAMS_APP_ID: '  ', TERMS_URL: '' }, '0.1.0');
    expect(result.ok ? [] : result.problems.map((p) => p.split(':')[0])).toEqual(['TEAMS_APP_ID is missing', 'TERMS_URL is missing']);
  });

  it.each([
    ['TEAMS_APP_ID', 'not-a-guid', 'TEAMS_APP_ID is not a GUID'],
    ['MICROSOFT_APP_ID', '9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d', 'MICROSOFT_APP_ID is not a GUID'],
    ['PUBLIC_BASE_URL', 'http://mfa-bot.contoso.example', 'PUBLIC_BASE_URL is not an absolute https URL'],
    ['PUBLIC_BASE_URL', 'https://localhost:3978', 'PUBLIC_BASE_URL points to this machine'],
    ['PUBLIC_BASE_URL', 'https://127.0.0.1', 'PUBLIC_BASE_URL points to this machine'],
    ['PRIVACY_URL', 'contoso.example/privacy', 'PRIVACY_URL is not an absolute https URL'],
    ['TERMS_URL', 'https://contoso.example/terms?x=1', 'TERMS_URL is not an absolute https URL'],
    ['APP_WEBSITE_URL', 'ftp://contoso.example', 'APP_WEBSITE_URL is not an absolute https URL'],
    ['APP_DEVELOPER_NAME', 'x'.repeat(33), 'APP_DEVELOPER_NAME is longer than 32 characters'],
    ['APP_VERSION', '1.0', 'APP_VERSION is not MAJOR.MINOR.PATCH'],
    ['APP_VERSION', '1.0.0-beta.1', 'APP_VERSION is not MAJOR.MINOR.PATCH'],
  ])('rejects %s=%s', (name, value, expected) => {
    const result = parsePackageConfig({ ...VALID_ENV, [name]: value }, '0.1.0');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toContain(expected);
    }
  });

  it('reports bad values and missing ones together', () => {
    const result = parsePackageConfig({ TEAMS_APP_ID: 'x', PUBLIC_BASE_URL: 'http://localhost', APP_VERSION: 'v1' }, '0.1.0');
    expect(result.ok ? 0 : result.problems.length).toBe(8);
  });
});
