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
import { CampaignGraph } from '../../../tools/campaign/campaign-graph';
import { CampaignStore } from '../../../tools/campaign/campaign-record';
import { runCampaign, type RunnerOptions } from '../../../tools/campaign/campaign-runner';
import { Pacer } from '../../../tools/campaign/pacing';
import { PersonLedger } from '../../../tools/campaign/person-ledger';
import { ConnectorWelcomeSender } from '../../../tools/campaign/welcome-sender';
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
}): { readonly run: () => ReturnType<typeof runCampaign>; readonly ledger: PersonLedger; readonly queue: WorkQueue; readonly campaigns: CampaignStore } {
  const storage =
    options.storage ?? new BlobStateStorage({ connectionString: azuriteConnectionString(), container: 'campaign-test', logger: pino({ level: 'silent' }) });
  const ledger = new PersonLedger(storage, options.campaignId);
  const queue = new WorkQueue(azuriteQueueConnectionString(), WorkQueue.nameFor(options.campaignId));
  const campaigns = new CampaignStore(storage);
  const { sleep } = virtualTime(options.clock);
  const views = new CardViews({
    renderer: new CardRenderer(join(__dirname, '..', '..', '..', 'cards')),
    demoMode: false,
    portalUrl: 'https://mysignins.microsoft.com/security-info',
    helpdeskContact: 'the IT helpdesk',
  });
  const pacer = new Pacer(options.rate, options.clock, sleep);
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
  const runnerOptions: RunnerOptions = {
    campaignId: options.campaignId,
    need: 'phone',
    queue,
    ledger,
    campaigns,
    graph: options.graph,
    sender,
    clock: options.clock,
    idleSleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    catalogAppId: CATALOG_APP_ID,
    defaultLocale: 'en',
    visibilityTimeoutSeconds: 30,
    staleAfterMs: 60_000,
    ...options.overrides,
  };
  return { run: () => runCampaign(runnerOptions), ledger, queue, campaigns };
}
