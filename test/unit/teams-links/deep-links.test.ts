import { chatDeepLink, installDeepLink, startInstallUrl, startUrl } from '../../../src/teams-links/deep-links';

const BOT = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const APP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('deep links', () => {
  it('opens a chat with the bot', () => {
    expect(chatDeepLink(BOT)).toBe(`https://teams.microsoft.com/l/chat/0/0?users=28:${BOT}`);
  });

  it.each([
    [TENANT, `https://teams.microsoft.com/l/app/${APP}?tenantId=${TENANT}`],
    [undefined, `https://teams.microsoft.com/l/app/${APP}`],
  ])('opens the install page (tenant %s)', (tenant, expected) => {
    expect(installDeepLink(APP, tenant)).toBe(expected);
  });

  it.each([
    ['https://bot.contoso.example', 'https://bot.contoso.example/start'],
    ['https://bot.contoso.example/', 'https://bot.contoso.example/start'],
    ['https://contoso.example/mfa-bot//', 'https://contoso.example/mfa-bot/start'],
  ])('short start link for %s', (base, expected) => {
    expect(startUrl(base)).toBe(expected);
    expect(startInstallUrl(base)).toBe(`${expected}?install=1`);
  });
});
