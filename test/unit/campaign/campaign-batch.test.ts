import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { TeamsBatchClient, TeamsBatchError } from '../../../tools/campaign/teams-batch-client';
import { ConnectorSink } from '../../fakes/connector-sink';
import { FakeCampaignGraph } from '../../fakes/fake-campaign-graph';
import { ManualClock } from '../../fakes/manual-clock';
import { createTestTls, createTrustingAgent } from '../../fakes/test-tls';
import { campaignGraph, runnerFor, userId } from './campaign-fixture';

describe('campaign batches through Teams batch messaging', () => {
  let graph: FakeCampaignGraph;
  let sink: ConnectorSink;
  let agent: Agent;
  let requests: string[];

  beforeAll(async () => {
    const tls = await createTestTls();
    graph = await FakeCampaignGraph.start(tls);
    agent = createTrustingAgent(tls.cert);
  });
  beforeEach(async () => {
    sink = await ConnectorSink.start();
    requests = [];
    sink.throttle = ({ method, url }) => {
      requests.push(`${method} ${url}`);
      return undefined;
    };
  });
  afterEach(async () => sink.close());
  afterAll(async () => {
    await graph.close();
    await agent.close();
  });

  /** Seeds `count` people, all English, and enqueues them. */
  async function enqueue(campaignId: string, count: number, first: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => userId(first + i));
    ids.forEach((id, i) => graph.addUser({ id, displayName: `Person ${i}`, preferredLanguage: 'en-US' }));
    const { queue } = runnerFor({ campaignId, graph: campaignGraph(graph, agent, new ManualClock()), sink, clock: new ManualClock(), rate: 50 });
    await queue.prepare();
    await queue.enqueue(ids.map((id) => ({ campaignId, userId: id })));
    return ids;
  }

  /** A runner that is killed right after the batch reaches `stage` ('submitted' to Teams, or its operation 'recorded'). */
  function killedAt(stage: string, campaignId: string, clock: ManualClock): ReturnType<typeof runnerFor> {
    return runnerFor({
      campaignId,
      graph: campaignGraph(graph, agent, clock),
      sink,
      clock,
      rate: 50,
      overrides: {
        visibilityTimeoutSeconds: 1,
        afterSubmit: (reached) => {
          if (reached === stage) throw new Error('killed');
        },
      },
    });
  }

  it('records who Teams could not reach from the failed entries (paged), waits out a 429 on the injected clock, and polls until the operation completes', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, 12, 40_001);
    sink.batch.unreachable.set(ids[2]!, 'BotNotInConversationRoster');
    sink.batch.unreachable.set(ids[5]!, 'BotNotInConversationRoster');
    sink.batch.unreachable.set(ids[9]!, 'MessageWritesBlocked');
    sink.batch.failedPageSize = 2;
    sink.batch.pollsUntilDone = 3;
    let firstSubmit = true;
    sink.throttle = ({ method, url }) => {
      requests.push(`${method} ${url}`);
      if (method === 'POST' && url.startsWith('/v3/batch/conversation/users') && firstSubmit) {
        firstSubmit = false;
        return 4;
      }
      return undefined;
    };
    const clock = new ManualClock();
    const startedAt = clock.now();
    const { run, ledger } = runnerFor({ campaignId, graph: campaignGraph(graph, agent, clock), sink, clock, rate: 50 });

    expect(await run()).toEqual({ sent: 9, skipped: 0, failed: 3, uncertain: 0, stopped: false });

    expect(sink.batch.operations.size).toBe(1);
    expect(requests.filter((r) => r.startsWith('POST /v3/batch/conversation/users'))).toHaveLength(2);
    // Retry-After: 4 was waited out on the campaign's clock, not in real time.
    expect(clock.now() - startedAt).toBeGreaterThanOrEqual(4000);
    const [operation] = [...sink.batch.operations.values()];
    expect(requests.filter((r) => r === `GET /v3/batch/conversation/${operation!.operationId}`).length).toBeGreaterThanOrEqual(4);
    // Three failed entries at two a page: two pages, the second asked for with the continuation token.
    expect(requests.filter((r) => r.startsWith(`GET /v3/batch/conversation/failedentries/${operation!.operationId}`))).toEqual([
      `GET /v3/batch/conversation/failedentries/${operation!.operationId}`,
      `GET /v3/batch/conversation/failedentries/${operation!.operationId}?continuationToken=2`,
    ]);
    expect(await ledger.read(ids[2]!)).toMatchObject({ state: 'failed', reason: 'teams: BotNotInConversationRoster', delivery: 'batch' });
    expect(await ledger.read(ids[9]!)).toMatchObject({ state: 'failed', reason: 'teams: MessageWritesBlocked' });
    expect(await ledger.read(ids[0]!)).toMatchObject({ state: 'sent', delivery: 'batch' });
    expect(sink.created.map((c) => c.memberId).sort()).toEqual(ids.filter((_, i) => ![2, 5, 9].includes(i)).sort());
  }, 60_000);

  it('killed after Teams accepted a batch and its operation was recorded, a resumed run polls that operation and never submits the batch again', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, 10, 41_001);
    const clock = new ManualClock();
    const first = killedAt('recorded', campaignId, clock);
    await expect(first.run()).rejects.toThrow('killed');
    expect(sink.batch.operations.size).toBe(1);
    const [operation] = [...sink.batch.operations.values()];
    const record = await first.ledger.read(ids[0]!);
    expect(record).toMatchObject({ state: 'sending', delivery: 'batch' });
    expect(await first.batches.read(record!.batchId!)).toMatchObject({ operationId: operation!.operationId, userIds: ids });
    expect(sink.replies).toHaveLength(0);

    // Resumed at once (no stale wait needed: the operation says what happened).
    const resumed = await runnerFor({ campaignId, graph: campaignGraph(graph, agent, clock), sink, clock, rate: 50 }).run();

    expect(resumed).toEqual({ sent: 10, skipped: 0, failed: 0, uncertain: 0, stopped: false });
    expect(sink.batch.operations.size).toBe(1);
    expect(requests.filter((r) => r.startsWith('POST /v3/batch/conversation/users'))).toHaveLength(1);
    expect(sink.created.map((c) => c.memberId).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await first.ledger.read(id)).toMatchObject({ state: 'sent', batchId: record!.batchId });
  }, 60_000);

  it('killed between Teams accepting a batch and recording its operation, a resumed run calls those people uncertain instead of messaging them twice', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, 6, 42_001);
    const clock = new ManualClock();
    const first = killedAt('submitted', campaignId, clock);
    await expect(first.run()).rejects.toThrow('killed');
    expect(sink.batch.operations.size).toBe(1);

    // Past the stale limit, the batch without an operation cannot say whether its card went.
    clock.advance(120_000);
    const resumed = await runnerFor({ campaignId, graph: campaignGraph(graph, agent, clock), sink, clock, rate: 50 }).run();

    expect(resumed).toMatchObject({ sent: 0, uncertain: 6 });
    expect(sink.batch.operations.size).toBe(1);
    for (const id of ids) {
      expect(await first.ledger.read(id)).toMatchObject({
        state: 'uncertain',
        reason: 'the runner stopped between submitting the batch and recording its operation',
      });
    }
  }, 60_000);

  it('a person claimed by a runner that died before anything was sent is taken over and reached once', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, 4, 43_001);
    const clock = new ManualClock();
    const first = runnerFor({ campaignId, graph: campaignGraph(graph, agent, clock), sink, clock, rate: 50 });
    // The dead runner's claim: `sending`, not yet in a batch nor sent alone.
    expect(await first.ledger.claim(ids[0]!, clock.now())).toBe(true);

    clock.advance(120_000);
    const summary = await runnerFor({ campaignId, graph: campaignGraph(graph, agent, clock), sink, clock, rate: 50 }).run();

    expect(summary).toEqual({ sent: 4, skipped: 0, failed: 0, uncertain: 0, stopped: false });
    expect(sink.created.map((c) => c.memberId).sort()).toEqual([...ids].sort());
  }, 60_000);

  it('an operation cancelled before it completed leaves its people uncertain, none reached, none sent again', async () => {
    const campaignId = randomUUID();
    const ids = await enqueue(campaignId, 5, 45_001);
    sink.batch.pollsUntilDone = 6;
    let cancelled: Promise<Response> | undefined;
    sink.throttle = ({ method, url }) => {
      requests.push(`${method} ${url}`);
      const state = /^\/v3\/batch\/conversation\/(amer_[^/?]+)$/.exec(url);
      // Someone cancels the operation (DELETE) while the runner is polling it.
      if (method === 'GET' && state && !cancelled) cancelled = fetch(`${sink.serviceUrl}v3/batch/conversation/${state[1]}`, { method: 'DELETE' });
      return undefined;
    };
    const clock = new ManualClock();
    const { run, ledger } = runnerFor({ campaignId, graph: campaignGraph(graph, agent, clock), sink, clock, rate: 50 });

    expect(await run()).toEqual({ sent: 0, skipped: 0, failed: 0, uncertain: 5, stopped: false });

    expect((await cancelled)?.status).toBe(200);
    expect([...sink.batch.operations.values()].map((op) => op.state)).toEqual(['Cancelled']);
    expect(sink.replies).toHaveLength(0);
    for (const id of ids) expect(await ledger.read(id)).toMatchObject({ state: 'uncertain', reason: 'teams batch operation Cancelled' });
  }, 60_000);

  it("keeps to Teams' limits: at most 100 members a batch, and the service's refusals come back with their status and code", async () => {
    const client = new TeamsBatchClient({
      serviceUrl: sink.serviceUrl,
      token: async () => undefined,
      pace: async () => undefined,
      sleep: async () => undefined,
    });
    const tenant = '11111111-1111-4111-8111-111111111111';
    const members = Array.from({ length: 101 }, (_, i) => userId(44_001 + i));
    await expect(client.submit({ type: 'message', text: 'x' }, members, tenant)).rejects.toThrow(RangeError);
    expect(requests).toEqual([]);

    sink.batch.maxMembers = 2;
    await expect(client.submit({ type: 'message', text: 'x' }, members.slice(0, 3), tenant)).rejects.toEqual(new TeamsBatchError(400, 'BadSyntax'));
    await expect(client.submit({ type: 'message', text: 'x' }, members.slice(0, 2), '')).rejects.toMatchObject({ status: 400, code: 'BadSyntax' });
    await expect(client.state('amer_unknown')).rejects.toMatchObject({ status: 404, code: 'NotFound' });
    const operationId = await client.submit({ type: 'message', text: 'x' }, members.slice(0, 2), tenant);
    expect(sink.batch.operations.get(operationId)?.memberIds).toEqual(members.slice(0, 2));
  });
});
