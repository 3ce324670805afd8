import { TurnContext, type Activity } from 'botbuilder';
import { CardFlow, settleCardReplacements, type ActiveCard } from '../../../src/dialogs/card-flow';
import type { Logger } from '../../../src/logging/logger';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A turn whose connector records every call in order and answers each card update only when told. */
function turn(): { context: TurnContext; events: string[]; updates: Deferred[] } {
  const events: string[] = [];
  const updates: Deferred[] = [];
  const adapter = {
    sendActivities: async (_context: TurnContext, activities: Partial<Activity>[]) => {
      events.push(`send ${activities[0]?.text ?? 'card'}`);
      return activities.map((_a, i) => ({ id: `new-${events.length}-${i}` }));
    },
    updateActivity: async (_context: TurnContext, activity: Partial<Activity>) => {
      events.push(`update ${activity.id}`);
      const answer = deferred();
      updates.push(answer);
      await answer.promise;
      events.push(`updated ${activity.id}`);
    },
  };
  const context = new TurnContext(
    adapter as never,
    { type: 'message', channelId: 'msteams', conversation: { id: 'a:1' }, from: { id: 'u' }, recipient: { id: 'b' }, replyToId: 'old-card' } as Activity,
  );
  return { context, events, updates };
}

const log = { debug: jest.fn() } as unknown as Logger & { debug: jest.Mock };
const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: {} };

describe('CardFlow', () => {
  it('sends the next card while the answered card is still being replaced, and finishes only when both are done', async () => {
    const { context, events, updates } = turn();
    const flow = new CardFlow(() => 'nonce-2', log);
    const state: ActiveCard = { nonce: 'nonce-1', cardId: 'old-card' };
    await flow.replaceAnswered(context, state, card);
    let sent = false;
    const sending = flow
      .send(context, state, () => card)
      .then(() => {
        sent = true;
      });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['update old-card', 'send card']);
    expect(sent).toBe(false);
    updates[0]!.resolve();
    await sending;
    expect(events).toEqual(['update old-card', 'send card', 'updated old-card']);
    expect(state).toEqual({ nonce: 'nonce-2', cardId: expect.stringMatching(/^new-/) });
  });

  it('goes on when the connector refuses the replacement: the summary is a courtesy', async () => {
    const { context, updates } = turn();
    const flow = new CardFlow(() => 'nonce-2', log);
    const state: ActiveCard = { nonce: 'nonce-1', cardId: 'old-card' };
    await flow.replaceAnswered(context, state, card);
    updates[0]!.reject(new Error('not allowed'));
    await expect(flow.send(context, state, () => card)).resolves.toBeUndefined();
    expect(log.debug).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'could not replace an answered card');
  });

  it('lets the end of the turn wait for a replacement no card followed', async () => {
    const { context, events, updates } = turn();
    const flow = new CardFlow(() => 'nonce-2', log);
    await flow.replaceActive(context, { nonce: 'nonce-1', cardId: 'active-card' }, card);
    let settled = false;
    const settling = settleCardReplacements(context).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    updates[0]!.resolve();
    await settling;
    expect(events).toEqual(['update active-card', 'updated active-card']);
  });

  it("tells the user about a cancel alongside the cancelled card's summary", async () => {
    const { context, events, updates } = turn();
    const flow = new CardFlow(() => 'nonce-2', log);
    const cancelling = flow.cancelled(context, { nonce: 'nonce-1', cardId: 'old-card' }, card, 'Cancelled.');
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['update old-card', 'send Cancelled.']);
    updates[0]!.resolve();
    await cancelling;
    expect(events[2]).toBe('updated old-card');
  });
});
