import { StaticPolicyReader } from '../../src/policy/static-policy-reader';
import { actionOf, cardOf, cardText, inputOf } from '../support/card-helpers';
import { DialogHarness } from '../support/dialog-harness';

async function toMethodCard(h: DialogHarness, type = 'mobile', number = '090-1234-5678'): Promise<void> {
  await h.say('add phone');
  await h.press(h.lastCard(), 'type.next', { phoneType: type });
  await h.press(h.lastCard(), 'number.next', { region: 'JP', number });
}

describe('tenant policy in the conversation', () => {
  it('does not offer "Receive a code" where the tenant disabled SMS', async () => {
    const h = new DialogHarness({ policy: new StaticPolicyReader({ smsEnabled: false }) });
    await toMethodCard(h);
    expect(actionOf(h.lastCard().card, 'method.sms')).toBeUndefined();
    expect(actionOf(h.lastCard().card, 'method.call')).toBeDefined();
  });

  it('does not offer "Call me" where the tenant disabled voice', async () => {
    const h = new DialogHarness({ policy: new StaticPolicyReader({ voiceEnabled: false }) });
    await toMethodCard(h);
    expect(actionOf(h.lastCard().card, 'method.call')).toBeUndefined();
    const replies = await h.turn({
      type: 'message',
      replyToId: h.lastCard().id,
      value: { action: 'method.call', nonce: actionOf(h.lastCard().card, 'method.sms')!.data!.nonce },
    });
    expect(replies.map((r) => r.text)).toEqual(['Please answer with the card above, or type "cancel" to stop.']);
    expect(h.delivery.calls).toHaveLength(0);
  });

  it('does not offer Office phone where isOfficePhoneAllowed is false', async () => {
    const h = new DialogHarness({ policy: new StaticPolicyReader({ officePhoneAllowed: false }) });
    await h.say('add phone');
    expect(inputOf(h.lastCard().card, 'phoneType')?.choices?.map((c) => c.value)).toEqual(['mobile', 'alternateMobile']);
    await h.press(h.lastCard(), 'type.next', { phoneType: 'office' });
    expect(cardText(h.lastCard().card)).toContain('Your organization does not allow Office phone for sign-in.');
  });

  it('says so and points to stronger methods when phones are off entirely', async () => {
    const h = new DialogHarness({ policy: new StaticPolicyReader({ smsEnabled: false, voiceEnabled: false }) });
    const replies = await h.say('add phone');
    expect(replies.map((r) => r.text).join('\n')).toContain('Your organization does not allow phones for sign-in');
    expect(replies.map((r) => r.text).join('\n')).toContain('passkey or the Microsoft Authenticator app');
  });
});

describe("Microsoft's phone MFA retirement (1 February 2027)", () => {
  it('shows a short notice on the welcome card before the date', async () => {
    const h = new DialogHarness();
    const [welcome] = await h.say('hi');
    expect(cardText(cardOf(welcome))).toContain(
      'From February 1, 2027, Microsoft stops delivering sign-in and password-reset codes by text message and voice call itself',
    );
  });

  it('shows the date in Japanese for Japanese users', async () => {
    const h = new DialogHarness({ locale: 'ja-JP' });
    const [welcome] = await h.say('こんにちは');
    expect(cardText(cardOf(welcome))).toContain('2027年2月1日以降');
  });

  it('after the date without a provider, explains a phone would not work and does not register', async () => {
    const h = new DialogHarness();
    h.clock.advance(70 * 24 * 3600_000);
    const replies = await h.say('add phone');
    const text = replies.map((r) => r.text).join('\n');
    expect(text).toContain('a phone would not work for sign-in');
    expect(text).toContain('passkey or the Microsoft Authenticator app');
    expect(inputOf(h.lastCardOrNone(), 'phoneType')).toBeUndefined();
  });

  it('after the date with a provider configured, registers as usual and shows no notice', async () => {
    const h = new DialogHarness({ env: { TELEPHONY_PROVIDER_CONFIGURED: 'true' } });
    h.clock.advance(70 * 24 * 3600_000);
    const [welcome] = await h.say('hi');
    expect(cardText(cardOf(welcome))).not.toContain('2027');
    await h.say('add phone');
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeDefined();
  });
});
