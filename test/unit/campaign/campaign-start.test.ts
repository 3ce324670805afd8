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

  /** True when no one-second window holds more than `rate` of the times. */
  function withinRate(times: readonly number[], rate: number): Array<[number, number]> {
    const sorted = [...times].sort((a, b) => a - b);
    return sorted.flatMap((t, i) => (i >= rate && t - sorted[i - rate]! < 1000 ? [[i, t - sorted[0]!] as [number, number]] : []));
  }

  it('reaches 2,000 people once each in batches of one language, installs the app where missing, audits each install, and never goes above the rate on the injected clock', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, PEOPLE, 1);
    const clock = new ManualClock();
    // Teams throttles every 7th batch submit (Retry-After: 1) and Graph every 97th install (Retry-After: 2): both are waited out.
    let submits = 0;
    sink.throttle = ({ method, url }) => (method === 'POST' && url.startsWith('/v3/batch/conversation/users') && ++submits % 7 === 0 ? 1 : undefined);
    let installs = 0;
    graph.throttle = ({ method, path }) => (method === 'POST' && path.endsWith('/installedApps') && ++installs % 97 === 0 ? 2 : undefined);
    const rate = 20;
    const slots: number[] = [];
    const audited: Array<{ userId: string; result: string }> = [];
    // The ledger in memory here to keep 2,000 people fast; the crash tests below run on blob storage.
    const { run, ledger } = runnerFor({
      campaignId,
      graph: campaignGraph(graph, agent, clock),
      sink,
      clock,
      rate,
      storage: new MemoryStateStorage(),
      onSlot: (at) => slots.push(at),
      audit: (entry) => audited.push(entry),
    });

    const summary = await run();

    expect(summary).toEqual({ sent: PEOPLE, skipped: 0, failed: 0, uncertain: 0, stopped: false });
    const members = sink.created.map((c) => c.memberId);
    expect(new Set(members).size).toBe(PEOPLE);
    expect(new Set(members)).toEqual(new Set(ids));
    expect(sink.replies).toHaveLength(PEOPLE);
    // Every operation holds at most 100 people of one language, and its card speaks that language.
    const operations = [...sink.batch.operations.values()];
    expect(operations.every((op) => op.memberIds.length <= 100)).toBe(true);
    expect(operations.reduce((n, op) => n + op.memberIds.length, 0)).toBe(PEOPLE);
    const japanese = new Set(ids.filter((_, i) => i % 2 === 1));
    for (const op of operations) expect(new Set(op.memberIds.map((id) => japanese.has(id)))).toEqual(new Set([op.activity.locale === 'ja-JP']));
    expect(submits).toBeGreaterThan(operations.length);
    // Each batch spends one slot per member and one per poll: no one-second window holds more than `rate`.
    expect(slots.length).toBeGreaterThanOrEqual(PEOPLE);
    expect(withinRate(slots, rate)).toEqual([]);
    expect(await ledger.read(ids[0]!)).toMatchObject({ state: 'sent', installed: 'already', delivery: 'batch' });
    expect(await ledger.read(ids[1]!)).toMatchObject({ state: 'sent', installed: 'installed', locale: 'ja', delivery: 'batch' });
    expect(graph.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(graph.users.get(ids[1]!)?.installed).toBe(true);
    // One audit line per person's install (a Graph write), with its result.
    expect(audited).toHaveLength(PEOPLE);
    expect(new Set(audited.map((a) => a.userId))).toEqual(new Set(ids));
    expect(audited.filter((a) => a.result === 'already')).toHaveLength(ids.filter((_, i) => i % 3 === 0).length);
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

  it('after a crash between a single message and its record, a resumed run reconciles that person instead of messaging them again; two runners share one rate', async () => {
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
      batch: false,
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
    const slots: number[][] = [[], []];
    const resume = (n: number) =>
      runnerFor({
        campaignId,
        graph: campaignGraph(graph, agent, clock),
        sink,
        clock,
        rate: 20,
        batch: false,
        onSlot: (at) => slots[n]!.push(at),
        overrides: { batchSize: 2 },
      }).run();
    const [a, b] = await Promise.all([resume(0), resume(1)]);

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
    // Both runners sent, from one chain of slots in the shared storage: together they kept to the rate.
    expect(slots[0]!.length).toBeGreaterThan(0);
    expect(slots[1]!.length).toBeGreaterThan(0);
    expect(withinRate([...slots[0]!, ...slots[1]!], 20)).toEqual([]);
  }, 60_000);
});
