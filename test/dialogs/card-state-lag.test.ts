import type { StoreItem, StoreItems } from 'botbuilder';
import type { CardStateWait } from '../../src/bot/card-state-wait';
import type { StateStorage } from '../../src/storage/state-storage';
import type { Scheduler } from '../../src/time/scheduler';
import { cardText } from '../support/card-helpers';
import { DialogHarness } from '../support/dialog-harness';

const CONVERSATION_KEY = 'msteams/conversations/a:conv-1/';
const STALE = 'That card is no longer active. Please use the latest card below.';

/**
 * Storage whose reads of the conversation, once armed, return the version from before the last save
 * a given number of times: what another instance reads when a card's answer reaches it before the
 * turn that sent the card has saved.
 */
class LaggingConversationReads implements StateStorage {
  conversationReads = 0;
  private lagging = 0;
  private previous: StoreItem | undefined;

  constructor(private readonly inner: StateStorage) {}

  /** The next `count` reads of the conversation see the version before the last save. */
  lag(count: number): void {
    this.lagging = count;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    if (!keys.includes(CONVERSATION_KEY)) return items;
    this.conversationReads += 1;
    if (this.lagging === 0) return items;
    this.lagging -= 1;
    const { [CONVERSATION_KEY]: _latest, ...others } = items;
    return this.previous ? { ...others, [CONVERSATION_KEY]: { ...this.previous } } : others;
  }

  async write(changes: StoreItems): Promise<void> {
    await this.rememberPrevious(Object.keys(changes));
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  async createItem(key: string, item: StoreItem): Promise<void> {
    await this.rememberPrevious([key]);
    return this.inner.createItem(key, item);
  }

  private async rememberPrevious(keys: readonly string[]): Promise<void> {
    if (keys.includes(CONVERSATION_KEY)) this.previous = (await this.inner.read([CONVERSATION_KEY]))[CONVERSATION_KEY] as StoreItem | undefined;
  }
}

/** A scheduler that records each pause and ends it on the next macrotask. */
class RecordingScheduler implements Scheduler {
  readonly pauses: number[] = [];
  schedule(callback: () => void, delayMs: number): () => void {
    this.pauses.push(delayMs);
    const timer = setImmediate(callback);
    return () => clearImmediate(timer);
  }
}

function harness(pausesMs: readonly number[]): { h: DialogHarness; storage: LaggingConversationReads; scheduler: RecordingScheduler } {
  let storage!: LaggingConversationReads;
  const scheduler = new RecordingScheduler();
  const cardStateWait: CardStateWait = { pausesMs, scheduler };
  const h = new DialogHarness({ wrapStorage: (inner) => (storage = new LaggingConversationReads(inner)), cardStateWait });
  return { h, storage, scheduler };
}

describe('an answer to a card whose state is still being saved', () => {
  it('is held until the state that makes the card valid is read, then answered and saved', async () => {
    const { h, storage, scheduler } = harness([10, 20, 40]);
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    // The number card is on screen; the next two reads still see the state from before it was sent.
    storage.lag(2);
    const readsBefore = storage.conversationReads;
    const replies = await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });

    expect(replies.map((r) => r.text ?? '')).not.toContain(STALE);
    expect(replies.map((r) => r.text ?? '').join('\n')).not.toContain('was not saved');
    expect(scheduler.pauses).toEqual([10, 20]);
    expect(storage.conversationReads - readsBefore).toBe(3);
    expect(cardText(h.lastCard().card)).toContain('+81 XXXXXX5678');
    // What the turn did was saved over the state it read last: the next card is answerable too.
    const next = await h.press(h.lastCard(), 'method.sms');
    expect(next.map((r) => r.text ?? '')).not.toContain(STALE);
  });

  it('is never answered from the older state when nothing waits: the turn loses its save and says nothing stale', async () => {
    const { h, storage } = harness([]);
    await h.say('add phone');
    await h.press(h.lastCard(), 'type.next', { phoneType: 'mobile' });
    storage.lag(1);
    const replies = await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
    // The replies waited for the save, which failed against the newer state: the stale answer never went out.
    expect(replies.map((r) => r.text)).not.toContain(STALE);
    expect(replies.map((r) => r.text ?? '').join('\n')).toContain('was not saved');
    // The card is still the active one: answering it again works.
    const again = await h.press(h.lastCard(), 'number.next', { region: 'JP', number: '090-1234-5678' });
    expect(cardText(h.lastCard().card)).toContain('+81 XXXXXX5678');
    expect(again.map((r) => r.text)).not.toContain(STALE);
  });

  it('refuses a card that is really no longer active once every pause has passed', async () => {
    const { h, scheduler } = harness([10, 20, 40]);
    await h.say('add phone');
    const typeCard = h.lastCard();
    // Starting again shows a new card; the first one, never answered, is no longer active.
    await h.say('add phone');
    const replies = await h.press(typeCard, 'type.next', { phoneType: 'office' });
    expect(replies.map((r) => r.text)).toContain(STALE);
    expect(scheduler.pauses).toEqual([10, 20, 40]);
  });

  it('answers a second press of an answered card at once', async () => {
    const { h, scheduler } = harness([10, 20, 40]);
    await h.say('add phone');
    const typeCard = h.lastCard();
    await h.press(typeCard, 'type.next', { phoneType: 'mobile' });
    const replies = await h.press(typeCard, 'type.next', { phoneType: 'office' });
    expect(replies.map((r) => r.text)).toEqual(['That card was already handled. Nothing more to do there.']);
    expect(scheduler.pauses).toEqual([]);
  });

  it('does not wait for the welcome card, whose buttons need no state', async () => {
    const { h, scheduler } = harness([10, 20, 40]);
    await h.say('hi');
    await h.press(h.lastCard(), 'welcome.add');
    expect(cardText(h.lastCard().card)).toContain('Which phone do you want to add?');
    expect(scheduler.pauses).toEqual([]);
  });
});
