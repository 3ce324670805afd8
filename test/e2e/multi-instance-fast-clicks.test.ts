import { randomBytes } from 'node:crypto';
import type { Activity, StoreItem, StoreItems } from 'botbuilder';
import { createLogger } from '../../src/logging/logger';
import { BlobStateStorage } from '../../src/storage/blob-state-storage';
import type { StateStorage } from '../../src/storage/state-storage';
import { ConnectorSink, type ConnectorCall } from '../fakes/connector-sink';
import { azuriteConnectionString } from '../support/azurite';
import { actionOf, cardOf, cardText } from '../support/card-helpers';
import { E2eBot } from '../support/e2e-bot';
import { sharedEnv, uniqueContainer } from '../support/shared-deployment';

const REGISTRATIONS = 4;
const STALE = 'That card is no longer active';
const REGISTERED = 'Your phone is registered';

/** The button a person presses on each card of a registration, with what they type into it. */
const ANSWERS: ReadonlyArray<{ readonly action: string; readonly inputs: Record<string, string> }> = [
  { action: 'type.next', inputs: { phoneType: 'mobile' } },
  { action: 'number.next', inputs: { region: 'JP' } },
  { action: 'method.sms', inputs: {} },
  { action: 'code.verify', inputs: {} },
];

const CONVERSATIONS = 'msteams/conversations/';
/** Longest a save is held when no other instance reads the conversation (the last card of a registration). */
const HOLD_AT_MOST_MS = 1000;

/**
 * Blob storage of one instance whose saves of a conversation are slow: each is held until another
 * instance has read that conversation (or a second has passed), as a Blob save slower than the
 * user's click is under load. So the answer to a card sent by one instance always reaches the other
 * before the state that makes the card valid is saved: the race, every time instead of sometimes.
 */
class SlowConversationSaves implements StateStorage {
  constructor(
    private readonly inner: StateStorage,
    private readonly instance: string,
    /** Held saves of every instance: who holds them and how to let them go. */
    private readonly held: Array<{ instance: string; key: string; release: () => void }>,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    // Read first, then let the other instance's held saves of these conversations go.
    for (const entry of this.held.filter((h) => h.instance !== this.instance && keys.includes(h.key))) entry.release();
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(Object.keys(changes).map((key) => this.hold(key)));
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  async createItem(key: string, item: StoreItem): Promise<void> {
    await this.hold(key);
    return this.inner.createItem(key, item);
  }

  private hold(key: string): Promise<void> {
    if (!key.startsWith(CONVERSATIONS)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const entry = {
        instance: this.instance,
        key,
        release: () => {
          clearTimeout(timer);
          this.held.splice(this.held.indexOf(entry), 1);
          resolve();
        },
      };
      const timer = setTimeout(entry.release, HOLD_AT_MOST_MS);
      this.held.push(entry);
    });
  }
}

/**
 * Two instances on one blob container behind a round-robin balancer (every request goes to the
 * other instance than the last), saving slowly, and a user who presses each new card the moment it
 * reaches Teams: before the turn that sent it has saved. No answer to a card on screen may be refused.
 */
