import { cardOf, cardText, inputOf } from '../support/card-helpers';
import { DialogHarness, USER_ID } from '../support/dialog-harness';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import type { PhoneMethod } from '../../src/directory/phone-directory';

/** Counts the phone list reads, to show which steps read the directory. */
class CountingDirectory extends DemoPhoneDirectory {
  listReads = 0;
  override async listPhoneMethods(userId: string): Promise<PhoneMethod[]> {
    this.listReads += 1;
    return super.listPhoneMethods(userId);
  }
}

/** Walks to the code card for a Japanese mobile and returns the harness. */
async function toCodeCard(h: DialogHarness, number = '090-1234-5678'): Promise<void> {
  await h.say('add phone');
  await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
  await h.press(h.lastCard(), 'number.next', { region: 'JP', number });
  await h.press(h.lastCard(), 'method.sms');
}

describe('add phone: welcome and type', () => {
  it('answers any message with a welcome card that lists masked phones and offers to add one', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [{ phoneType: 'mobile', phoneNumber: '+81 9012345678' }] } });
    const [reply] = await h.say('hello');
    const text = cardText(cardOf(reply));
    expect(text).toContain('Set up your phone for sign-in verification');
    expect(text).toContain('Phone: +81 XXXXXX5678');
    expect(text).not.toContain('9012345678');
    expect(text).toContain('Add a phone');
    expect(text).toContain('Demo mode: nothing is written to Entra ID');
  });

  it('welcomes a new user on install with the "no phone yet" text', async () => {
    const h = new DialogHarness();
    const replies = await h.turn({ type: 'conversationUpdate', membersAdded: [{ id: '29:user', name: 'User' }] });
    expect(cardText(cardOf(replies[0]))).toContain('You have no phone registered yet');
  });

  it("offers the three types with the guide's advice", async () => {
    const h = new DialogHarness();
    await h.say('add phone');
    const { card } = h.lastCard();
    const choices = inputOf(card, 'phoneType')?.choices?.map((c) => c.value);
    expect(choices).toEqual(['mobile', 'alternateMobile', 'office']);
    expect(cardText(card)).toContain('Home landline → Phone or Alternate phone');
  });

  it('shows a registered type as registered and does not offer it again', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [{ phoneType: 'mobile', phoneNumber: '+81 9012345678' }] } });
    await h.say('add phone');
    await h.stepUpBySms();
    const { card } = h.lastCard();
    expect(inputOf(card, 'phoneType')?.choices?.map((c) => c.value)).toEqual(['alternateMobile', 'office']);
    expect(cardText(card)).toContain('Already registered');
    expect(cardText(card)).toContain('Phone: +81 XXXXXX5678');
  });

  it('refuses a registered type even when a tampered submit sends it', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [{ phoneType: 'mobile', phoneNumber: '+81 9012345678' }] } });
    await h.say('add phone');
    await h.stepUpBySms();
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    expect(cardText(h.lastCard().card)).toContain('You already have a Phone registered');
  });

  it('refuses an alternate phone while no Phone exists, with the reason', async () => {
    const h = new DialogHarness();
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'alternateMobile' });
    const { card } = h.lastCard();
    expect(cardText(card)).toContain('An Alternate phone needs a Phone first');
    expect(inputOf(card, 'phoneType')).toBeDefined();
  });
});

