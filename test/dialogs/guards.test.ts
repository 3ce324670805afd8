import type { PhoneDirectory } from '../../src/directory/phone-directory';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { cardOf, cardText } from '../support/card-helpers';
import { DialogHarness, TENANT_ID, USER_ID } from '../support/dialog-harness';

const BOT_APP_ID = '6f1c1d5e-2b7a-4c58-9c0e-1d2e3f4a5b6c';
const PRODUCTION = {
  NODE_ENV: 'production',
  MICROSOFT_APP_ID: BOT_APP_ID,
  MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
  MICROSOFT_APP_TENANT_ID: TENANT_ID,
  VERIFICATION_SECRET: 'v'.repeat(40),
  ACS_CONNECTION_STRING: 'endpoint=https://contoso.communication.azure.com/;accesskey=bm90LWEtcmVhbC1rZXk=',
  ACS_SMS_FROM: '+18005550100',
  ACS_CALLER_ID: '+18005550101',
  ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
  PUBLIC_BASE_URL: 'https://bot.example.test',
};

/** A directory that fails the test if the bot touches it. */
class UntouchableDirectory implements PhoneDirectory {
  calls = 0;
  async listPhoneMethods(): Promise<never> {
    this.calls += 1;
    throw new Error('directory must not be called');
  }
  async addPhoneMethod(): Promise<never> {
    this.calls += 1;
    throw new Error('directory must not be called');
  }
  async listAuthenticationMethods(): Promise<never> {
    this.calls += 1;
    throw new Error('directory must not be called');
  }
  async updatePhoneMethod(): Promise<never> {
    this.calls += 1;
    throw new Error('directory must not be called');
  }
  async deletePhoneMethod(): Promise<never> {
    this.calls += 1;
    throw new Error('directory must not be called');
  }
  async isGroupMember(): Promise<never> {
    this.calls += 1;
    throw new Error('directory must not be called');
  }
}

describe('who and where the bot serves', () => {
  it('refuses another tenant politely, with no directory call', async () => {
    const directory = new UntouchableDirectory();
    const h = new DialogHarness({ env: PRODUCTION, directory });
    const replies = await h.turn({
      type: 'message',
      text: 'add phone',
      conversation: { id: 'a:x', conversationType: 'personal', tenantId: '00000000-0000-4000-8000-000000000bad', isGroup: false, name: '' },
    });
    expect(replies.map((r) => r.text)).toEqual(["Sorry, this bot serves only its own organization. Please use your organization's Security info page."]);
    expect(directory.calls).toBe(0);
  });

  it('answers in a group chat that it works 1:1, with a link to open one, and shows no phone data', async () => {
    const directory = new UntouchableDirectory();
    const h = new DialogHarness({ env: PRODUCTION, directory });
    const replies = await h.turn({
      type: 'message',
      text: 'my phones',
      conversation: { id: '19:group', conversationType: 'groupChat', tenantId: TENANT_ID, isGroup: true, name: '' },
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain(`https://teams.microsoft.com/l/chat/0/0?users=28:${BOT_APP_ID}`);
    expect(cardOf(replies[0])).toBeUndefined();
    expect(directory.calls).toBe(0);
  });

  it('ignores other channels in production', async () => {
    const directory = new UntouchableDirectory();
    const h = new DialogHarness({ env: PRODUCTION, directory });
    expect(await h.turn({ type: 'message', text: 'hi', channelId: 'webchat' })).toHaveLength(0);
    expect(directory.calls).toBe(0);
  });

  it('acts on the sender of the activity only, whatever ids or numbers the card data carries', async () => {
    const other = '00000000-0000-4000-8000-0000000000b0';
    const directory = new DemoPhoneDirectory({ [other]: [{ phoneType: 'mobile', phoneNumber: '+81 8099998888' }] });
    const h = new DialogHarness({ directory });
    await h.say('add phone');
    const card = h.lastCard();
    // A tampered submit naming another user and a number is answered for the sender, not for "other".
    await h.turn({
      type: 'message',
      replyToId: card.id,
      value: {
        action: 'type.next',
        nonce: card.card.actions![0]!.data!.nonce,
        phoneType: 'mobile',
        userId: other,
        aadObjectId: other,
        number: '+81 8011112222',
      },
    });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
    await h.press(h.lastCard(), 'method.sms');
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode(), userId: other });
    expect(await directory.listPhoneMethods(USER_ID)).toEqual([expect.objectContaining({ phoneNumber: '+81 9012345678' })]);
    expect(await directory.listPhoneMethods(other)).toEqual([expect.objectContaining({ phoneNumber: '+81 8099998888' })]);
    expect(cardText(h.lastCard().card)).toContain('Your phone is registered');
  });
});
