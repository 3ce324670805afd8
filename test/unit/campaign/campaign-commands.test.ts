import { join } from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import pino from 'pino';
import type { Agent } from 'undici';
import { CardRenderer } from '../../../src/cards/card-renderer';
import { CardViews } from '../../../src/cards/card-views';
import { BlobStateStorage } from '../../../src/storage/blob-state-storage';
import { parseCampaignArgs, type CampaignArgs } from '../../../tools/campaign/campaign-args';
import {
  remindCommand,
  reportCommand,
  runCommand,
  startCommand,
  statusCommand,
  stopCommand,
  type CampaignServices,
} from '../../../tools/campaign/campaign-commands';
import { TeamsBatchClient } from '../../../tools/campaign/teams-batch-client';
import { ConnectorWelcomeSender, welcomeActivity } from '../../../tools/campaign/welcome-sender';
import { azuriteConnectionString, azuriteQueueConnectionString } from '../../support/azurite';
import { ConnectorSink } from '../../fakes/connector-sink';
import { FakeCampaignGraph } from '../../fakes/fake-campaign-graph';
import { ManualClock } from '../../fakes/manual-clock';
import { createTestTls, createTrustingAgent } from '../../fakes/test-tls';
import { campaignGraph, userId } from './campaign-fixture';

const PHONE = '#microsoft.graph.phoneAuthenticationMethod';
const DAY = 24 * 60 * 60 * 1000;

