import { Writable } from 'node:stream';
import type { TurnContext } from 'botbuilder';
import { ProactiveBackgroundDeliveries } from '../../../src/bot/background-deliveries';
import { DELIVERY_RESULT_EVENT } from '../../../src/dialogs/delivery-result-event';
import { raisedInternally } from '../../../src/dialogs/internal-event';
import { createLogger } from '../../../src/logging/logger';
import type { DeliveryResult } from '../../../src/verification/phone-delivery';
import { ManualScheduler } from '../../fakes/manual-scheduler';

const turnContext = {
  activity: {
    from: { id: '29:user' },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:conv' },
    channelId: 'msteams',
    locale: 'en-US',
    serviceUrl: 'https://smba.example.test/',
  },
} as unknown as TurnContext;

/** The runner wired to an adapter that records every proactive turn and the event it carried; the test ends the wait. */
function runner() {
  const scheduler = new ManualScheduler();
  const events: Array<{ conversationId: string; name?: string; value: unknown; internal: boolean }> = [];
  const logger = createLogger({ level: 'silent', pretty: false, destination: new Writable({ write: (_c, _e, done) => done() }) });
  const deliveries = new ProactiveBackgroundDeliveries({
    botAppId: '',
    logger,
    providerWaitMs: 300,
    scheduler,
    adapter: {
      continueConversationAsync: async (_appId: string, reference: { conversation?: { id: string } }, logic: (context: TurnContext) => Promise<void>) => {
        // Turn state as botbuilder's TurnContextStateCollection is: a Map.
        const context = { activity: { type: 'message' }, turnState: new Map() } as unknown as TurnContext;
        await logic(context);
        events.push({
          conversationId: reference.conversation?.id ?? '',
          name: context.activity.name,
          value: context.activity.value,
          internal: raisedInternally(context),
        });
      },
    } as never,
    bot: { run: async () => undefined },
  });
  return { deliveries, events, scheduler };
}

/** A provider call that answers only when the test releases it. */
function heldReply<T>(): { promise: Promise<T>; release: (value: T) => void } {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

/** Lets every callback already queued run (the runner's awaits), without moving any timer. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('background deliveries', () => {
  it('gives the result to the turn when the provider answers within the wait, and reports nothing later', async () => {
    const { deliveries, events, scheduler } = runner();
    const reply = heldReply<DeliveryResult>();
    const answer = deliveries.run(turnContext, { id: 'send-1', work: () => reply.promise });
    await settle();
    reply.release({ ok: true });
    expect(await answer).toEqual({ ok: true });
    // The wait was cancelled: it never comes due.
    expect(scheduler.armed).toBe(0);
    await deliveries.drain();
    expect(events).toEqual([]);
  });

  it('answers undefined when the provider is slower, then reports its result into the conversation', async () => {
    const { deliveries, events, scheduler } = runner();
    const reply = heldReply<DeliveryResult>();
    const answer = deliveries.run(turnContext, { id: 'send-2', work: () => reply.promise });
    await settle();
    expect(scheduler.fireAll()).toBe(1);
    // The turn has its answer while the provider still holds its reply.
    expect(await answer).toBeUndefined();
    expect(events).toEqual([]);
    reply.release({ ok: false, reason: 'rejected' });
    await deliveries.drain();
    // Marked as the service's own, so the bot acts on it (an event of that name from outside is dropped).
    expect(events).toEqual([
      { conversationId: 'a:conv', name: DELIVERY_RESULT_EVENT, value: { id: 'send-2', result: { ok: false, reason: 'rejected' } }, internal: true },
    ]);
  });

  it('counts a provider error as a failed delivery', async () => {
    const { deliveries } = runner();
    const result = await deliveries.run(turnContext, { id: 'send-3', work: () => Promise.reject(new Error('socket hang up')) });
    expect(result).toEqual({ ok: false, reason: 'failed' });
  });
});
