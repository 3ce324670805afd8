import { cpus, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGraphServer } from '../test/fakes/fake-graph-server';
import { createTestTls } from '../test/fakes/test-tls';
import { LocalAzurite } from '../test/support/azurite';
import { BurstConnector } from './burst-connector';
import { enrollOnce, type BurstContext, type BurstOutcome } from './burst-users';
import { ServerProcess } from './server-process';
import { percentile, round } from './stats';

const ROOT = join(__dirname, '..', '..', '..');
const BENCH_DIR = join(ROOT, 'bench');
const PROBE = join(__dirname, 'memory-probe.js');
const BOT = join(__dirname, 'burst-bot.js');
const TENANT = '22222222-2222-4222-8222-222222222222';
const GRAPH_TOKEN = 'burst-graph-token';
const MD_START = '<!-- enrollment-morning -->';
const MD_END = '<!-- /enrollment-morning -->';

interface BurstOptions {
  readonly users: number;
  /** Every user starts within this many seconds. */
  readonly windowSeconds: number;
  /** Graph's budget: writes per second per app. */
  readonly graphWritesPerSecond: number;
  readonly instances: number;
  readonly maxAttempts: number;
  /** The bot's longest wait for Graph within one turn before it tells the user when to try again. */
  readonly maxThrottleWaitMs: number;
}

function parseBurstArgs(argv: readonly string[]): BurstOptions {
  const value = (name: string, fallback: string): number => {
    const index = argv.indexOf(`--${name}`);
    return Number(index >= 0 && argv[index + 1] ? argv[index + 1] : fallback);
  };
  return {
    users: value('burst-users', '1000'),
    windowSeconds: value('burst-window', '60'),
    // Graph's identity and access limit: 3,000 writes per 2.5 min per app per tenant, about 20 per second.
    graphWritesPerSecond: value('graph-writes-per-second', '20'),
    instances: 2,
    maxAttempts: 3,
    maxThrottleWaitMs: value('max-throttle-wait', '5') * 1000,
  };
}

/** The service as `npm start` runs it in demo mode, on the shared Blob container, with the send caps a morning of 1,000 needs. */
function botEnv(connectionString: string, container: string, graph: { url: string; caFile: string }, options: BurstOptions): Record<string, string> {
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: 'error',
    LOG_FORMAT: 'json',
    DEMO_PLAYGROUND: 'false',
    DEFAULT_REGION: 'JP',
    SEND_LIMIT_COUNTRY_PER_DAY: '1000000',
    VERIFICATION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    STORAGE_CONNECTION_STRING: connectionString,
    STORAGE_CONTAINER: container,
    BURST_GRAPH_URL: graph.url,
    BURST_GRAPH_CA_FILE: graph.caFile,
    BURST_GRAPH_TOKEN: GRAPH_TOKEN,
    BURST_MAX_THROTTLE_WAIT_MS: String(options.maxThrottleWaitMs),
  };
}

/** A small seeded generator, so every run spreads the users' starts the same way. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Check {
  readonly lost: number;
  readonly doubled: number;
  readonly wrong: string[];
}

/** The fake Graph's final state against what each user was told. */
function checkAgainstGraph(fake: FakeGraphServer, outcomes: readonly BurstOutcome[]): Check {
  let lost = 0;
  let doubled = 0;
  const wrong: string[] = [];
  for (const outcome of outcomes) {
    const phones = fake.phonesOf(outcome.userId).filter((p) => p.phoneType === 'mobile');
    const matching = phones.filter((p) => p.phoneNumber === outcome.phoneNumber);
    if (phones.length > 1) doubled++;
    if (outcome.result === 'registered' && matching.length !== 1) {
      lost++;
      if (wrong.length < 5) wrong.push(`${outcome.userId}: told registered, Graph holds ${phones.length}`);
    }
    if (outcome.result === 'told to retry' && phones.length > 0 && wrong.length < 5)
      wrong.push(`${outcome.userId}: told to retry, Graph holds ${phones.length}`);
  }
  return { lost, doubled, wrong };
}

