import { cardText, inputOf } from '../support/card-helpers';
import { DialogHarness } from '../support/dialog-harness';

/** Walks to the number card. */
async function toNumberCard(h: DialogHarness): Promise<void> {
  await h.say('add phone');
  await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
}

describe('card values that no input of ours can send', () => {
  it.each([
    ['en-US', "I can't use what the card sent"],
    ['ja-JP', 'カードから送られた内容を使えませんでした'],
  ])('in %s: tells the user, sends nothing, and the same card still takes a good answer', async (locale, message) => {
    const h = new DialogHarness({ locale });
    await toNumberCard(h);
    const card = h.lastCard();
    const updatesBefore = h.updates.length;
    for (const inputs of [
      { region: 'JP', number: '090-1234-5678\u0000' },
      { region: 'jp', number: '090-1234-5678' },
      { region: 'JP\n', number: '090-1234-5678' },
      { region: 'JP', number: '090\n1234\n5678' },
    ]) {
      const replies = await h.press(card, 'number.next', inputs);
      expect(replies.map((r) => r.text)).toEqual([expect.stringContaining(message)]);
    }
    expect(h.updates.length).toBe(updatesBefore);
    expect(h.delivery.sms).toEqual([]);
    expect(inputOf(h.lastCard().card, 'number')).toBeDefined();

    await h.press(card, 'number.next', { region: 'JP', number: '090-1234-5678' });
    expect(cardText(h.lastCard().card)).toContain('+81');
    expect(inputOf(h.lastCard().card, 'number')).toBeUndefined();
  });

  it('a code with a control character is refused before it counts as a wrong try', async () => {
    const h = new DialogHarness();
    await toNumberCard(h);
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
    await h.press(h.lastCard(), 'method.sms');
    const codeCard = h.lastCard();
    const replies = await h.press(codeCard, 'code.verify', { code: `${h.delivery.lastSmsCode()}\u0000` });
    expect(replies.map((r) => r.text)).toEqual([expect.stringContaining("I can't use what the card sent")]);
    await h.press(codeCard, 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(cardText(h.lastCard().card)).toContain('Your phone is registered');
  });
});
