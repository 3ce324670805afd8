import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Agent } from 'undici';
import { CardRenderer } from '../../../src/cards/card-renderer';
import { CardViews } from '../../../src/cards/card-views';
import { GraphHttp } from '../../../src/graph/graph-http';
import { BlobStateStorage } from '../../../src/storage/blob-state-storage';
import type { StateStorage } from '../../../src/storage/state-storage';
import type { InstallAudit } from '../../../tools/campaign/app-installer';
import { BatchStore } from '../../../tools/campaign/batch-record';
import { CampaignGraph } from '../../../tools/campaign/campaign-graph';
import { CampaignStore } from '../../../tools/campaign/campaign-record';
import { runCampaign, type RunnerOptions } from '../../../tools/campaign/campaign-runner';
import { PersonLedger } from '../../../tools/campaign/person-ledger';
import { SharedPacer } from '../../../tools/campaign/shared-pacer';
import { TeamsBatchClient } from '../../../tools/campaign/teams-batch-client';
import { ConnectorWelcomeSender, welcomeActivity } from '../../../tools/campaign/welcome-sender';
import { WorkQueue } from '../../../tools/campaign/work-queue';
import { azuriteConnectionString, azuriteQueueConnectionString } from '../../support/azurite';
import type { ConnectorSink } from '../../fakes/connector-sink';
import type { FakeCampaignGraph } from '../../fakes/fake-campaign-graph';
import type { ManualClock } from '../../fakes/manual-clock';

const TENANT = '11111111-1111-4111-8111-111111111111';
const CATALOG_APP_ID = '22222222-2222-4222-8222-222222222222';

/** A user id that reads as a GUID, numbered. */
export function userId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Sleeps that only move the manual clock: waits cost no real time, and the clock records when things happen. */
function virtualTime(clock: ManualClock): { sleep: (ms: number) => Promise<void> } {
  return {
    sleep: async (ms) => {
      clock.advance(ms);
      await Promise.resolve();
    },
  };
}

export function campaignGraph(fake: FakeCampaignGraph, agent: Agent, clock: ManualClock): CampaignGraph {
  const http = new GraphHttp({ baseUrl: fake.baseUrl, fetchOptions: { dispatcher: agent }, timeoutMs: 10_000 });
  return new CampaignGraph({ http, token: async () => 'test-token', sleep: virtualTime(clock).sleep, random: () => 0.5 });
}

/** Everything one runner needs, on the run's Azurite (blob for records, queue for work) and the fakes. */
export function runnerFor(options: {
  readonly campaignId: string;
  readonly graph: CampaignGraph;
  readonly sink: ConnectorSink;
  readonly clock: ManualClock;
  readonly rate: number;
  readonly overrides?: Partial<RunnerOptions>;
  /** The service's shared blob storage unless given (the large runs use memory to stay fast). */
  readonly storage?: StateStorage;
  /** False: every person gets a single proactive message (no batch messaging). */
  readonly batch?: boolean;
  /** Told the start of every slot the shared rate hands out. */
  readonly onSlot?: (at: number) => void;
  /** Receives the audit lines of the Graph writes. */
  readonly audit?: InstallAudit;
}): {
  readonly run: () => ReturnType<typeof runCampaign>;
  readonly ledger: PersonLedger;
  readonly queue: WorkQueue;
  readonly campaigns: CampaignStore;
  readonly batches: BatchStore;
} {
  const storage =
    options.storage ?? new BlobStateStorage({ connectionString: azuriteConnectionString(), container: 'campaign-test', logger: pino({ level: 'silent' }) });
  const ledger = new PersonLedger(storage, options.campaignId);
  const queue = new WorkQueue(azuriteQueueConnectionString(), WorkQueue.nameFor(options.campaignId));
  const campaigns = new CampaignStore(storage);
  const batches = new BatchStore(storage, options.campaignId);
  const { sleep } = virtualTime(options.clock);
  const views = new CardViews({
    renderer: new CardRenderer(join(__dirname, '..', '..', '..', 'cards')),
    demoMode: false,
    portalUrl: 'https://mysignins.microsoft.com/security-info',
    helpdeskContact: 'the IT helpdesk',
  });
  const pacer = new SharedPacer({ storage, perSecond: options.rate, clock: options.clock, sleep, ...(options.onSlot ? { onSlot: options.onSlot } : {}) });
  const sender = new ConnectorWelcomeSender({
    adapter: new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})),
    botAppId: '',
    tenantId: TENANT,
    serviceUrl: options.sink.serviceUrl,
    views,
    newNonce: randomUUID,
    notice: () => '',
    pace: () => pacer.take(),
    sleep,
    random: () => 0.5,
  });
  let batchCounter = 0;
  const runnerOptions: RunnerOptions = {
    campaignId: options.campaignId,
    need: 'phone',
    queue,
    ledger,
    batches,
    campaigns,
    graph: options.graph,
    sender,
    ...(options.batch === false
      ? {}
      : {
          batchMessaging: {
            api: new TeamsBatchClient({
              serviceUrl: options.sink.serviceUrl,
              token: async () => undefined,
              pace: (n) => pacer.take(n),
              sleep,
              random: () => 0.5,
            }),
            tenantId: TENANT,
            activity: (locale, note) => welcomeActivity({ views, notice: () => '' }, randomUUID(), locale, note),
            newBatchId: () => `b${++batchCounter}-${randomUUID().slice(0, 8)}`,
            random: () => 0.5,
          },
        }),
    audit: options.audit ?? (() => undefined),
    clock: options.clock,
    sleep,
    idleSleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    catalogAppId: CATALOG_APP_ID,
    defaultLocale: 'en',
    visibilityTimeoutSeconds: 30,
    staleAfterMs: 60_000,
    ...options.overrides,
  };
  return { run: () => runCampaign(runnerOptions), ledger, queue, campaigns, batches };
}
