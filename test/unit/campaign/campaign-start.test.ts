import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import { ConnectorSink } from '../../fakes/connector-sink';
import { FakeCampaignGraph } from '../../fakes/fake-campaign-graph';
import { ManualClock } from '../../fakes/manual-clock';
import { createTestTls, createTrustingAgent } from '../../fakes/test-tls';
import { campaignGraph, runnerFor, userId } from './campaign-fixture';

const PEOPLE = 2_000;
const PHONE = '#microsoft.graph.phoneAuthenticationMethod';

describe('campaign start', () => {
  let graph: FakeCampaignGraph;
  let sink: ConnectorSink;
  let agent: Agent;

  beforeAll(async () => {
    const tls = await createTestTls();
    graph = await FakeCampaignGraph.start(tls);
    agent = createTrustingAgent(tls.cert);
  });
  beforeEach(async () => {
    sink = await ConnectorSink.start();
  });
  afterEach(async () => sink.close());
  afterAll(async () => {
    await graph.close();
    await agent.close();
  });

  /** Seeds `count` people (every third already has the app) and enqueues them all. */
  async function enqueue(campaignId: string, count: number, first = 1): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => userId(first + i));
    ids.forEach((id, i) => graph.addUser({ id, displayName: `Person ${i}`, appInstalled: i % 3 === 0, preferredLanguage: i % 2 ? 'ja-JP' : 'en-US' }));
    const { queue } = runnerFor({ campaignId, graph: campaignGraph(graph, agent, new ManualClock()), sink, clock: new ManualClock(), rate: 10 });
    await queue.prepare();
    await queue.enqueue(ids.map((id) => ({ campaignId, userId: id })));
    return ids;
  }

  it('reaches 2,000 people once each, installs the app where missing, and never goes above the rate on the injected clock', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, PEOPLE, 1);
    const clock = new ManualClock();
    const times: number[] = [];
    // Teams throttles every 501st message (Retry-After: 1) and Graph every 97th install (Retry-After: 2): both are waited out.
    let messages = 0;
    sink.throttle = ({ method, url }) => {
      if (method !== 'POST' || !/\/activities/.test(url)) return undefined;
      if (++messages % 501 === 0) return 1;
      // Accepted messages only: a refused one is retried by the connector client's own pipeline
      // (@azure/core-rest-pipeline throttlingRetryPolicy), which honours Retry-After in real time.
      times.push(clock.now());
      return undefined;
    };
    // Graph throttles every 97th install with Retry-After: 2, which the runner waits out.
    let installs = 0;
    graph.throttle = ({ method, path }) => (method === 'POST' && path.endsWith('/installedApps') && ++installs % 97 === 0 ? 2 : undefined);
    const rate = 20;
    // The ledger in memory here to keep 2,000 people fast; the crash test below runs on blob storage.
    const { run, ledger } = runnerFor({ campaignId, graph: campaignGraph(graph, agent, clock), sink, clock, rate, storage: new MemoryStateStorage() });

    const summary = await run();

    expect(summary).toEqual({ sent: PEOPLE, skipped: 0, failed: 0, uncertain: 0, stopped: false });
    const members = sink.created.map((c) => c.memberId);
    expect(new Set(members).size).toBe(PEOPLE);
    expect(sink.replies).toHaveLength(PEOPLE);
    expect(times).toHaveLength(PEOPLE);
    expect(messages).toBeGreaterThan(PEOPLE);
    expect(new Set(members)).toEqual(new Set(ids));
    // No one-second window on the injected clock holds more than `rate` messages.
    const tooClose = times.flatMap((t, i) => (i >= rate && t - times[i - rate]! < 1000 ? [[i, times.slice(i - rate, i + 1).map((x) => x - times[0]!)]] : []));
    expect(tooClose).toEqual([]);
    const sample = await ledger.read(ids[0]!);
    expect(sample).toMatchObject({ state: 'sent', installed: 'already' });
    expect(await ledger.read(ids[1]!)).toMatchObject({ state: 'sent', installed: 'installed', locale: 'ja' });
    expect(graph.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(graph.users.get(ids[1]!)?.installed).toBe(true);
  }, 300_000);

  it('skips people who registered a phone after the plan, and people outside ALLOWED_GROUP_ID', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, 6, 10_001);
    graph.users.set(ids[0]!, { ...graph.users.get(ids[0]!)!, methods: [PHONE] });
    const clock = new ManualClock();
    const { run, ledger } = runnerFor({
      campaignId,
      graph: campaignGraph(graph, agent, clock),
      sink,
      clock,
      rate: 50,
      overrides: { allowedUserIds: new Set(ids.slice(0, 5)) },
    });

    expect(await run()).toMatchObject({ sent: 4, skipped: 2 });
    expect(await ledger.read(ids[0]!)).toMatchObject({ state: 'skipped', reason: 'registered before the message went out' });
    expect(await ledger.read(ids[5]!)).toMatchObject({ state: 'skipped', reason: 'not a member of ALLOWED_GROUP_ID' });
    expect(sink.created.map((c) => c.memberId)).toEqual(expect.not.arrayContaining([ids[0], ids[5]]));
  }, 60_000);

  it('after a crash between sending and recording, a resumed run reconciles that person instead of messaging them again', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, 40, 20_001);
    const clock = new ManualClock();
    const crashAt = ids[7]!;
    const first = runnerFor({
      campaignId,
      graph: campaignGraph(graph, agent, clock),
      sink,
      clock,
      rate: 50,
      // A visibility timeout of one second so the killed runner's messages come back soon.
      overrides: {
        visibilityTimeoutSeconds: 1,
        beforeRecord: (id) => {
          if (id === crashAt) throw new Error('killed');
        },
      },
    });
    await expect(first.run()).rejects.toThrow('killed');
    const sentBeforeCrash = sink.created.length;
    expect(await first.ledger.read(crashAt)).toMatchObject({ state: 'sending' });

    // Later (past the stale limit), two runners resume together and share what is left.
    clock.advance(120_000);
    const resume = () => runnerFor({ campaignId, graph: campaignGraph(graph, agent, clock), sink, clock, rate: 50, overrides: { batchSize: 2 } }).run();
    const [a, b] = await Promise.all([resume(), resume()]);

    const members = sink.created.map((c) => c.memberId);
    expect(members.filter((m) => m === crashAt)).toHaveLength(1);
    expect(new Set(members).size).toBe(members.length);
    expect(new Set(members)).toEqual(new Set(ids));
    expect(sink.replies).toHaveLength(40);
    expect(a.uncertain + b.uncertain).toBe(1);
    expect(a.sent + b.sent).toBe(40 - sentBeforeCrash);
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0);
    expect(await first.ledger.read(crashAt)).toMatchObject({ state: 'uncertain' });
  }, 60_000);
});
