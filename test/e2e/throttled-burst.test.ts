import { randomBytes } from 'node:crypto';
import type { Agent } from 'undici';
import { GraphPhoneDirectory } from '../../src/directory/graph-phone-directory';
import { GraphThrottleGate } from '../../src/graph/graph-throttle-gate';
import { createLogger } from '../../src/logging/logger';
import { createStorage } from '../../src/storage/create-storage';
import type { Scheduler } from '../../src/time/scheduler';
import { ConnectorSink } from '../fakes/connector-sink';
import { FakeGraphServer } from '../fakes/fake-graph-server';
import { ManualClock } from '../fakes/manual-clock';
import { createTestTls, createTrustingAgent } from '../fakes/test-tls';
import { azuriteConnectionString } from '../support/azurite';
import { ConversationDriver, demoCode } from '../support/conversation-driver';
import { E2eBot } from '../support/e2e-bot';
import { sharedEnv, uniqueContainer } from '../support/shared-deployment';

const GRAPH_TOKEN = 'burst-graph-token-31c';
const USERS = 30;
const REGISTERED = 'Your phone is registered';
const TRY_AGAIN = /Please try again in (\d+) seconds\./;

function userId(n: number): string {
  return `00000000-0000-4000-8000-${(0xb0000 + n).toString(16).padStart(12, '0')}`;
}

/**
 * An enrollment morning in small: 30 users press "Verify" at the same moment on two instances that
 * share one Blob container (Azurite), against a Graph that allows 2 writes per second. Time is
 * virtual: every wait of the bot's Graph directory moves the clock the fake Graph and the throttle
 * gates read, at once.
 */
describe('a burst of registrations on two instances against a throttling Graph', () => {
  let sink: ConnectorSink;
  let graph: FakeGraphServer;
  let agent: Agent;
  let bots: E2eBot[];

  beforeAll(async () => {
    const tls = await createTestTls();
    graph = await FakeGraphServer.start({ tls, expectedToken: GRAPH_TOKEN });
    agent = createTrustingAgent(tls.cert);
  });
  afterAll(async () => {
    await graph.close();
    await agent.close();
  });
  afterEach(async () => {
    for (const bot of bots) await bot.stop();
    await sink.close();
  });

  it('registers everyone or tells them when to try again, with no phone lost or doubled', async () => {
    const clock = new ManualClock();
    graph.throttleAt({ perSecond: 2, burst: 2, now: () => clock.now() });
    const scheduler: Scheduler = {
      schedule(callback, delayMs) {
        clock.advance(delayMs);
        callback();
        return () => undefined;
      },
    };
    let draws = 0;
    const random = (): number => (draws++ * 0.37) % 1;
    const container = uniqueContainer();
    const env = sharedEnv(container, randomBytes(32).toString('base64'));
    const logger = createLogger({ level: 'silent', pretty: false });
    sink = await ConnectorSink.start();
    bots = [0, 1].map(() => {
      // The gate's record in the same Blob container as the instances' state, as production wires it.
      const storage = createStorage({ connectionString: azuriteConnectionString(), container }, logger);
      const directory = new GraphPhoneDirectory({
        tokenProvider: { getAccessToken: async () => GRAPH_TOKEN },
        baseUrl: graph.baseUrl,
        fetchOptions: { dispatcher: agent },
        logger,
        maxThrottleWaitMs: 3_000,
        scheduler,
        throttleGate: new GraphThrottleGate({ storage, clock, logger, random }),
      });
      return new E2eBot(sink, env, { directory });
    });
    for (const bot of bots) await bot.start();

    // Everyone reaches the code card one after the other (each code read from the demo inbox)...
    const users = [];
    for (let i = 0; i < USERS; i++) {
      const bot = bots[i % 2]!;
      const driver = new ConversationDriver(sink, `a:burst-${i}`);
      const from = { id: `29:burst-${i}`, name: 'Student', aadObjectId: userId(i) };
      const post = (activity: Parameters<E2eBot['post']>[0]): Promise<number> => bot.post({ ...activity, from }, { conversationId: driver.conversationId });
      const number = `090${String(10_000_000 + i)}`;
      expect(await post({ type: 'message', text: 'add phone' })).toBe(200);
      await driver.press(post, 'type.next', { phoneType: 'mobile' });
      await driver.press(post, 'number.next', { region: 'JP', number });
      await driver.press(post, 'method.sms');
      await driver.waitForCard('We sent a 6-digit code');
      users.push({ i, driver, post, code: await demoCode(bot.url), graphNumber: `+81 ${number.slice(1)}` });
    }
    // ...then all press "Verify" at once: 30 writes against a budget of 2 per second.
    await Promise.all(users.map((u) => u.driver.press(u.post, 'code.verify', { code: u.code })));

    let registered = 0;
    for (const u of users) {
      const phones = graph.phonesOf(userId(u.i));
      if (u.driver.lastCardText().includes(REGISTERED)) {
        registered++;
        expect(phones).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: u.graphNumber })]);
      } else {
        const told = u.driver.texts().map((text) => TRY_AGAIN.exec(text)?.[1]);
        expect(told.some((seconds) => seconds !== undefined && Number(seconds) > 0)).toBe(true);
        expect(phones).toEqual([]);
      }
    }
    expect(registered).toBeGreaterThan(0);
    expect(graph.throttled).toBeGreaterThan(0);
  }, 120_000);
});