function args(argv: string[]): CampaignArgs {
  const parsed = parseCampaignArgs(argv);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('campaign commands: start, status, report, remind, stop', () => {
  let graph: FakeCampaignGraph;
  let agent: Agent;
  let sink: ConnectorSink;
  let lines: string[];
  let services: CampaignServices;
  let clock: ManualClock;
  let audited: Array<{ userId: string; result: string }>;

  beforeAll(async () => {
    const tls = await createTestTls();
    graph = await FakeCampaignGraph.start(tls);
    agent = createTrustingAgent(tls.cert);
  });
  beforeEach(async () => {
    // Eleven people without a phone, one with: the same tenant for every test.
    for (let n = 1; n <= 12; n++) graph.addUser({ id: userId(50_000 + n), displayName: `P${n}`, methods: n === 12 ? [PHONE] : [] });
    sink = await ConnectorSink.start();
    lines = [];
    audited = [];
    clock = new ManualClock();
    const container = `campaign-cmd-${Math.random().toString(36).slice(2, 10)}`;
    const storage = new BlobStateStorage({ connectionString: azuriteConnectionString(), container, logger: pino({ level: 'silent' }) });
    const views = new CardViews({
      renderer: new CardRenderer(join(__dirname, '..', '..', '..', 'cards')),
      demoMode: false,
      portalUrl: 'https://mysignins.microsoft.com/security-info',
      helpdeskContact: 'the IT helpdesk',
    });
    const sleep = async (ms: number): Promise<void> => clock.advance(ms);
    services = {
      graph: campaignGraph(graph, agent, clock),
      storage,
      queueConnectionString: azuriteQueueConnectionString(),
      allowedGroupId: '',
      clock,
      readFile: async (file) =>
        file === 'users.csv' ? Array.from({ length: 12 }, (_, i) => `${userId(50_001 + i)},P${i + 1}`).join('\n') : 'From IT: please add a phone by Friday.',
      print: (line) => lines.push(line),
      out: { write: () => true },
      runner: {
        sender: new ConnectorWelcomeSender({
          adapter: new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})),
          botAppId: '',
          tenantId: '11111111-1111-4111-8111-111111111111',
          serviceUrl: sink.serviceUrl,
          views,
          newNonce: () => 'n',
          notice: () => '',
          pace: async () => undefined,
          sleep,
        }),
        batchMessaging: {
          api: new TeamsBatchClient({ serviceUrl: sink.serviceUrl, token: async () => undefined, pace: async () => undefined, sleep }),
          tenantId: '11111111-1111-4111-8111-111111111111',
          activity: (locale, note) => welcomeActivity({ views, notice: () => '' }, 'n', locale, note),
          newBatchId: () => Math.random().toString(36).slice(2),
          // Groups under four people get single messages: the last round of three shows that path.
          minBatch: 4,
        },
        audit: (entry) => audited.push(entry),
        sleep,
        // Rounds of four people, so `stop` has people left to leave in the queue.
        batchSize: 4,
        idleSleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        catalogAppId: '22222222-2222-4222-8222-222222222222',
        defaultLocale: 'en',
        visibilityTimeoutSeconds: 30,
        staleAfterMs: 60_000,
      },
    };
  });
  afterEach(async () => sink.close());
  afterAll(async () => {
    await graph.close();
    await agent.close();
  });

  it('start reaches everyone planned with the note above the card; status and report tell who and how; remind reaches only those still without a phone, once', async () => {
    expect(await startCommand(args(['start', '--csv', 'users.csv', '--message-file', 'note.txt']), services)).toBe(0);
    expect(sink.replies).toHaveLength(11);
    expect(sink.replies[0]?.text).toBe('From IT: please add a phone by Friday.');
    expect(sink.replies.every((r) => r.text === 'From IT: please add a phone by Friday.')).toBe(true);
    // One audit line per Graph write (the app installed for each), naming the person and the result.
    const installs = graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/installedApps'));
    expect(installs).toHaveLength(11);
    expect(audited.map((a) => [a.userId, a.result]).sort()).toEqual(installs.map((r) => [r.path.split('/')[3], 'installed']).sort());

    lines = [];
    await statusCommand(args(['status']), services);
    expect(lines.find((l) => l.trim().startsWith('sent'))).toMatch(/sent\s+11$/);

    // Two people register; a week later the report says so and the reminder skips them.
    for (const n of [1, 2]) graph.users.set(userId(50_000 + n), { ...graph.users.get(userId(50_000 + n))!, methods: [PHONE] });
    clock.advance(8 * DAY);
    lines = [];
    await reportCommand(args(['report', '--csv']), services);
    expect(lines[0]).toBe('userId,state,installed,reason,reachedAt,registeredSince,delivery');
    expect(lines).toHaveLength(12);
    expect(lines.filter((l) => /,yes,(batch|single)$/.test(l))).toHaveLength(2);
    expect(lines.find((l) => l.startsWith(userId(50_003)))).toMatch(/^[^,]+,sent,installed,,[^,]+,no,(batch|single)$/);
    // Rounds of four: two batches of four, then three people each with a single message.
    expect(lines.filter((l) => l.endsWith(',batch'))).toHaveLength(8);
    expect(lines.filter((l) => l.endsWith(',single'))).toHaveLength(3);
    expect(sink.batch.operations.size).toBe(2);

    expect(await remindCommand(args(['remind', '--after', '7']), services)).toBe(0);
    expect(sink.replies).toHaveLength(11 + 9);
    expect(await remindCommand(args(['remind', '--after', '7']), services)).toBe(0);
    expect(sink.replies).toHaveLength(11 + 9);
  }, 60_000);

  it('stop halts the runners and leaves the rest queued; run resumes', async () => {
    // Start, but stop the campaign as soon as the first message has gone out.
    let stopped = false;
    sink.throttle = () => {
      if (!stopped) {
        stopped = true;
        void stopCommand(args(['stop']), services);
      }
      return undefined;
    };
    await startCommand(args(['start', '--csv', 'users.csv']), services);
    const before = sink.replies.length;
    expect(before).toBeLessThan(11);
    expect(lines.some((l) => l.includes('was stopped'))).toBe(true);

    sink.throttle = () => undefined;
    expect(await runCommand(args(['run']), services)).toBe(0);
    expect(sink.replies).toHaveLength(11);
    expect(new Set(sink.created.map((c) => c.memberId)).size).toBe(11);
  }, 60_000);
});
