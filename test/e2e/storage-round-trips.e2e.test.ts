import { randomBytes } from 'node:crypto';
import type { StoreItem, StoreItems } from 'botbuilder';
import { createLogger } from '../../src/logging/logger';
import { createStorage } from '../../src/storage/create-storage';
import type { StateStorage } from '../../src/storage/state-storage';
import { loadConfig } from '../../src/config/load-config';
import { ConnectorSink } from '../fakes/connector-sink';
import { ConversationDriver, demoCode } from '../support/conversation-driver';
import { E2eBot } from '../support/e2e-bot';
import { poster, sharedEnv, uniqueContainer } from '../support/shared-deployment';

type Kind = 'read' | 'write';

/** The service's Blob storage with every key read or written counted (one Blob round trip each). */
class CountingStorage implements StateStorage {
  readonly ops: Array<{ kind: Kind; key: string }> = [];
  constructor(private readonly inner: StateStorage) {}
  read(keys: string[]): Promise<StoreItems> {
    for (const key of keys) this.ops.push({ kind: 'read', key });
    return this.inner.read(keys);
  }
  write(changes: StoreItems): Promise<void> {
    for (const key of Object.keys(changes)) this.ops.push({ kind: 'write', key });
    return this.inner.write(changes);
  }
  delete(keys: string[]): Promise<void> {
    for (const key of keys) this.ops.push({ kind: 'write', key });
    return this.inner.delete(keys);
  }
  createItem(key: string, item: StoreItem): Promise<void> {
    this.ops.push({ kind: 'write', key });
    return this.inner.createItem(key, item);
  }
}

const CONVERSATION_STATE = /^msteams\/conversations\//u;
const CLAIM = /^submit-claims\//u;
const SEND_CAP = /^sendLimits\//u;
const ACCOUNT_GUARD = /^accountGuard\//u;
const COUNTRY_SHARD = /^sendLimits\/country\/JP\/\d$/u;
const FORMER_COUNTRY = /^sendLimits\/country\/JP$/u;
const DEMO_STAND_INS = /^demo-(directory|outbox)\//u;

describe('storage round trips per step of a registration on Blob (Azurite)', () => {
  let sink: ConnectorSink;
  let storage: CountingStorage;
  let bot: E2eBot;

  beforeEach(async () => {
    sink = await ConnectorSink.start();
    const env = sharedEnv(uniqueContainer(), randomBytes(32).toString('base64'));
    const config = loadConfig(env);
    storage = new CountingStorage(createStorage(config.storage, createLogger({ level: 'silent', pretty: false })));
    bot = new E2eBot(sink, env, { storage });
    await bot.start();
  });
  afterEach(async () => {
    await bot.stop();
    await sink.close();
  });

  it('reads and writes only the conversation state for a reply-only step; a send adds its claim and the cap counters, and a correct code only its claim', async () => {
    const step = async (run: () => Promise<unknown>): Promise<Array<{ kind: Kind; key: string }>> => {
      const first = storage.ops.length;
      await run();
      return storage.ops.slice(first);
    };
    // The demo directory and outbox stand in for Entra ID and the phone (Graph and the provider in
    // production), so they are not the bot's own round trips.
    const count = (ops: Array<{ kind: Kind; key: string }>, kind: Kind, record?: RegExp): number =>
      ops.filter((op) => op.kind === kind && !DEMO_STAND_INS.test(op.key) && (!record || record.test(op.key))).length;
    const toSms = async (user: ConversationDriver, post: ReturnType<typeof poster>): Promise<Array<Array<{ kind: Kind; key: string }>>> => {
      const add = await step(() => user.press(post, 'welcome.add'));
      const type = await step(() => user.press(post, 'type.next', { phoneType: 'mobile' }));
      const number = await step(() => user.press(post, 'number.next', { region: 'JP', number: '090-1234-5678' }));
      return [add, type, number];
    };

    // The process's first send to Japan also looks once for the country counter of earlier versions
    // (absent here) to seed the new shards from; this conversation is then left unanswered.
    const first = new ConversationDriver(sink, 'a:round-trips-first');
    const postFirst = poster(bot, first.conversationId);
    await step(() => postFirst({ type: 'message', text: 'hi' }));
    await toSms(first, postFirst);
    const firstSms = await step(async () => {
      await first.press(postFirst, 'method.sms');
      await first.waitForCard('We sent a 6-digit code');
    });
    expect(count(firstSms, 'read', FORMER_COUNTRY)).toBe(1);
    expect(count(firstSms, 'read')).toBe(1 + 3 + 1);

    const user = new ConversationDriver(sink, 'a:round-trips');
    const post = poster(bot, user.conversationId);
    const hi = await step(() => post({ type: 'message', text: 'hi' }));
    const cardSteps = await toSms(user, post);
    const sms = await step(async () => {
      await user.press(post, 'method.sms');
      await user.waitForCard('We sent a 6-digit code');
    });
    const verify = await step(async () => user.press(post, 'code.verify', { code: await demoCode(bot.url) }));
    expect(user.lastCardText()).toContain('Your phone is registered');

    // A message with no card: the echo's cost, one read and one conditional write of the state.
    expect([count(hi, 'read'), count(hi, 'write')]).toEqual([1, 1]);
    for (const ops of cardSteps) {
      expect(count(ops, 'read')).toBe(1);
      expect(count(ops, 'read', CONVERSATION_STATE)).toBe(1);
      // The state's conditional save is the card's exactly-once claim too: no record of its own.
      expect(count(ops, 'write')).toBe(1);
      expect(count(ops, 'write', CONVERSATION_STATE)).toBe(1);
      expect(count(ops, 'write', CLAIM)).toBe(0);
    }
    // The send: the claim, the state read and written, and the three cap counters read and written
    // together (the user's counter also holds the account guard, so there is no guard round trip).
    expect([count(sms, 'read'), count(sms, 'write')]).toEqual([1 + 3, 1 + 1 + 3]);
    expect(count(sms, 'read', CONVERSATION_STATE)).toBe(1);
    expect(count(sms, 'write', CLAIM)).toBe(1);
    expect(count(sms, 'write', CONVERSATION_STATE)).toBe(1);
    expect([count(sms, 'read', SEND_CAP), count(sms, 'write', SEND_CAP)]).toEqual([3, 3]);
    expect(count(sms, 'read', COUNTRY_SHARD)).toBe(1);
    expect(count(sms, 'read', ACCOUNT_GUARD) + count(sms, 'read', FORMER_COUNTRY)).toBe(0);
    // The Graph write after a correct code with no failures to reset: the claim and the state, nothing more.
    expect([count(verify, 'read'), count(verify, 'write')]).toEqual([1, 2]);
    expect(count(verify, 'read', CONVERSATION_STATE)).toBe(1);
    expect(count(verify, 'write', CLAIM)).toBe(1);
  });
});
