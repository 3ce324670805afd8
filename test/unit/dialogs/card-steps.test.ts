import { TurnContext, type Activity, type Attachment } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Fact } from '../../../src/cards/card-data';
import { CardSteps, type CardStepState } from '../../../src/dialogs/card-steps';
import { translator } from '../../../src/i18n/messages';
import type { Logger } from '../../../src/logging/logger';

type Step = 'first' | 'second';
type State = CardStepState<Step>;

/** What the connector saw in one turn, in order. */
interface Seen {
  readonly texts: string[];
  readonly cards: Attachment[];
  readonly updates: Array<{ id?: string; card?: Attachment }>;
}

/** One turn whose connector records what the dialog sends, and a DialogContext around it. */
function turn(activity: Partial<Activity>): { dc: DialogContext; seen: Seen; cancelled: () => boolean } {
  const seen: Seen = { texts: [], cards: [], updates: [] };
  const adapter = {
    sendActivities: async (_context: TurnContext, activities: Partial<Activity>[]) => {
      for (const a of activities) {
        if (a.text) seen.texts.push(a.text);
        if (a.attachments?.[0]) seen.cards.push(a.attachments[0]);
      }
      return activities.map((_a, i) => ({ id: `sent-${seen.cards.length}-${i}` }));
    },
    updateActivity: async (_context: TurnContext, a: Partial<Activity>) => {
      seen.updates.push({ id: a.id, card: a.attachments?.[0] });
    },
  };
  const context = new TurnContext(
    adapter as never,
    {
      channelId: 'msteams',
      conversation: { id: 'a:1' },
      from: { id: 'u' },
      recipient: { id: 'b' },
      ...activity,
    } as Activity,
  );
  let cancelledAll = false;
  // Only what CardSteps uses of a DialogContext: the turn, and cancelling the flow.
  const dc = {
    context,
    cancelAllDialogs: async (): Promise<DialogTurnResult> => {
      cancelledAll = true;
      return Dialog.EndOfTurn;
    },
  } as unknown as DialogContext;
  return { dc, seen, cancelled: () => cancelledAll };
}

const views = {
  summary: (title: string, facts: readonly Fact[], status = ''): Attachment => ({ contentType: 'summary', content: { title, facts, status } }),
};
const log = { debug: jest.fn() } as unknown as Logger;
const t = translator('en');

/** A dialog's steps whose handlers record which one answered. */
function steps(): { steps: CardSteps<State>; calls: string[] } {
  const calls: string[] = [];
  const answer = (name: string) => async (): Promise<DialogTurnResult> => {
    calls.push(name);
    return Dialog.EndOfTurn;
  };
  let counter = 0;
  const cardSteps: CardSteps<State> = new CardSteps<State>({
    views,
    newId: () => `nonce-${++counter}`,
    log,
    routes: {
      'first:go': answer('first:go'),
      'second:go': answer('second:go'),
      '*:go': answer('*:go'),
      '*:close': answer('*:close'),
      '*:cancel': (dc, state) => cardSteps.cancel(dc, state),
    },
  });
  return { steps: cardSteps, calls };
}

function submit(action: string, nonce = 'live'): Partial<Activity> {
  return { type: 'message', replyToId: 'card-1', value: { action, nonce } };
}

describe('CardSteps.route', () => {
  it.each([
    ['first', 'go', 'first:go'],
    ['second', 'go', 'second:go'],
    ['first', 'close', '*:close'],
    ['second', 'close', '*:close'],
  ] as const)('on step %s, the %s button goes to the route %s', async (step, action, expected) => {
    const { steps: cardSteps, calls } = steps();
    const { dc, seen } = turn(submit(action));
    await cardSteps.route(dc, { locale: 'en', step, nonce: 'live' });
    expect(calls).toEqual([expected]);
    expect(seen.texts).toEqual([]);
  });

  it('points to the card when the step has no such button, and calls no handler', async () => {
    const { steps: cardSteps, calls } = steps();
    const { dc, seen } = turn(submit('back'));
    await expect(cardSteps.route(dc, { locale: 'en', step: 'first', nonce: 'live' })).resolves.toBe(Dialog.EndOfTurn);
    expect(calls).toEqual([]);
    expect(seen.texts).toEqual([t('common.useCard')]);
  });

  it('refuses a submit of an older card', async () => {
    const { steps: cardSteps, calls } = steps();
    const { dc, seen } = turn(submit('go', 'old'));
    await cardSteps.route(dc, { locale: 'en', step: 'first', nonce: 'live' });
    expect(calls).toEqual([]);
    expect(seen.texts).toEqual([t('common.staleCard')]);
  });

  it('leaves activities other than messages to the dialog', async () => {
    const { steps: cardSteps, calls } = steps();
    const { dc, seen } = turn({ type: 'event', name: 'anything', value: { action: 'go', nonce: 'live' } });
    await expect(cardSteps.route(dc, { locale: 'en', step: 'first', nonce: 'live' })).resolves.toBe(Dialog.EndOfTurn);
    expect(calls).toEqual([]);
    expect(seen.texts).toEqual([]);
  });

  it('cancels: the card says so, the user is told, and the whole flow stops', async () => {
    const { steps: cardSteps } = steps();
    const { dc, seen, cancelled } = turn(submit('cancel'));
    const state: State = { locale: 'en', step: 'second', nonce: 'live', cardId: 'card-1' };
    await cardSteps.route(dc, state);
    expect(seen.updates).toEqual([{ id: 'card-1', card: views.summary(t('summary.cancelled'), []) }]);
    expect(seen.texts).toEqual([t('common.cancelled')]);
    expect(cancelled()).toBe(true);
    expect(state.nonce).toBe('');
  });
});

describe('CardSteps cards', () => {
  it('opens a step with a fresh nonce, then replaces the answered card with its summary', async () => {
    const { steps: cardSteps } = steps();
    const state: State = { locale: 'en', step: 'first', nonce: '' };
    const first = turn({ type: 'message', text: 'hi' });
    await cardSteps.open(first.dc.context, state, 'second', (nonce) => ({ contentType: 'card', content: { nonce } }));
    expect(state).toEqual({ locale: 'en', step: 'second', nonce: 'nonce-1', cardId: 'sent-1-0' });
    expect(first.seen.cards).toEqual([{ contentType: 'card', content: { nonce: 'nonce-1' } }]);

    const answered = turn(submit('go', 'nonce-1'));
    await cardSteps.summarise(answered.dc.context, state, 'Title', [{ title: 'Fact', value: 'Value' }], 'Done');
    expect(answered.seen.updates).toEqual([{ id: 'card-1', card: views.summary('Title', [{ title: 'Fact', value: 'Value' }], 'Done') }]);
    expect(state.nonce).toBe('');
  });

  it('shows the active card again in place under a fresh nonce', async () => {
    const { steps: cardSteps } = steps();
    const state: State = { locale: 'en', step: 'first', nonce: 'live', cardId: 'card-1' };
    const { dc, seen } = turn(submit('go'));
    await cardSteps.reshow(dc.context, state, (nonce) => ({ contentType: 'card', content: { nonce, error: 'wrong' } }));
    expect(seen.updates).toEqual([{ id: 'card-1', card: { contentType: 'card', content: { nonce: 'nonce-1', error: 'wrong' } } }]);
    expect(state).toMatchObject({ step: 'first', nonce: 'nonce-1', cardId: 'card-1' });
  });
});
