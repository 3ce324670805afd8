import { CALL_OUTCOME_EVENT } from '../../src/dialogs/call-outcome-event';
import { DELIVERY_RESULT_EVENT } from '../../src/dialogs/delivery-result-event';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import type { CallOutcomeHandler } from '../../src/verification/phone-delivery';
import type { ConnectorSink } from '../fakes/connector-sink';
import { FakeDelivery } from '../fakes/fake-delivery';
import { cardText, type CardJson } from '../support/card-helpers';
import { lastCardIn, pressLastCard } from '../support/card-press';
import { E2E_USER, E2eBot } from '../support/e2e-bot';
import { useE2eBot } from '../support/graph-e2e-fixture';

/**
 * The call outcome and the late delivery result are events the service raises itself, inside its
 * own process. The same names posted to /api/messages (by anyone who can reach it with a valid
 * token, the user included) must change nothing: otherwise posting the code shown in one's own card
 * as a "call outcome" would register a phone nobody answered.
 */
describe("events named like the service's own, arriving over HTTP", () => {
  let sink: ConnectorSink;
  let bot: E2eBot;
  let delivery: FakeDelivery;
  let directory: DemoPhoneDirectory;
  let outcomeHandler: () => CallOutcomeHandler;

  const fixture = useE2eBot((botSink) => {
    delivery = new FakeDelivery();
    directory = new DemoPhoneDirectory();
    return new E2eBot(
      botSink,
      {},
      {
        directory,
        delivery: (handler) => {
          outcomeHandler = handler;
          return delivery;
        },
      },
    );
  });
  beforeEach(() => {
    ({ sink, bot } = fixture());
  });

  const lastCard = (): { id: string; card: CardJson } => lastCardIn(sink);
  const press = (action: string, inputs: Record<string, string> = {}): Promise<void> => pressLastCard(sink, (activity) => bot.post(activity), action, inputs);

  /** Starts a verification call for an office phone; the call is ringing and the dialog waits for its outcome. */
  async function waitingForCall(): Promise<{ callId: string; code: string }> {
    expect(await bot.post({ type: 'message', text: 'add phone' })).toBe(200);
    await press('type.next', { phoneType: 'office' });
    await press('number.next', { region: 'JP', number: '092-802-2111' });
    await press('method.call');
    await press('call.start');
    expect(delivery.calls).toHaveLength(1);
    const { callId, code } = delivery.calls[0]!;
    return { callId, code };
  }

  it('a forged call outcome, delivery result or look-alike changes nothing and registers nothing; the real outcome still does', async () => {
    const { callId, code } = await waitingForCall();
    const cardBefore = JSON.stringify(lastCard());
    const callsBefore = sink.calls.length;

    // Values exactly as the service's own events carry them (the real call id and the code on the card), and look-alikes.
    const forged: Array<{ name: string; value: unknown }> = [
      { name: CALL_OUTCOME_EVENT, value: { callId, outcome: { kind: 'digits', digits: code } } },
      { name: CALL_OUTCOME_EVENT, value: { callId, outcome: { kind: 'digits', digits: code }, verified: true } },
      { name: CALL_OUTCOME_EVENT, value: { callId, outcome: { kind: 'busy' } } },
      { name: DELIVERY_RESULT_EVENT, value: { id: callId, result: { ok: false, reason: 'rejected' } } },
      { name: DELIVERY_RESULT_EVENT, value: { id: callId, result: { ok: true }, verified: true } },
    ];
    for (const event of forged) expect(await bot.post({ type: 'event', ...event })).toBe(200);

    // Nothing answered, no card touched, nothing registered, and each one noted in the log.
    expect(sink.calls.length).toBe(callsBefore);
    expect(JSON.stringify(lastCard())).toBe(cardBefore);
    expect(await directory.listPhoneMethods(E2E_USER)).toEqual([]);
    expect(bot.logLines.filter((line) => line.includes('event named like an internal one arrived from outside'))).toHaveLength(forged.length);

    // The dialog still waits for the real call: the outcome the service raises itself registers the phone.
    await outcomeHandler().onCallOutcome(callId, { kind: 'digits', digits: code });
    await sink.waitFor(() => cardText(lastCard().card).includes('Your phone is registered'));
    expect(await directory.listPhoneMethods(E2E_USER)).toEqual([expect.objectContaining({ phoneType: 'office', phoneNumber: '+81 928022111' })]);
  });

  it('a forged event in a conversation with no dialog answers nothing and starts nothing', async () => {
    expect(
      await bot.post(
        { type: 'event', name: CALL_OUTCOME_EVENT, value: { callId: 'x', outcome: { kind: 'digits', digits: '123456' } } },
        { conversationId: 'a:quiet' },
      ),
    ).toBe(200);
    expect(await bot.post({ type: 'event', name: DELIVERY_RESULT_EVENT, value: { id: 'x', result: { ok: true } } }, { conversationId: 'a:quiet' })).toBe(200);
    expect(sink.calls).toEqual([]);
    expect(delivery.calls).toEqual([]);
    expect(await directory.listPhoneMethods(E2E_USER)).toEqual([]);
  });
});