describe('a card answered the moment it is shown, on the other instance', () => {
  let sink: ConnectorSink;
  let bots: E2eBot[];

  beforeEach(async () => {
    sink = await ConnectorSink.start();
    const container = uniqueContainer();
    const env = sharedEnv(container, randomBytes(32).toString('base64'));
    const held: Array<{ instance: string; key: string; release: () => void }> = [];
    const logger = createLogger({ level: 'silent', pretty: false });
    const storageOf = (instance: string): StateStorage =>
      new SlowConversationSaves(new BlobStateStorage({ connectionString: azuriteConnectionString(), container, logger }), instance, held);
    bots = [new E2eBot(sink, env, { storage: storageOf('A') }), new E2eBot(sink, env, { storage: storageOf('B') })];
    for (const bot of bots) await bot.start();
  });
  afterEach(async () => {
    sink.onCall = undefined;
    for (const bot of bots) await bot.stop();
    await sink.close();
  });

  it('never answers "no longer active" through whole registrations', async () => {
    let next = 0;
    const roundRobin = (activity: Partial<Activity>, conversationId: string, userId: string): Promise<number> => {
      const bot = bots[next++ % bots.length]!;
      return bot.post({ ...activity, from: { id: `29:${userId}`, name: 'Fast User', aadObjectId: userId } }, { conversationId });
    };
    const users = Array.from({ length: REGISTRATIONS }, (_, i) => ({
      conversationId: `a:fast-${i}`,
      userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      // A number of its own: the send cap per number would stop a fourth registration to one number.
      lastDigits: String(5670 + i),
    }));
    const presses: Array<Promise<void>> = [];
    const failures: string[] = [];
    const pressed = new Set<string>();

    // The demo code, read from whichever instance the balancer picks (the demo outbox is shared).
    const codeFor = async (lastDigits: string): Promise<string> => {
      const response = await fetch(`${bots[next++ % bots.length]!.url}/demo/messages?to=${lastDigits}`);
      const { messages } = (await response.json()) as { messages: Array<{ kind: string; text: string }> };
      const match = messages
        .filter((m) => m.kind === 'sms')
        .at(-1)
        ?.text.match(/(\d{3}) (\d{3})/u);
      if (!match) throw new Error('no code in the demo outbox');
      return match[1]! + match[2]!;
    };

    const answer = async (call: ConnectorCall, action: string, inputs: Record<string, string>): Promise<void> => {
      const user = users.find((u) => u.conversationId === call.conversationId)!;
      const button = actionOf(cardOf(call.activity), action)!;
      const typed = action === 'number.next' ? { number: `090-1234-${user.lastDigits}` } : {};
      const code = action === 'code.verify' ? { code: await codeFor(user.lastDigits) } : {};
      const replyToId = call.method === 'PUT' ? call.activityId : call.activity.id;
      const status = await roundRobin(
        { type: 'message', replyToId, value: { ...button.data, ...inputs, ...typed, ...code } },
        user.conversationId,
        user.userId,
      );
      if (status !== 200) failures.push(`${action} answered ${status}`);
    };

    sink.onCall = (call) => {
      const card = cardOf(call.activity);
      if (!card) return;
      const answerNow = ANSWERS.find((a) => actionOf(card, a.action));
      const nonce = answerNow && actionOf(card, answerNow.action)?.data?.nonce;
      if (!answerNow || !nonce || pressed.has(nonce)) return;
      // The code card is answered once it says the code was sent (the text is in the outbox then).
      if (answerNow.action === 'code.verify' && !cardText(card).includes('We sent a 6-digit code')) return;
      pressed.add(nonce);
      presses.push(answer(call, answerNow.action, answerNow.inputs).catch((error: unknown) => void failures.push(String(error))));
    };

    for (const user of users) {
      expect(await roundRobin({ type: 'message', text: 'add phone' }, user.conversationId, user.userId)).toBe(200);
      await sink.waitFor(() => registered(sink, user.conversationId) || failures.length > 0 || said(sink, user.conversationId, STALE), 20_000);
    }
    await Promise.all(presses);

    expect(failures).toEqual([]);
    for (const user of users) {
      expect(said(sink, user.conversationId, STALE)).toBe(false);
      expect(registered(sink, user.conversationId)).toBe(true);
    }
    // Every card of every registration was answered, each on the instance the balancer chose.
    expect(presses).toHaveLength(REGISTRATIONS * ANSWERS.length);
  });
});

/** Whether the bot said this text (not a card) in the conversation. */
function said(sink: ConnectorSink, conversationId: string, text: string): boolean {
  return sink.calls.some((c) => c.conversationId === conversationId && !cardOf(c.activity) && (c.activity.text ?? '').includes(text));
}

/** Whether the conversation's registration card was shown. */
function registered(sink: ConnectorSink, conversationId: string): boolean {
  return sink.calls.some((c) => c.conversationId === conversationId && cardText(cardOf(c.activity)).includes(REGISTERED));
}
