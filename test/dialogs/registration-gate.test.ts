import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { UNREADABLE_METHOD_KIND, type AuthMethodSummary } from '../../src/directory/phone-directory';
import { decideGate } from '../../src/dialogs/registration-gate';
import { cardText, inputOf } from '../support/card-helpers';
import { DialogHarness, USER_ID } from '../support/dialog-harness';

const MOBILE = { phoneType: 'mobile' as const, phoneNumber: '+81 9012345678' };
const PORTAL = 'https://mysignins.microsoft.com/security-info';
const UNREADABLE: AuthMethodSummary = { id: '', kind: UNREADABLE_METHOD_KIND };
// Graph beta's kind for a hardware OATH token (v1.0's method list leaves them out).
const HARDWARE_TOKEN: AuthMethodSummary = { id: 'hw-1', kind: 'hardwareOathAuthenticationMethod' };

describe('decideGate', () => {
  it.each([
    [[], 'open'],
    [[{ id: 'p', kind: 'passwordAuthenticationMethod' }], 'open'],
    [
      [
        { id: 'p', kind: 'passwordAuthenticationMethod' },
        { id: 'e', kind: 'emailAuthenticationMethod' },
      ],
      'open',
    ],
    [
      [
        { id: 'p', kind: 'passwordAuthenticationMethod' },
        { id: 'm', kind: 'phoneAuthenticationMethod' },
      ],
      'step_up',
    ],
    [
      [
        { id: 'm', kind: 'phoneAuthenticationMethod' },
        { id: 'a', kind: 'microsoftAuthenticatorAuthenticationMethod' },
      ],
      'step_up',
    ],
    [[{ id: 'a', kind: 'microsoftAuthenticatorAuthenticationMethod' }], 'portal'],
    [[{ id: 'f', kind: 'fido2AuthenticationMethod' }], 'portal'],
    [[{ id: 't', kind: 'temporaryAccessPassAuthenticationMethod' }], 'portal'],
    [[{ id: 'p', kind: 'passwordAuthenticationMethod' }, UNREADABLE], 'portal'],
    [[{ id: 'm', kind: 'phoneAuthenticationMethod' }, UNREADABLE], 'step_up'],
    [[{ id: 'p', kind: 'passwordAuthenticationMethod' }, HARDWARE_TOKEN], 'portal'],
  ])('%j → %s', (methods, decision) => {
    expect(decideGate(methods)).toBe(decision);
  });

  it.each([
    [[], 'portal_first_phone'],
    [[{ id: 'p', kind: 'passwordAuthenticationMethod' }], 'portal_first_phone'],
    [[{ id: 'm', kind: 'phoneAuthenticationMethod' }], 'step_up'],
    [[{ id: 'a', kind: 'microsoftAuthenticatorAuthenticationMethod' }], 'portal'],
  ])('with FIRST_PHONE_POLICY=portal: %j → %s', (methods, decision) => {
    expect(decideGate(methods, 'portal')).toBe(decision);
  });
});

describe('registration gate: methods the bot cannot read or see', () => {
  it('counts an unreadable entry as a method it cannot check: the portal, with no write', async () => {
    const h = new DialogHarness({ otherMethods: { [USER_ID]: [UNREADABLE] } });
    const replies = await h.say('add phone');
    expect(replies.map((r) => r.text).join('\n')).toContain(PORTAL);
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeUndefined();
    expect(h.log).toMatch(/"audit":true,"action":"gate".*"result":"portal"/);
  });

  it('asks for the step-up when an unreadable entry sits beside a registered phone', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] }, otherMethods: { [USER_ID]: [UNREADABLE] } });
    await h.say('add phone');
    expect(cardText(h.lastCard().card)).toContain("First, confirm it's you");
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeUndefined();
  });

  it('does not treat a user whose only second factor is a hardware token as unprotected', async () => {
    const directory = new DemoPhoneDirectory({}, { [USER_ID]: [HARDWARE_TOKEN] });
    const h = new DialogHarness({ directory });
    const replies = await h.say('add phone');
    expect(replies.map((r) => r.text).join('\n')).toContain(PORTAL);
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeUndefined();
    expect(h.log).toMatch(/"audit":true,"action":"gate".*"result":"portal"/);
  });
});

