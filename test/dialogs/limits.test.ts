import type { StoreItem, StoreItems } from 'botbuilder';
import type { StateStorage } from '../../src/storage/state-storage';
import { AccountGuard } from '../../src/verification/account-guard';
import { cardText, inputOf } from '../support/card-helpers';
import { DialogHarness, USER_ID } from '../support/dialog-harness';

async function toCodeCard(h: DialogHarness, number = '090-1234-5678'): Promise<void> {
  await h.say('add phone');
  await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
  await h.press(h.lastCard(), 'number.next', { region: 'JP', number });
  await h.press(h.lastCard(), 'method.sms');
}

describe('abuse limits in the conversation', () => {
  it('stops a number getting more codes than the per-number cap and says when to try again', async () => {
    const h = new DialogHarness({ env: { SEND_LIMIT_NUMBER_PER_10MIN: '1' } });
    await toCodeCard(h);
    h.clock.advance(31_000);
    const replies = await h.press(h.lastCard(), 'code.resend');
    // The send's one-minute bucket (09:00–09:01) counts until 09:11, 10 min 29 s from now.
    expect(replies.map((r) => r.text)).toEqual(['This number has had several codes in the last minutes. You can try again in 11 minutes.']);
    expect(h.delivery.sms).toHaveLength(1);
  });

  it('caps sends per user across numbers', async () => {
    const h = new DialogHarness({ env: { SEND_LIMIT_USER_PER_HOUR: '2' } });
    await toCodeCard(h, '090-1234-5678');
    await h.press(h.lastCard(), 'changeNumber');
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '080-1111-2222' });
    await h.press(h.lastCard(), 'method.sms');
    await h.press(h.lastCard(), 'changeNumber');
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '070-3333-4444' });
    const replies = await h.press(h.lastCard(), 'method.sms');
    // The sends' 5-minute bucket (09:00–09:05) counts until 10:05: shown in minutes, not as "2 hours".
    expect(replies.map((r) => r.text)).toContain('You have asked for many codes in a short time. You can try again in 65 minutes.');
    expect(h.delivery.sms).toHaveLength(2);
  });

  it('refuses numbers of countries outside the allow-list, naming the allowed ones', async () => {
    const h = new DialogHarness({ env: { ALLOWED_COUNTRIES: 'JP' } });
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    expect(inputOf(h.lastCard().card, 'region')?.choices?.map((c) => c.value)).toEqual(['JP']);
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '+1 201 555 0123' });
    expect(cardText(h.lastCard().card)).toContain('Your organization allows: Japan');
    expect(h.delivery.sms).toHaveLength(0);
  });

  it('blocks phone verification after repeated failures and tells the user to contact the helpdesk', async () => {
    const h = new DialogHarness({ env: { ACCOUNT_GUARD_MAX_FAILURES: '3' } });
    await toCodeCard(h);
    const wrong = h.delivery.lastSmsCode() === '000000' ? '111111' : '000000';
    await h.press(h.lastCard(), 'code.verify', { code: wrong });
    await h.press(h.lastCard(), 'code.verify', { code: wrong });
    const replies = await h.press(h.lastCard(), 'code.verify', { code: wrong });
    expect(replies.map((r) => r.text)).toContain(
      'Phone verification is blocked for your account for now after too many failed attempts. Please contact the helpdesk.',
    );
    expect(h.log).toMatch(/"audit":true,"action":"verification_blocked"/);
    // A new attempt is refused before any code is sent.
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
    const again = await h.press(h.lastCard(), 'method.sms');
    expect(again.map((r) => r.text)).toContain(
      'Phone verification is blocked for your account for now after too many failed attempts. Please contact the helpdesk.',
    );
    expect(h.delivery.sms).toHaveLength(1);
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(0);
  });
});

describe('audit records of verification outcomes', () => {
  it('writes one audit record per outcome, with the masked number only', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    const wrong = h.delivery.lastSmsCode() === '000000' ? '111111' : '000000';
    await h.press(h.lastCard(), 'code.verify', { code: wrong });
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    const records = h.log
      .split('\n')
      .filter((l) => l.includes('"action":"verify"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.audit, r.channel, r.result, r.number, r.userId])).toEqual([
      [true, 'sms', 'wrong_code', '+81 XXXXXX5678', USER_ID],
      [true, 'sms', 'verified', '+81 XXXXXX5678', USER_ID],
    ]);
  });
});

describe('the account guard kept in the user send record', () => {
  const userRecord = `sendLimits/user/${USER_ID}`;
  const guardIn = async (storage: StateStorage): Promise<unknown> => ((await storage.read([userRecord]))[userRecord] as { guard?: unknown } | undefined)?.guard;

  it('a correct code after wrong ones in this conversation resets the count', async () => {
    const h = new DialogHarness();
    await toCodeCard(h);
    const wrong = h.delivery.lastSmsCode() === '000000' ? '111111' : '000000';
    await h.press(h.lastCard(), 'code.verify', { code: wrong });
    await h.press(h.lastCard(), 'code.verify', { code: wrong });
    await expect(guardIn(h.storage)).resolves.toEqual({ failures: 2 });
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    await expect(guardIn(h.storage)).resolves.toEqual({ failures: 0 });
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(1);
  });

  it('a correct code with no failures since the send leaves the record alone: failures counted elsewhere since stay counted', async () => {
    const touched: string[] = [];
    const h = new DialogHarness({ wrapStorage: (inner) => new KeysTouched(inner, touched) });
    await toCodeCard(h);
    await expect(guardIn(h.storage)).resolves.toEqual({ failures: 0 });
    // Another conversation of the same user fails a check after this conversation's send.
    await new AccountGuard({ storage: h.storage, clock: h.clock }).recordFailure(USER_ID);
    touched.length = 0;
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(1);
    expect(touched.filter((key) => key.startsWith('sendLimits/') || key.startsWith('accountGuard/'))).toEqual([]);
    // Not reset: a stale "no failures" can only leave a count standing, never lift one.
    await expect(guardIn(h.storage)).resolves.toEqual({ failures: 1 });
  });
});

/** The bot's storage, noting every key it reads or writes. */
class KeysTouched implements StateStorage {
  constructor(
    private readonly inner: StateStorage,
    private readonly touched: string[],
  ) {}
  read(keys: string[]): Promise<StoreItems> {
    this.touched.push(...keys);
    return this.inner.read(keys);
  }
  write(changes: StoreItems): Promise<void> {
    this.touched.push(...Object.keys(changes));
    return this.inner.write(changes);
  }
  delete(keys: string[]): Promise<void> {
    this.touched.push(...keys);
    return this.inner.delete(keys);
  }
  createItem(key: string, item: StoreItem): Promise<void> {
    this.touched.push(key);
    return this.inner.createItem(key, item);
  }
}
