import type { Agent } from 'undici';
import { planCampaign } from '../../../tools/campaign/campaign-plan';
import { csvUsers, groupUsers, resolveGroupId } from '../../../tools/campaign/campaign-targets';
import { FakeCampaignGraph } from '../../fakes/fake-campaign-graph';
import { ManualClock } from '../../fakes/manual-clock';
import { createTestTls, createTrustingAgent } from '../../fakes/test-tls';
import { campaignGraph, userId } from './campaign-fixture';

const PHONE = '#microsoft.graph.phoneAuthenticationMethod';
const AUTHENTICATOR = '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod';
const ROOT = 'aaaaaaaa-0000-4000-8000-000000000001';
const NESTED = 'aaaaaaaa-0000-4000-8000-000000000002';
const DEEPER = 'aaaaaaaa-0000-4000-8000-000000000003';

describe('campaign plan', () => {
  let graph: FakeCampaignGraph;
  let agent: Agent;

  beforeAll(async () => {
    const tls = await createTestTls();
    graph = await FakeCampaignGraph.start(tls);
    agent = createTrustingAgent(tls.cert);
    // 10,000 people: 4,000 directly in the root group, 4,000 in a nested group, 2,000 two levels down;
    // 500 of the nested ones are also direct members (counted once).
    for (let n = 1; n <= 10_000; n++) {
      const methods = n % 4 === 0 ? [PHONE] : n % 4 === 1 ? [AUTHENTICATOR] : [];
      graph.addUser({ id: userId(n), displayName: `Person ${n}`, methods });
    }
    const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => userId(from + i));
    graph.addGroup({ id: DEEPER, displayName: 'Deeper', members: range(8_001, 10_000) });
    graph.addGroup({ id: NESTED, displayName: 'Nested', members: [...range(4_001, 8_000), DEEPER] });
    graph.addGroup({ id: ROOT, displayName: 'Everyone in Osaka', members: [...range(1, 4_000), ...range(4_001, 4_500), NESTED] });
    graph.pageSize = 999;
  });
  afterAll(async () => {
    await graph.close();
    await agent.close();
  });

  it('plans 10,000 people from nested groups over many pages, counting who already has a phone, and writes nothing', async () => {
    const clock = new ManualClock();
    let reads = 0;
    // Graph throttles every 250th method read with Retry-After: 3; the plan waits it out on the injected clock.
    graph.throttle = ({ path }) => (path.endsWith('/authentication/methods') && ++reads % 250 === 0 ? 3 : undefined);
    const client = campaignGraph(graph, agent, clock);
    const groupId = await resolveGroupId(client, 'Everyone in Osaka');
    const people = await groupUsers(client, groupId);
    const plan = await planCampaign({ graph: client, people, need: 'phone' });

    expect(groupId).toBe(ROOT);
    expect(plan.members).toBe(10_000);
    expect(plan.alreadyHave).toBe(2_500);
    expect(plan.targets).toHaveLength(7_500);
    expect(plan.targets.some((p) => p.userId === userId(4))).toBe(false);
    expect(graph.requests.filter((r) => r.path.includes('transitiveMembers')).length).toBe(Math.ceil(10_000 / 999));
    expect(graph.requests.filter((r) => r.status === 429).length).toBe(40);
    expect(graph.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(clock.now()).toBeGreaterThan(new ManualClock().now() + 40 * 3_000);
  }, 300_000);

  it('with --need any-mfa leaves out everyone with any second factor, and ALLOWED_GROUP_ID limits the plan', async () => {
    graph.throttle = () => undefined;
    const client = campaignGraph(graph, agent, new ManualClock());
    const people = csvUsers(`id,name\n${userId(1)},A\n${userId(2)},B\n${userId(3)},C\n${userId(4)},D\nnot-a-guid,E\n${userId(2)},B again`);
    const allowed = new Set(await groupUsers(client, DEEPER).then((u) => u.map((p) => p.userId)));
    allowed.add(userId(1));
    allowed.add(userId(2));
    const plan = await planCampaign({ graph: client, people, need: 'any-mfa', allowedUserIds: allowed });

    expect(plan.members).toBe(4);
    expect(plan.notAllowed).toBe(2);
    expect(plan.alreadyHave).toBe(1);
    expect(plan.targets.map((p) => p.userId)).toEqual([userId(2)]);
  });

  it('refuses a group name that matches no group', async () => {
    const client = campaignGraph(graph, agent, new ManualClock());
    await expect(resolveGroupId(client, 'Nobody')).rejects.toThrow('No group is named "Nobody"');
  });
});