/** 1,000 users within a minute, two bot instances on one Blob container, a Graph that throttles. */
export async function runBurst(argv: readonly string[]): Promise<void> {
  const options = parseBurstArgs(argv);
  if (!existsSync(BOT)) throw new Error('build/bench/bench/burst-bot.js is missing: run `npm run bench -- --burst`');
  const tls = await createTestTls();
  const dir = mkdtempSync(join(tmpdir(), 'burst-'));
  const caFile = join(dir, 'graph-ca.pem');
  writeFileSync(caFile, tls.cert);
  const fake = await FakeGraphServer.start({ tls, expectedToken: GRAPH_TOKEN });
  fake.throttleAt({ perSecond: options.graphWritesPerSecond });
  const connector = await BurstConnector.start();
  const azurite = await LocalAzurite.start();
  const servers: ServerProcess[] = [];
  try {
    const env = botEnv(azurite.connectionString(), `burst-${Date.now().toString(36)}`, { url: fake.baseUrl, caFile }, options);
    for (let i = 0; i < options.instances; i++) servers.push(await ServerProcess.start({ script: BOT, env, probe: PROBE }));
    const waits = new Map<string, number[]>();
    const ctx: BurstContext = {
      connector,
      tenantId: TENANT,
      maxAttempts: options.maxAttempts,
      recordWait: (step, ms) => waits.set(step, [...(waits.get(step) ?? []), ms]),
    };
    const random = seeded(20261202);
    console.log(
      `burst: ${options.users} users within ${options.windowSeconds} s on ${options.instances} instances, Graph budget ${options.graphWritesPerSecond} writes/s`,
    );
    const startedAt = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: options.users }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, random() * options.windowSeconds * 1000));
        return enrollOnce(ctx, servers[i % servers.length]!.url, i);
      }),
    );
    const allDoneSeconds = (Math.max(...outcomes.map((o) => o.finishedAt)) - startedAt) / 1000;
    const check = checkAgainstGraph(fake, outcomes);
    const count = (result: BurstOutcome['result']): number => outcomes.filter((o) => o.result === result).length;
    const allWaits = [...waits.values()].flat().sort((a, b) => a - b);
    const told = outcomes.flatMap((o) => o.toldToWaitSeconds);
    const writes = fake.requestsTo('POST', '/phoneMethods').length;
    const result = {
      meta: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
        cores: cpus().length,
        node: process.version,
        date: new Date().toISOString().slice(0, 10),
        sharedMachine: true,
      },
      options,
      registered: count('registered'),
      toldToRetryAtTheEnd: count('told to retry'),
      failed: count('failed'),
      firstFailures: outcomes
        .filter((o) => o.result === 'failed')
        .slice(0, 5)
        .map((o) => o.detail ?? ''),
      lost: check.lost,
      doubled: check.doubled,
      mismatches: check.wrong,
      usersToldToRetryAtLeastOnce: outcomes.filter((o) => o.toldToWaitSeconds.length > 0).length,
      toldToWaitSeconds: told.length ? { min: Math.min(...told), max: Math.max(...told) } : null,
      graphPosts: writes,
      graph429s: fake.throttled,
      allDoneSeconds: round(allDoneSeconds),
      // The physical limit: every write at Graph's budget, back to back, from the first start.
      graphBudgetAloneSeconds: round(options.users / options.graphWritesPerSecond),
      waitPerCardMs: {
        p50: round(percentile(allWaits, 50)),
        p99: round(percentile(allWaits, 99)),
        max: round(allWaits[allWaits.length - 1] ?? NaN),
      },
      waitPerCardByStepMs: Object.fromEntries(
        [...waits].map(([step, list]) => {
          list.sort((a, b) => a - b);
          return [step, { count: list.length, p50: round(percentile(list, 50)), p99: round(percentile(list, 99)) }];
        }),
      ),
    };
    console.log(JSON.stringify(result, null, 2));
    writeResults(result);
  } finally {
    for (const server of servers) await server.stop();
    await azurite.stop();
    await connector.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type BurstResult = Record<string, unknown> & {
  readonly options: BurstOptions;
  readonly meta: { readonly cpu: string; readonly cores: number; readonly node: string; readonly date: string };
  readonly waitPerCardByStepMs: Record<string, { count: number; p50: number; p99: number }>;
};

/** Adds the run under `burst` in bench/results.json and as its own section of bench/results.md, leaving the rest as it was. */
function writeResults(result: BurstResult): void {
  const jsonFile = join(BENCH_DIR, 'results.json');
  const previous: unknown = existsSync(jsonFile) ? JSON.parse(readFileSync(jsonFile, 'utf8')) : {};
  const merged = { ...(typeof previous === 'object' && previous !== null ? previous : {}), burst: result };
  writeFileSync(jsonFile, `${JSON.stringify(merged, null, 2)}\n`);
  const mdFile = join(BENCH_DIR, 'results.md');
  const md = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '';
  const start = md.indexOf(MD_START);
  const end = md.indexOf(MD_END);
  const rest = start >= 0 && end > start ? md.slice(0, start) + md.slice(end + MD_END.length).replace(/^\n+/, '') : md;
  writeFileSync(mdFile, `${rest.replace(/\n*$/, '\n\n')}${burstMarkdown(result)}\n`);
  console.log('wrote the burst into bench/results.json and bench/results.md');
}

function burstMarkdown(r: BurstResult): string {
  const o = r.options;
  return [
    MD_START,
    '## Enrollment morning (`npm run bench -- --burst`)',
    '',
    `Measured on ${r.meta.cpu} (${r.meta.cores} cores, shared with other work while it ran), Node ${r.meta.node}, ${r.meta.date}; one run. ${o.users} users start at seeded random moments within ${o.windowSeconds} s, each registering a mobile phone by SMS (six turns), alternating between ${o.instances} bot processes on one Azurite Blob container; the fake Graph allows ${o.graphWritesPerSecond} writes/s per app (token bucket) and answers 429 with Retry-After beyond. A user told to try again waits as told and starts again, up to ${o.maxAttempts} attempts.`,
    '',
    '| Registered | Told when to retry (at the end) | Failed | Lost | Doubled | Users told to retry at least once | Graph POSTs | Graph 429s | All done, s | Graph budget alone, s | Wait per card p50 / p99 / max, ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    `| ${String(r.registered)} | ${String(r.toldToRetryAtTheEnd)} | ${String(r.failed)} | ${String(r.lost)} | ${String(r.doubled)} | ${String(r.usersToldToRetryAtLeastOnce)} | ${String(r.graphPosts)} | ${String(r.graph429s)} | ${String(r.allDoneSeconds)} | ${String(r.graphBudgetAloneSeconds)} | ${JSON.stringify(r.waitPerCardMs).replace(/[{}"]/g, '')} |`,
    '',
    `Wait per card, p50 / p99 ms: ${Object.entries(r.waitPerCardByStepMs)
      .map(([step, v]) => `${step} ${v.p50} / ${v.p99}`)
      .join('; ')}.`,
    MD_END,
  ].join('\n');
}