describe('add phone: number', () => {
  it('shows the default region first and the frequent countries, then all, with localized names', async () => {
    const h = new DialogHarness({ locale: 'ja-JP' });
    await h.say('電話を追加');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    const region = inputOf(h.lastCard().card, 'region');
    expect(region?.value).toBe('JP');
    expect(region?.choices?.[0]).toEqual({ title: '日本 (+81)', value: 'JP' });
    expect(region?.choices?.length).toBeGreaterThan(200);
    expect(region?.choices?.map((c) => c.title)).toContain('アメリカ合衆国 (+1)');
  });

  it.each([
    ['０９０-１２３４-５６７８', '+81 XXXXXX5678'],
    ['+81 90 1234 5678', '+81 XXXXXX5678'],
    ['(090) 1234-5678', '+81 XXXXXX5678'],
  ])('accepts %s and shows it masked', async (typed, masked) => {
    const h = new DialogHarness();
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: typed });
    expect(cardText(h.lastCard().card)).toContain(`How should we check ${masked}?`);
  });

  it.each([
    ['0990-12-3456', 'Premium-rate numbers cannot be used'],
    ['050-1234-5678', 'Internet (VoIP/IP phone) numbers cannot be used'],
    ['0120-123-456', 'Toll-free numbers cannot be used'],
    ['0570-012-345', 'Universal access'],
    ['12345', 'too short'],
  ])('refuses %s with a specific message and keeps what was typed', async (typed, message) => {
    const h = new DialogHarness();
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: typed });
    const { card } = h.lastCard();
    expect(cardText(card)).toContain(message);
    expect(inputOf(card, 'number')?.value).toBe(typed);
    expect(h.delivery.sms).toHaveLength(0);
  });

  it.each<[string, Record<string, string>]>([
    ['typed after the number', { number: '092-802-2111 ext. 1234' }],
    ['typed with x', { number: '092-802-2111 x1234' }],
    ['typed in Japanese', { number: '092-802-2111 内線1234' }],
    ['sent in an extension field (an older card)', { number: '092-802-2111', extension: '1234' }],
  ])('refuses an office number with an extension %s: sign-in calls never dial it', async (_how, inputs) => {
    const h = new DialogHarness();
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'office' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', ...inputs });
    const { card } = h.lastCard();
    expect(cardText(card)).toContain('Sign-in calls cannot dial an extension (Microsoft removes it before calling)');
    expect(cardText(card)).toContain('Enter a direct line');
    expect(inputOf(card, 'number')?.value).toBe(inputs.number);
    expect(h.delivery.calls).toHaveLength(0);
    expect(await h.directory.listPhoneMethods(USER_ID)).toEqual([]);
  });

  it('refuses an extension in Japanese too', async () => {
    const h = new DialogHarness({ locale: 'ja-JP' });
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'office' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '092-802-2111 内線1234' });
    expect(cardText(h.lastCard().card)).toContain('サインインの電話は内線番号をダイヤルできないため');
  });

  it('shows no extension field for an office phone, says why, and registers its direct line by a call', async () => {
    const h = new DialogHarness();
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'office' });
    expect(inputOf(h.lastCard().card, 'extension')).toBeUndefined();
    expect(cardText(h.lastCard().card)).toContain('Sign-in calls cannot dial an extension');
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '092-802-2111' });
    const method = h.lastCard().card;
    expect(cardText(method)).not.toContain('Receive a code');
    expect(cardText(method)).toContain('Text messages are not available');
    await h.press(h.lastCard(), 'method.call');
    await h.press(h.lastCard(), 'call.start');
    const call = h.delivery.calls[0]!;
    await h.callOutcome(call.callId, { kind: 'digits', digits: call.code });
    expect(call.to).toBe('+81928022111');
    expect(await h.directory.listPhoneMethods(USER_ID)).toEqual([expect.objectContaining({ phoneType: 'office', phoneNumber: '+81 928022111' })]);
  });
});

