import type { Agent } from 'undici';
import { GraphPhoneDirectory, type GraphPhoneDirectoryOptions } from '../../src/directory/graph-phone-directory';
import { createLogger } from '../../src/logging/logger';
import { ConnectorSink } from '../fakes/connector-sink';
import { FakeGraphServer } from '../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent } from '../fakes/test-tls';
import type { E2eBot } from './e2e-bot';

/** One bot on port 0 and the connector sink its replies go to, fresh for every test. */
interface E2eBotFixture {
  readonly sink: ConnectorSink;
  readonly bot: E2eBot;
}

/** The fake Graph on https (one per file) and an undici agent trusting its certificate. */
interface FakeGraphFixture {
  readonly graph: FakeGraphServer;
  readonly agent: Agent;
}

interface GraphE2eOptions {
  /** The bearer token the fake Graph accepts. */
  readonly token: string;
  /** When true, only users seeded on the fake Graph exist. */
  readonly knownUsersOnly?: boolean;
  /** Builds the bot for one test (the fake Graph's request log is already empty); seeds the fake first where a test needs it. */
  readonly createBot: (sink: ConnectorSink, fake: FakeGraphFixture) => E2eBot;
}

/**
 * Registers the jest hooks that start a connector sink and the bot `createBot` builds before every
 * test, and stop both after it; returns a getter for the current test's pair.
 */
export function useE2eBot(createBot: (sink: ConnectorSink) => E2eBot): () => E2eBotFixture {
  let current: E2eBotFixture | undefined;
  beforeEach(async () => {
    const sink = await ConnectorSink.start();
    const bot = createBot(sink);
    await bot.start();
    current = { sink, bot };
  });
  afterEach(async () => {
    if (!current) return;
    const { sink, bot } = current;
    current = undefined;
    await bot.stop();
    await sink.close();
  });
  return () => {
    if (!current) throw new Error('the bot exists only inside a test');
    return current;
  };
}

/**
 * The Graph-backed end-to-end set-up: the fake Graph on https for the whole file, and per test a
 * connector sink and the bot `createBot` builds over it.
 */
export function useGraphE2e(options: GraphE2eOptions): () => E2eBotFixture & FakeGraphFixture {
  let fake: FakeGraphFixture | undefined;
  beforeAll(async () => {
    const tls = await createTestTls();
    const graph = await FakeGraphServer.start({ tls, expectedToken: options.token, knownUsersOnly: options.knownUsersOnly });
    fake = { graph, agent: createTrustingAgent(tls.cert) };
  });
  afterAll(async () => {
    await fake?.graph.close();
    await fake?.agent.close();
  });
  const bot = useE2eBot((sink) => {
    const started = fakeGraph();
    started.graph.requests.length = 0;
    return options.createBot(sink, started);
  });
  function fakeGraph(): FakeGraphFixture {
    if (!fake) throw new Error('the fake Graph starts before the first test');
    return fake;
  }
  return () => ({ ...fakeGraph(), ...bot() });
}

/** The real Graph directory over the fake, with a fixed token and silent logs; `extra` adds what a test tunes. */
export function fakeGraphDirectory(fake: FakeGraphFixture, token: string, extra: Partial<GraphPhoneDirectoryOptions> = {}): GraphPhoneDirectory {
  return new GraphPhoneDirectory({
    tokenProvider: { getAccessToken: async () => token },
    baseUrl: fake.graph.baseUrl,
    fetchOptions: { dispatcher: fake.agent },
    logger: createLogger({ level: 'silent', pretty: false }),
    ...extra,
  });
}
