import { checkActivity } from '../../../src/bot/activity-guard';

const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const personal = { channelId: 'msteams', conversation: { id: 'a:1', conversationType: 'personal', tenantId: TENANT, isGroup: false, name: '' } };

describe('checkActivity', () => {
  const production = { tenantId: TENANT, teamsOnly: true };

  it.each([
    ['a 1:1 Teams chat of the tenant', personal, 'ok'],
    [
      'the tenant given only in channelData',
      { ...personal, conversation: { ...personal.conversation, tenantId: undefined }, channelData: { tenant: { id: TENANT.toUpperCase() } } },
      'ok',
    ],
    ['another tenant', { ...personal, conversation: { ...personal.conversation, tenantId: '00000000-0000-4000-8000-000000000000' } }, 'wrong_tenant'],
    ['no tenant at all', { ...personal, conversation: { ...personal.conversation, tenantId: undefined } }, 'wrong_tenant'],
    ['another channel', { ...personal, channelId: 'webchat' }, 'wrong_channel'],
    ['a group chat', { ...personal, conversation: { ...personal.conversation, conversationType: 'groupChat', isGroup: true } }, 'not_personal'],
    ['a team channel', { ...personal, conversation: { ...personal.conversation, conversationType: 'channel' } }, 'not_personal'],
  ])('production: %s → %s', (_name, activity, verdict) => {
    expect(checkActivity(activity, production)).toBe(verdict);
  });

  it('demo mode accepts any tenant and channel but still only 1:1 chats', () => {
    const demo = { tenantId: '', teamsOnly: false };
    expect(checkActivity({ ...personal, channelId: 'emulator', conversation: { ...personal.conversation, tenantId: 'x' } }, demo)).toBe('ok');
    expect(checkActivity({ ...personal, conversation: { ...personal.conversation, conversationType: 'groupChat' } }, demo)).toBe('not_personal');
  });
});