describe('add phone: code by SMS', () => {
  it('registers the phone after the right code and confirms with the updated list', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    expect(h.delivery.sms[0]?.to).toBe('+819012345678');
    expect(h.delivery.sms[0]?.text).toMatch(/^\d{3} \d{3} is your sign-in verification code/);
    expect(cardText(h.lastCard().card)).toContain('We sent a 6-digit code by text message to +81 XXXXXX5678');
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    const done = cardText(h.lastCard().card);
    expect(done).toContain('Your phone is registered');
    expect(done).toContain('Phone: +81 XXXXXX5678');
    expect(done).toContain('Passkeys and the Microsoft Authenticator app are stronger');
    expect(await h.directory.listPhoneMethods(USER_ID)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 9012345678' })]);
  });

  it('shows a user without any method the type card from the gate read alone, and checks the choice against it', async () => {
    const directory = new CountingDirectory();
    const h = new DialogHarness({ directory });
    await h.say('add phone');
    expect(directory.listReads).toBe(0);
    expect(cardText(h.lastCard().card)).toContain('Type of phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    expect(cardText(h.lastCard().card)).toContain('Phone: enter the number');
    expect(directory.listReads).toBe(0);
  });

  it("writes nothing twice when the type card's list went stale: the directory refuses, the user is told in their language", async () => {
    const directory = new CountingDirectory();
    const h = new DialogHarness({ directory, locale: 'ja-JP' });
    await h.say('add phone');
    // Registered elsewhere (the portal, another chat) after the type card was shown.
    await directory.addPhoneMethod(USER_ID, { phoneType: 'mobile', phoneNumber: '+81 8011112222' });
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
    await h.press(h.lastCard(), 'method.sms');
    const replies = await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(replies.map((r) => r.text).join('\n')).toContain('電話 はすでに登録されています。何も変更されていません。');
    expect(await directory.listPhoneMethods(USER_ID)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 8011112222' })]);
    expect(h.log).toMatch(/"audit":true,"action":"add".*"result":"failure","errorCode":"type_already_registered"/);
  });

  it('confirms with the list read at the type step and the created phone, without reading the list again', async () => {
    const directory = new CountingDirectory();
    const h = new DialogHarness({ directory });
    await toCodeCard(h);
    const readsBeforeCode = directory.listReads;
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(directory.listReads).toBe(readsBeforeCode);
    const done = cardText(h.lastCard().card);
    expect(done).toContain('Your phone is registered');
    expect(done).toContain('Phone: +81 XXXXXX5678');
    expect(done).toContain('Passkeys and the Microsoft Authenticator app are stronger');
  });

  it('replaces each answered card with a read-only summary', async () => {
    const h = new DialogHarness();
    await h.say('add phone');
    const typeCard = h.lastCard();
    await h.press(typeCard, 'type.next', { phoneType: 'mobile' });
    const summary = h.cardById(typeCard.id);
    expect(summary?.actions ?? []).toHaveLength(0);
    expect(cardText(summary)).toContain('Type of phone: Phone');
  });

  it('counts down wrong codes, then kills the code after 5 and asks for a new one', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    const right = h.delivery.lastSmsCode();
    const wrong = right === '000000' ? '111111' : '000000';
    await h.press(h.lastCard(), 'code.verify', { code: wrong });
    expect(cardText(h.lastCard().card)).toContain('That code is not right. 4 tries left.');
    for (let i = 0; i < 3; i += 1) await h.press(h.lastCard(), 'code.verify', { code: wrong });
    expect(cardText(h.lastCard().card)).toContain('1 try left');
    await h.press(h.lastCard(), 'code.verify', { code: wrong });
    expect(cardText(h.lastCard().card)).toContain('that code no longer works');
    await h.press(h.lastCard(), 'code.verify', { code: right });
    expect(cardText(h.lastCard().card)).toContain('that code no longer works');
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(0);
  });

  it('expires the code after 10 minutes', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    h.clock.advance(10 * 60_000);
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(cardText(h.lastCard().card)).toContain('That code has expired');
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(0);
  });

  it('makes the user wait 30 s before a new code, then sends one that replaces the old', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    const first = h.delivery.lastSmsCode();
    h.clock.advance(10_000);
    await h.press(h.lastCard(), 'code.resend');
    expect(cardText(h.lastCard().card)).toContain('Please wait 20 seconds');
    expect(h.delivery.sms).toHaveLength(1);
    h.clock.advance(20_000);
    await h.press(h.lastCard(), 'code.resend');
    expect(h.delivery.sms).toHaveLength(2);
    expect(cardText(h.lastCard().card)).toContain('A new code is on its way');
    const second = h.delivery.lastSmsCode();
    if (first !== second) {
      await h.press(h.lastCard(), 'code.verify', { code: first });
      expect(cardText(h.lastCard().card)).toContain('not right');
    }
    await h.press(h.lastCard(), 'code.verify', { code: second });
    expect(cardText(h.lastCard().card)).toContain('Your phone is registered');
  });

  it('tells the user when the text could not be sent and offers the choice again', async () => {
    const h = new DialogHarness();
    h.delivery.smsResult = { ok: false, reason: 'rejected' };
    await toCodeCard(h);
    const { card } = h.lastCard();
    expect(cardText(card)).toContain('We could not send a text message to +81 XXXXXX5678');
    expect(cardText(card)).toContain('Call me');
  });

  it('lets the user change the number from the code card', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    await h.press(h.lastCard(), 'changeNumber');
    expect(inputOf(h.lastCard().card, 'number')?.value).toBe('090-1234-5678');
  });

  it('cancels from any card without changing anything', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    const replies = await h.press(h.lastCard(), 'cancel');
    expect(replies.map((r) => r.text)).toContain('Cancelled. Nothing was changed. Send me any message to start again.');
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(0);
  });

  it('treats a second submit of the same card as already handled', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    const codeCard = h.lastCard();
    const code = h.delivery.lastSmsCode();
    await h.press(codeCard, 'code.verify', { code });
    const replies = await h.press(codeCard, 'code.verify', { code });
    expect(replies.map((r) => r.text)).toEqual(['That card was already handled. Nothing more to do there.']);
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(1);
  });

  it('answers a submit of an older card of the same dialog as no longer active', async () => {
    const h = new DialogHarness();
    await h.say('add phone');
    const typeCard = h.lastCard();
    await h.press(typeCard, 'type.next', { phoneType: 'mobile' });
    // The type card was replaced in place; its original nonce was consumed, and a new "back" card is current.
    await h.press(h.lastCard(), 'back');
    const replies = await h.turn({ type: 'message', replyToId: typeCard.id, value: { action: 'type.next', nonce: 'id-999', phoneType: 'office' } });
    expect(replies.map((r) => r.text)).toEqual(['That card is no longer active. Please use the latest card below.']);
  });

  it('speaks Japanese for the whole dialog when the activity locale is ja-JP', async () => {
    const h = new DialogHarness({ locale: 'ja-JP' });
    await h.say('電話を追加');
    expect(cardText(h.lastCard().card)).toContain('どの電話を追加しますか?');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '09012345678' });
    expect(cardText(h.lastCard().card)).toContain('コードを受け取る');
    await h.press(h.lastCard(), 'method.sms');
    expect(h.delivery.sms[0]?.text).toContain('このコードは誰にも教えないでください');
    expect(cardText(h.lastCard().card)).toContain('コードの入力');
    await h.press(h.lastCard(), 'code.verify', { code: '000000' === h.delivery.lastSmsCode() ? '111111' : '000000' });
    expect(cardText(h.lastCard().card)).toContain('コードが正しくありません。あと 4 回入力できます。');
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(cardText(h.lastCard().card)).toContain('電話が登録されました');
    expect(cardText(h.lastCard().card)).toContain('デモモード');
  });
});

