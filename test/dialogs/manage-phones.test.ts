import { cardText, inputOf } from '../support/card-helpers';
import { DialogHarness, USER_ID } from '../support/dialog-harness';

const MOBILE = { phoneType: 'mobile' as const, phoneNumber: '+81 9012345678' };
const ALTERNATE = { phoneType: 'alternateMobile' as const, phoneNumber: '+81 312345678' };

/** Opens "Change or remove", proves possession of the mobile, and picks the method of the given type. */
async function choose(h: DialogHarness, action: 'manage.change' | 'manage.remove', type: string): Promise<void> {
  await h.say('change phone');
  await h.stepUpBySms();
  const card = h.lastCard();
  const methods = await h.directory.listPhoneMethods(USER_ID);
  await h.press(card, action, { methodId: methods.find((m) => m.phoneType === type)!.id });
}

describe('change and remove', () => {
  it('offers "Change or remove" on the welcome card only when a phone is registered', async () => {
    const empty = new DialogHarness();
    await empty.say('hi');
    expect(cardText(empty.lastCard().card)).not.toContain('Change or remove');
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] } });
    await h.say('hi');
    expect(cardText(h.lastCard().card)).toContain('Change or remove');
  });

  it('changes a number after proving the new one, with PATCH semantics (same id and type)', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] } });
    const before = await h.directory.listPhoneMethods(USER_ID);
    await choose(h, 'manage.change', 'mobile');
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '080-2222-3333' });
    await h.press(h.lastCard(), 'method.sms');
    expect(h.delivery.sms[h.delivery.sms.length - 1]!.to).toBe('+818022223333');
    await h.press(h.lastCard(), 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(cardText(h.lastCard().card)).toContain('Your number is changed');
    expect(cardText(h.lastCard().card)).toContain('Phone: +81 XXXXXX3333');
    expect(await h.directory.listPhoneMethods(USER_ID)).toEqual([{ id: before[0]!.id, phoneType: 'mobile', phoneNumber: '+81 8022223333' }]);
    expect(h.log).toMatch(/"audit":true,"action":"change".*"result":"success"/);
  });

  it('removes a phone after a confirmation card', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE, ALTERNATE] } });
    await choose(h, 'manage.remove', 'alternateMobile');
    expect(cardText(h.lastCard().card)).toContain('Remove Alternate phone +81 XXXXX5678?');
    await h.press(h.lastCard(), 'remove.confirm');
    expect(cardText(h.lastCard().card)).toContain('Phone removed');
    expect((await h.directory.listPhoneMethods(USER_ID)).map((m) => m.phoneType)).toEqual(['mobile']);
    expect(h.log).toMatch(/"audit":true,"action":"remove".*"result":"success"/);
  });

  it('explains that a Phone cannot be removed while an Alternate phone exists', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE, ALTERNATE] } });
    await choose(h, 'manage.remove', 'mobile');
    const replies = await h.press(h.lastCard(), 'remove.confirm');
    expect(replies.map((r) => r.text)).toContain(
      "Your Phone cannot be removed while an Alternate phone is registered. Remove the Alternate phone first, or change the Phone's number instead.",
    );
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(2);
    expect(h.log).toMatch(/"audit":true,"action":"remove".*"result":"failure"/);
  });

  it('keeps the phone when the user presses "Keep it"', async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] } });
    await choose(h, 'manage.remove', 'mobile');
    await h.press(h.lastCard(), 'cancel');
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(1);
  });

  it("acts only on the user's own methods: an unknown method id is refused", async () => {
    const h = new DialogHarness({ seed: { [USER_ID]: [MOBILE] } });
    await h.say('change phone');
    await h.stepUpBySms();
    await h.press(h.lastCard(), 'manage.remove', { methodId: 'b6332ec1-7057-4abe-9331-3d72feddfe41' });
    expect(cardText(h.lastCard().card)).toContain('Choose one of your phones.');
    expect(inputOf(h.lastCard().card, 'methodId')).toBeDefined();
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(1);
  });
});