describe('FIRST_PHONE_POLICY', () => {
  it('portal: walks a user with no MFA method through the portal instead of offering a first phone', async () => {
    const h = new DialogHarness({ env: { FIRST_PHONE_POLICY: 'portal' } });
    const replies = await h.say('add phone');
    expect(replies.map((r) => r.text).join('\n')).toContain(
      `Your organization asks you to register your first sign-in method on the Security info page: ${PORTAL}`,
    );
    const guided = cardText(h.lastCard().card);
    expect(guided).toContain('Your organization asks you to register your first sign-in method on the Security info page itself');
    expect(guided).toContain('Have you registered any MFA information before?');
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeUndefined();
    expect(h.log).toMatch(/"audit":true,"action":"gate".*"result":"portal_first_phone"/);
  });

  it('portal: says so in Japanese too', async () => {
    const h = new DialogHarness({ locale: 'ja-JP', env: { FIRST_PHONE_POLICY: 'portal' } });
    const replies = await h.say('add phone');
    expect(replies.map((r) => r.text).join('\n')).toContain('組織の方針により、最初のサインイン方法はセキュリティ情報のページで登録してください');
  });

  it('portal: still lets a user with a registered phone step up and add another in the chat', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] }, env: { FIRST_PHONE_POLICY: 'portal' } });
    await h.say('add phone');
    await h.stepUpBySms();
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeDefined();
  });

  it('allow (the default): a user with no MFA method gets the type card', async () => {
    const h = new DialogHarness({ env: { FIRST_PHONE_POLICY: 'allow' } });
    await h.say('add phone');
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeDefined();
  });
});

describe('registration gate in the conversation', () => {
  it('lets a user with no MFA method register a first phone straight away', async () => {
    const h = new DialogHarness();
    await h.say('add phone');
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeDefined();
    expect(h.log).toMatch(/"audit":true,"action":"gate".*"result":"open"/);
  });

  it('asks a user with a registered phone to prove it first, then lets them add another', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] } });
    await h.say('add phone');
    const stepUp = cardText(h.lastCard().card);
    expect(stepUp).toContain("First, confirm it's you");
    expect(stepUp).toContain('Phone: +81 XXXXXX5678');
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeUndefined();
    await h.stepUpBySms();
    expect(h.delivery.sms[0]?.to).toBe('+819012345678');
    expect(h.log).toMatch(/"audit":true,"action":"step_up".*"result":"success"/);

    await h.press(h.lastCard(), 'type.next', { phoneType: 'office' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '092-802-2111' });
    await h.press(h.lastCard(), 'method.call');
    await h.press(h.lastCard(), 'call.start');
    const call = h.delivery.calls[0]!;
    await h.callOutcome(call.callId, { kind: 'digits', digits: call.code });
    expect(cardText(h.lastCard().card)).toContain('Your phone is registered');
    expect((await h.directory.listPhoneMethods(USER_ID)).map((m) => m.phoneType).sort()).toEqual(['mobile', 'office']);
  });

  it('checks a registered office phone with an extension by calling its main number, as Entra does (never the extension)', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [{ phoneType: 'office', phoneNumber: '+81 928022111x1234' }] } });
    await h.say('add phone');
    const card = h.lastCard();
    await h.press(card, 'stepUp.next', { methodId: inputOf(card.card, 'methodId')!.choices![0]!.value });
    await h.press(h.lastCard(), 'method.call');
    await h.press(h.lastCard(), 'call.start');
    const call = h.delivery.calls[0]!;
    expect(call.to).toBe('+81928022111');
    await h.callOutcome(call.callId, { kind: 'digits', digits: call.code });
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeDefined();
  });

  it('does not register anything when the step-up code is wrong', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] } });
    await h.say('add phone');
    const card = h.lastCard();
    await h.press(card, 'stepUp.next', { methodId: inputOf(card.card, 'methodId')!.choices![0]!.value });
    await h.press(h.lastCard(), 'method.sms');
    const wrong = h.delivery.lastSmsCode() === '000000' ? '111111' : '000000';
    await h.press(h.lastCard(), 'code.verify', { code: wrong });
    expect(cardText(h.lastCard().card)).toContain('That code is not right');
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeUndefined();
  });

  it('keeps the step-up for 10 minutes in the conversation, then asks again', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] } });
    await h.say('add phone');
    await h.stepUpBySms();
    await h.say('cancel');
    h.clock.advance(9 * 60_000);
    await h.say('add phone');
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeDefined();
    await h.say('cancel');
    h.clock.advance(2 * 60_000);
    await h.say('add phone');
    expect(cardText(h.lastCard().card)).toContain("First, confirm it's you");
  });

  it("ignores a method id in the step-up submit that is not one of the user's phones", async () => {
    const h = new DialogHarness({
      seed: { [USER_ID]: [MOBILE], '00000000-0000-4000-8000-0000000000b0': [{ phoneType: 'mobile', phoneNumber: '+81 8099998888' }] },
    });
    await h.say('add phone');
    await h.press(h.lastCard(), 'stepUp.next', { methodId: 'not-a-method-of-this-user' });
    expect(cardText(h.lastCard().card)).toContain('Choose one of your registered phones.');
    expect(h.delivery.sms).toHaveLength(0);
  });

  it('sends a user whose methods the bot cannot check to the portal, with no write', async () => {
    const h = new DialogHarness({ otherMethods: { [USER_ID]: [{ id: 'a1', kind: 'microsoftAuthenticatorAuthenticationMethod' }] } });
    const replies = await h.say('add phone');
    expect(replies.map((r) => r.text).join('\n')).toContain('https://mysignins.microsoft.com/security-info');
    expect(h.log).toMatch(/"audit":true,"action":"gate".*"result":"portal"/);
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(0);
  });
});
