import { cardText } from '../support/card-helpers';
import { DialogHarness, USER_ID } from '../support/dialog-harness';

/** A provider that answers within the turn's short wait: the turn shows the outcome itself. */
function inTurn(): DialogHarness {
  return new DialogHarness({ providerAnswersInTurn: true });
}

async function pressTextMe(h: DialogHarness): Promise<void> {
  await h.say('add phone');
  await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
  await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
  await h.press(h.lastCard(), 'method.sms');
}

describe('verification when the provider answers within the turn', () => {
  it('sends the code card once, already saying the code is on its way, and registers with the code', async () => {
    const h = inTurn();
    await pressTextMe(h);
    const codeCard = h.lastCard();
    expect(cardText(codeCard.card)).toContain('We sent a 6-digit code by text message to +81 XXXXXX5678');
    expect(cardText(codeCard.card)).not.toContain('Sending a code');
    expect(h.updates.filter((u) => u.id === codeCard.id)).toHaveLength(0);
    await h.press(codeCard, 'code.verify', { code: h.delivery.lastSmsCode() });
    expect(cardText(h.lastCard().card)).toContain('Your phone is registered');
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(1);
  });

  it('the deferred path still says "Sending" first and then updates the card', async () => {
    const h = new DialogHarness();
    await pressTextMe(h);
    const codeCard = h.lastCard();
    const firstVersion = h.sentCards().find((c) => c.id === codeCard.id);
    expect(cardText(firstVersion!.card)).toContain('Sending a code');
    expect(cardText(codeCard.card)).not.toContain('Sending a code');
  });

  it('offers the ways to verify again when the text is refused, without showing a code card', async () => {
    const h = inTurn();
    h.delivery.smsResult = { ok: false, reason: 'rejected' };
    await pressTextMe(h);
    const text = cardText(h.lastCard().card);
    expect(text).toContain('We could not send a text message to +81 XXXXXX5678');
    expect(text).toContain('Call me');
    expect(h.sentCards().some((c) => cardText(c.card).includes('Enter code'))).toBe(false);
  });

  it('a refused resend turns the code card into a summary and offers the ways to verify again', async () => {
    const h = inTurn();
    await pressTextMe(h);
    const codeCard = h.lastCard();
    h.clock.advance(30_000);
    h.delivery.smsResult = { ok: false, reason: 'rejected' };
    await h.press(codeCard, 'code.resend');
    expect(cardText(h.cardById(codeCard.id)!)).toContain('We could not send a text message');
    expect(cardText(h.lastCard().card)).toContain('Call me');
    // The old code no longer counts: nothing can be registered with it.
    expect(await h.directory.listPhoneMethods(USER_ID)).toHaveLength(0);
  });

  it('says at once when a call cannot be placed, with the other choices', async () => {
    const h = inTurn();
    h.delivery.callResult = { ok: false, reason: 'failed' };
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'office' });
    await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '03-1234-5678' });
    await h.press(h.lastCard(), 'method.call');
    await h.press(h.lastCard(), 'call.start');
    expect(cardText(h.lastCard().card)).toContain('We could not start a call to +81');
    expect(h.delivery.calls).toHaveLength(1);
  });
});