describe('add phone: call me', () => {
  async function toCallCard(h: DialogHarness): Promise<void> {
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
    await h.press(h.lastCard(), 'method.call');
  }

  it('explains the call before it rings, then shows the code to key while calling', async () => {
    const h = new DialogHarness({ env: { CALLER_ID_DISPLAY: '+81 50 1234 0000' } });
    await toCallCard(h);
    const explain = cardText(h.lastCard().card);
    expect(explain).toContain('+81 XXXXXX5678 rings from +81 50 1234 0000');
    expect(explain).toContain("type the 6-digit code below on the phone's keypad");
    expect(h.delivery.calls).toHaveLength(0);
    await h.press(h.lastCard(), 'call.start');
    expect(h.delivery.calls).toHaveLength(1);
    const code = h.delivery.calls[0]!.code;
    expect(cardText(h.lastCard().card)).toContain(`${code.slice(0, 3)} ${code.slice(3)}`);
  });

  it('registers when the phone keys the code', async () => {
    const h = new DialogHarness();
    await toCallCard(h);
    await h.press(h.lastCard(), 'call.start');
    const call = h.delivery.calls[0]!;
    expect(call.to).toBe('+819012345678');
    await h.callOutcome(call.callId, { kind: 'digits', digits: call.code });
    expect(cardText(h.lastCard().card)).toContain('Your phone is registered');
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(1);
  });

  it.each([
    [{ kind: 'no_answer' as const }, 'Nobody answered the call to +81 XXXXXX5678'],
    [{ kind: 'recognize_failed' as const }, 'We did not receive the code from the keypad'],
    [{ kind: 'digits' as const, digits: 'wrong!' }, 'did not match the code'],
  ])('says what went wrong (%o) and offers to call again, text instead, or another number', async (outcome, message) => {
    const h = new DialogHarness();
    await toCallCard(h);
    await h.press(h.lastCard(), 'call.start');
    const call = h.delivery.calls[0]!;
    const real = outcome.kind === 'digits' ? { kind: 'digits' as const, digits: call.code === '000000' ? '111111' : '000000' } : outcome;
    await h.callOutcome(call.callId, real);
    const text = cardText(h.lastCard().card);
    expect(text).toContain(message);
    expect(text).toContain('Call again');
    expect(text).toContain('Receive a code instead');
    expect(text).toContain('Use another number');
    await h.press(h.lastCard(), 'method.call');
    const second = h.delivery.calls[1]!;
    expect(second.callId).not.toBe(call.callId);
    await h.callOutcome(second.callId, { kind: 'digits', digits: second.code });
    expect(cardText(h.lastCard().card)).toContain('Your phone is registered');
  });

  it('ignores an outcome for another call, and a repeated outcome', async () => {
    const h = new DialogHarness();
    await toCallCard(h);
    await h.press(h.lastCard(), 'call.start');
    const call = h.delivery.calls[0]!;
    expect(await h.callOutcome('some-other-call', { kind: 'digits', digits: call.code })).toHaveLength(0);
    await h.callOutcome(call.callId, { kind: 'digits', digits: call.code });
    expect(await h.callOutcome(call.callId, { kind: 'digits', digits: call.code })).toHaveLength(0);
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(1);
  });
});

describe('commands and odd input', () => {
  it("answers help with the help card in the user's language", async () => {
    const h = new DialogHarness({ locale: 'ja-JP' });
    const [reply] = await h.say('ヘルプ');
    expect(cardText(cardOf(reply))).toContain('使い方');
  });

  it('asks to use the card when free text arrives mid-dialog', async () => {
    const h = new DialogHarness();
    await h.say('add phone');
    const replies = await h.say('what now?');
    expect(replies.map((r) => r.text)).toEqual(['Please answer with the card above, or type "cancel" to stop.']);
  });

  it('ignores malformed submit values without failing the turn', async () => {
    const h = new DialogHarness();
    await h.say('add phone');
    const replies = await h.turn({ type: 'message', value: { action: 42, nonce: { evil: true } } });
    expect(replies.map((r) => r.text)).toEqual(['Please answer with the card above, or type "cancel" to stop.']);
  });

  it('never logs the full number or the code', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(h.log).toContain('XXXXXX5678');
    expect(h.log).not.toMatch(/9012345678/);
    // Digit boundaries: a code may appear by chance inside a longer number such as a timestamp.
    expect(h.log).not.toMatch(new RegExp(`(?<!\\d)${h.delivery.lastSmsCode()}(?!\\d)`));
  });
});
