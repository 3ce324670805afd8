import { cpus } from 'node:os';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalAzurite } from '../test/support/azurite';
import { BenchConnector } from './bench-connector';
import { runCount, sampleLoad, summarizeLoad, type LoadResult, type LoadSamples } from './load-run';
import { profileMarkdown, summarizeProfile } from './profile-summary';
import { ServerProcess, type Measurement } from './server-process';
import { echoConversation, idleConversation, registerBySms, type UserContext } from './simulated-users';
import { round } from './stats';
import { runBurst } from './burst-run';
import { stepStorageCounts, type GraphCount, type StepCount } from './step-storage-counts';

const ROOT = join(__dirname, '..', '..', '..');
const BENCH_DIR = join(ROOT, 'bench');
const PROBE = join(__dirname, 'memory-probe.js');
const ECHO = join(__dirname, 'echo-bot.js');
const MAIN = join(ROOT, 'dist', 'main.js');
/** The echo behind the service's own endpoint, replacing its previous reply: the service without the registration. */
const ECHO_SERVICE = 'echo on the service transport';
/** The echo keeping its ConversationState in botbuilder's BlobsStorage: one read and one write per turn. */
const ECHO_BLOB = 'echo, Blob';
const BOT_BLOB = 'bot, Blob (Azurite)';

function isEcho(server: string): boolean {
  return server.startsWith('echo');
}

interface Options {
  readonly users: readonly number[];
  readonly warmupMs: number;
  readonly durationMs: number;
  /** The measured time of each compared server is split into this many windows, taken in turn. */
  readonly rounds: number;
  readonly idleConversations: number;
  readonly profile: boolean;
  /** Only the Blob rows and the storage counts per step; the other rows are kept from the last full run. */
  readonly blobOnly: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string, fallback: string): string => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] ? argv[index + 1]! : fallback;
  };
  return {
    users: value('users', '10,50').split(',').map(Number),
    warmupMs: Number(value('warmup', '3')) * 1000,
    durationMs: Number(value('duration', '12')) * 1000,
    rounds: Math.max(1, Number(value('rounds', '3'))),
    idleConversations: Number(value('idle', '10000')),
    profile: argv.includes('--profile'),
    blobOnly: argv.includes('--blob-only'),
  };
}

/** The service in demo mode, as `npm start` runs it, with caps raised so thousands of registrations fit. */
function botEnv(blob?: { readonly connectionString: string; readonly container: string }): Record<string, string> {
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    DEMO_PLAYGROUND: 'false',
    DEFAULT_REGION: 'JP',
    SEND_LIMIT_COUNTRY_PER_DAY: '1000000',
    VERIFICATION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    ...(blob ? { STORAGE_CONNECTION_STRING: blob.connectionString, STORAGE_CONTAINER: blob.container } : {}),
  };
}

interface ScenarioResult extends LoadResult {
  readonly server: string;
  readonly cpuMsPerTurn: number;
  readonly rssMbAfter: number;
  /** Mean size of one reply or card update the bot sent to the connector. */
  readonly connectorKbPerCall: number;
}

/** Warm-up before a later window of a server that already ran: enough for every user to be mid-conversation again. */
const REWARM_MS = 1000;

interface Window {
  readonly samples: LoadSamples;
  readonly cpuMs: number;
  readonly calls: number;
  readonly bytes: number;
}

/** One measured window of one server: its turns, the server's CPU time and what it sent to the connector. */
async function measureWindow(
  server: ServerProcess,
  connector: BenchConnector,
  users: number,
  warmupMs: number,
  durationMs: number,
  flow: typeof registerBySms,
): Promise<Window> {
  const callsBefore = connector.calls;
  const bytesBefore = connector.bytes;
  let cpuStart: Measurement | undefined;
  let cpuEnd: Measurement | undefined;
  const samples = await sampleLoad({
    botUrl: server.url,
    connector,
    users,
    warmupMs,
    durationMs,
    flow,
    onWindow: async (edge) => {
      if (edge === 'start') cpuStart = await server.measure(false);
      else cpuEnd = await server.measure(false);
    },
  });
  const cpuMs = cpuStart && cpuEnd ? (cpuEnd.cpu.user + cpuEnd.cpu.system - cpuStart.cpu.user - cpuStart.cpu.system) / 1000 : NaN;
  return { samples, cpuMs, calls: connector.calls - callsBefore, bytes: connector.bytes - bytesBefore };
}

async function scenarioResult(server: ServerProcess, name: string, windows: readonly Window[]): Promise<ScenarioResult> {
  const result = summarizeLoad(windows.map((w) => w.samples));
  const cpuMs = windows.reduce((sum, w) => sum + w.cpuMs, 0);
  const calls = windows.reduce((sum, w) => sum + w.calls, 0);
  const bytes = windows.reduce((sum, w) => sum + w.bytes, 0);
  const after = await server.measure(false);
  const scenario = {
    server: name,
    ...result,
    cpuMsPerTurn: round(cpuMs / Math.max(1, result.turns), 2),
    rssMbAfter: round(after.memory.rss / 2 ** 20),
    connectorKbPerCall: round(bytes / Math.max(1, calls) / 1024),
  };
  console.log(
    `${name.padEnd(22)} users=${String(result.users).padEnd(3)} turns/s=${String(scenario.turnsPerSecond).padEnd(7)} p50=${result.latencyMs.p50} p95=${result.latencyMs.p95} p99=${result.latencyMs.p99} conv/s=${result.conversationsPerSecond} cpu/turn=${scenario.cpuMsPerTurn}ms reply=${scenario.connectorKbPerCall}KB errors=${result.errors}${result.firstErrors.length ? ` (${result.firstErrors[0]})` : ''}`,
  );
  if (!isEcho(name))
    console.log(
      `  per step p50/p99 ms: ${Object.entries(result.byStep)
        .map(([step, v]) => `${step} ${v.p50}/${v.p99}`)
        .join(', ')}`,
    );
  return scenario;
}

/** One server measured in one stretch: warm-up, then the whole duration. */
async function measureScenario(
  server: ServerProcess,
  name: string,
  connector: BenchConnector,
  users: number,
  options: Options,
  flow: typeof registerBySms,
): Promise<ScenarioResult> {
  return scenarioResult(server, name, [await measureWindow(server, connector, users, options.warmupMs, options.durationMs, flow)]);
}

interface Compared {
  readonly name: string;
  readonly server: ServerProcess;
  readonly flow: typeof registerBySms;
}

/**
 * The servers whose ratios are reported, measured in turns: each one's duration is split into
 * `rounds` windows, and a round measures every server once, starting with a different one each
 * round. This machine's speed drifts by tens of percent over minutes; measured one after the other,
 * a ratio was as much the drift between two moments as the difference between two servers.
 */
async function measureInTurns(compared: readonly Compared[], connector: BenchConnector, users: number, options: Options): Promise<ScenarioResult[]> {
  const windows = new Map<string, Window[]>(compared.map((c) => [c.name, []]));
  const windowMs = options.durationMs / options.rounds;
  for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
    for (let k = 0; k < compared.length; k++) {
      const { name, server, flow } = compared[(roundIndex + k) % compared.length]!;
      windows.get(name)!.push(await measureWindow(server, connector, users, roundIndex === 0 ? options.warmupMs : REWARM_MS, windowMs, flow));
    }
  }
  const results: ScenarioResult[] = [];
  for (const { name, server } of compared) results.push(await scenarioResult(server, name, windows.get(name)!));
  return results;
}

/** RSS and heap added by idle conversations, read after a full GC that the probe lets settle. */
async function idleMemory(connector: BenchConnector, count: number): Promise<Record<string, number>> {
  const server = await ServerProcess.start({ script: MAIN, env: botEnv(), probe: PROBE });
  try {
    const ctx: UserContext = { botUrl: server.url, connector, recordTurn: () => undefined };
    await runCount(ctx, 300, 20, idleConversation);
    const before = await server.measure(true);
    const failures = await runCount(ctx, count, 20, idleConversation);
    const after = await server.measure(true);
    const per1000 = (bytes: number): number => round((bytes / 2 ** 20) * (1000 / count), 2);
    const result = {
      conversations: count,
      failures,
      rssMbBefore: round(before.memory.rss / 2 ** 20),
      rssMbAfter: round(after.memory.rss / 2 ** 20),
      rssMbAddedPer1000: per1000(after.memory.rss - before.memory.rss),
      heapUsedMbAddedPer1000: per1000(after.memory.heapUsed - before.memory.heapUsed),
      rssMbAddedTotal: round((after.memory.rss - before.memory.rss) / 2 ** 20),
    };
    console.log(`idle conversations: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await server.stop();
  }
}

function target(ratio: string): string {
  if (ratio.startsWith('turns/s blob, 10')) return '≥ 0.8';
  if (ratio.startsWith('p99 blob, 10')) return '≤ 1.5';
  return '';
}

function markdown(results: Results): string {
  const { meta, idle } = results;
  const rows = results.scenarios.map(
    (s) =>
      `| ${s.server} | ${s.users} | ${s.turnsPerSecond} | ${s.latencyMs.p50} | ${s.latencyMs.p95} | ${s.latencyMs.p99} | ${isEcho(s.server) ? '–' : s.conversationsPerSecond} | ${s.cpuMsPerTurn} | ${s.connectorKbPerCall} | ${s.errors} |`,
  );
  return [
    `Measured on ${meta.cpu} (${meta.cores} cores), Node ${meta.node}, ${meta.date}; loopback, one run, on a machine shared with other work. Servers compared run side by side and are measured in turns: ${meta.rounds} rounds of ${round(Number(meta.durationSeconds) / Number(meta.rounds))} s each, a different server first in each round (${meta.warmupSeconds} s warm-up before a server's first window, 1 s before the others), ${meta.durationSeconds} s per row in all. The two echoes and the bot with MemoryStorage are one group (information); "echo, Blob" and the bot on Blob are the other (the targets). The load generator, the connector sink and Azurite share the machine with the servers.`,
    ...(results.otherRowsFrom
      ? ['', `This was a \`--blob-only\` run: the rows other than Blob, and the idle figures, are those of the full run of ${results.otherRowsFrom}.`]
      : []),
    '',
    '| Server | Users | Turns/s | p50 ms | p95 ms | p99 ms | Registrations/s | CPU ms/turn | KB/reply | Errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '| Ratio (same run, measured in turns) | Value | Target |',
    '|---|---:|---|',
    ...Object.entries(results.ratios).map(([k, v]) => `| ${k} | ${v} | ${target(k)} |`),
    '',
    '| Server | Users | Latency per step, p50 / p99 ms |',
    '|---|---:|---|',
    ...results.scenarios
      .filter((s) => !isEcho(s.server))
      .map(
        (s) =>
          `| ${s.server} | ${s.users} | ${Object.entries(s.byStep)
            .map(([step, v]) => `${step} ${v.p50} / ${v.p99}`)
            .join('; ')} |`,
      ),
    '',
    'Storage round trips per step on Blob (one user, the last of three registrations in a row; one per key read, written, created or deleted). "echo, Blob" does 1 read and 1 write per turn.',
    '',
    '| Step | Reads | Writes | Records (operation record: count) |',
    '|---|---:|---:|---|',
    ...results.stepStorage.map(
      (s) =>
        `| ${s.step} | ${s.reads} | ${s.writes} | ${Object.entries(s.records)
          .map(([record, n]) => `${record}: ${n}`)
          .join('; ')} |`,
    ),
    '',
    "Graph requests per registration (the step counts' run, on the bench's fake Graph: the directory and the phone policy reader on https on loopback; target ≤ 3 with the policy cache cold):",
    '',
    ...(results.graphPerRegistration ?? []).map(
      (g) =>
        `- ${g.registration}: ${g.requests} (${Object.entries(g.byRoute)
          .map(([route, n]) => `${route} ×${n}`)
          .join('; ')})`,
    ),
    '',
    ...(idle
      ? [
          `Idle conversations: ${idle.conversations} welcome turns with distinct conversation ids add ${idle.rssMbAddedTotal} MB RSS (${idle.rssMbAddedPer1000} MB per 1,000; heap ${idle.heapUsedMbAddedPer1000} MB per 1,000), measured after a full GC and a second to settle (target: 10,000 add ≤ 100 MB).`,
          '',
        ]
      : []),
    '"echo on the service transport" is the same echo behind the service\'s own endpoint (request checks, adapter, authentication, reply path), replacing its previous reply in place before answering: the two connector calls the design asks of every step. "echo, Blob" is the stock echo keeping a turn counter in its ConversationState on botbuilder\'s BlobsStorage (one read, one conditional write per turn). A registration is six user turns (hi, Add a phone, Mobile, number, Text me, code); only user turns are counted. Memory and Blob bot rows run `node dist/main.js` in demo mode; Blob uses Azurite on loopback.',
    '',
  ].join('\n');
}

interface Results {
  readonly meta: Record<string, string | number>;
  readonly scenarios: ScenarioResult[];
  readonly ratios: Record<string, number>;
  readonly idle?: Record<string, number>;
  readonly stepStorage: StepCount[];
  /** Graph requests per registration (the bench's fake Graph). */
  readonly graphPerRegistration?: GraphCount[];
  /** With --blob-only: the date of the full run the other rows come from. */
  readonly otherRowsFrom?: string;
  /** The last enrollment-morning burst (`--burst`), kept as it was by the other runs. */
  readonly burst?: unknown;
}

/** The enrollment-morning section of the current results.md (written by `--burst`), to keep it. */
function previousBurstSection(): string {
  const file = join(BENCH_DIR, 'results.md');
  const md = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = md.indexOf('<!-- enrollment-morning -->');
  const end = md.indexOf('<!-- /enrollment-morning -->');
  return start >= 0 && end > start ? `\n${md.slice(start, end + '<!-- /enrollment-morning -->'.length)}\n` : '';
}

/** The last full run's rows other than Blob, kept by a --blob-only run. */
function previousResults(): Partial<Results> {
  const file = join(BENCH_DIR, 'results.json');
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<Results>;
}

function blobContainer(name: string): string {
  return `bench-${name}-${Date.now().toString(36)}`;
}

async function main(): Promise<void> {
  // The enrollment-morning burst runs on its own (bench/burst-run.ts): `npm run bench -- --burst`.
  if (process.argv.includes('--burst')) return runBurst(process.argv.slice(2));
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const connector = await BenchConnector.start();
  let azurite: LocalAzurite | undefined;
  try {
    azurite = await LocalAzurite.start();
    const connectionString = azurite.connectionString();
    if (options.profile) {
      await profile(connector, options, connectionString);
      return;
    }
    const previous = options.blobOnly ? previousResults() : {};
    const scenarios: ScenarioResult[] = options.blobOnly ? (previous.scenarios ?? []).filter((s) => s.server !== ECHO_BLOB && s.server !== BOT_BLOB) : [];
    if (!options.blobOnly) {
      // The echo baseline, the service-transport echo and the bot with MemoryStorage run side by side
      // and are measured in turns (information: production runs on Blob).
      scenarios.push(
        ...(await measureCompared(
          [
            { name: 'echo baseline', start: () => ServerProcess.start({ script: ECHO, env: {}, probe: PROBE }), flow: echoConversation },
            {
              name: ECHO_SERVICE,
              start: () => ServerProcess.start({ script: ECHO, env: { ECHO_ON_SERVICE_TRANSPORT: 'true' }, probe: PROBE }),
              flow: echoConversation,
            },
            { name: 'bot, MemoryStorage', start: () => ServerProcess.start({ script: MAIN, env: botEnv(), probe: PROBE }), flow: registerBySms },
          ],
          connector,
          options,
        )),
      );
    }
    // The targets: the bot on Blob against an echo on the same Blob storage, side by side, in turns.
    scenarios.push(
      ...(await measureCompared(
        [
          {
            name: ECHO_BLOB,
            start: () =>
              ServerProcess.start({
                script: ECHO,
                env: { ECHO_BLOB_CONNECTION_STRING: connectionString, ECHO_BLOB_CONTAINER: blobContainer('echo') },
                probe: PROBE,
              }),
            flow: echoConversation,
          },
          {
            name: BOT_BLOB,
            start: () => ServerProcess.start({ script: MAIN, env: botEnv({ connectionString, container: blobContainer('bot') }), probe: PROBE }),
            flow: registerBySms,
          },
        ],
        connector,
        options,
      )),
    );
    const { steps: stepStorage, graph } = await stepStorageCounts(botEnv({ connectionString, container: blobContainer('steps') }), connector);
    for (const g of graph) console.log(`graph, ${g.registration} registration: ${g.requests} requests ${JSON.stringify(g.byRoute)}`);
    for (const step of stepStorage) console.log(`storage ${step.step}: ${step.reads} reads, ${step.writes} writes ${JSON.stringify(step.records)}`);
    const idle = options.blobOnly ? previous.idle : await idleMemory(connector, options.idleConversations);
    const find = (server: string, users: number): ScenarioResult | undefined => scenarios.find((s) => s.server === server && s.users === users);
    // A --blob-only run keeps the last full run's ratios of the rows it did not measure.
    const ratios: Record<string, number> = Object.fromEntries(
      Object.entries(previous.ratios ?? {}).filter(([k]) => !k.startsWith('turns/s blob') && !k.startsWith('p99 blob')),
    );
    for (const users of options.users) {
      for (const [label, server, baseline] of [
        ['service-transport echo', ECHO_SERVICE, 'echo baseline'],
        ['memory', 'bot, MemoryStorage', 'echo baseline'],
        ['blob', BOT_BLOB, ECHO_BLOB],
      ] as const) {
        const base = find(baseline, users);
        const s = find(server, users);
        if (!base || !s) continue;
        ratios[`turns/s ${label}, ${users} users ÷ ${baseline}`] = round(s.turnsPerSecond / base.turnsPerSecond, 2);
        ratios[`p99 ${label}, ${users} users ÷ ${baseline}`] = round(s.latencyMs.p99 / base.latencyMs.p99, 2);
      }
    }
    const meta = {
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus().length,
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
      warmupSeconds: options.warmupMs / 1000,
      durationSeconds: options.durationMs / 1000,
      rounds: options.rounds,
    };
    const otherRowsFrom = options.blobOnly ? String(previous.otherRowsFrom ?? previous.meta?.date ?? 'an earlier run') : undefined;
    const results: Results = {
      meta,
      scenarios,
      ratios,
      ...(idle ? { idle } : {}),
      stepStorage,
      graphPerRegistration: graph,
      ...(otherRowsFrom ? { otherRowsFrom } : {}),
      ...(previousResults().burst !== undefined ? { burst: previousResults().burst } : {}),
    };
    writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(BENCH_DIR, 'results.md'), `${markdown(results)}${previousBurstSection()}`);
    console.log(`\nwrote bench/results.json and bench/results.md`);
  } finally {
    await azurite?.stop();
    await connector.close();
  }
}

interface ToCompare {
  readonly name: string;
  readonly start: () => Promise<ServerProcess>;
  readonly flow: typeof registerBySms;
}

/** Starts the servers, measures them in turns at every user count, and stops them. */
async function measureCompared(toCompare: readonly ToCompare[], connector: BenchConnector, options: Options): Promise<ScenarioResult[]> {
  const compared: Compared[] = [];
  const results: ScenarioResult[] = [];
  try {
    for (const { name, start, flow } of toCompare) compared.push({ name, server: await start(), flow });
    for (const users of options.users) results.push(...(await measureInTurns(compared, connector, users, options)));
  } finally {
    for (const { server } of compared) await server.stop();
  }
  return results;
}

/** Runs the bot on Blob storage (Azurite, 10 users), the configuration the targets are about, under `--cpu-prof` and writes the self-time summary. */
async function profile(connector: BenchConnector, options: Options, connectionString: string): Promise<void> {
  const dir = join(ROOT, 'build', 'bench-profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spawnedAt = Date.now();
  const server = await ServerProcess.start({
    script: MAIN,
    env: botEnv({ connectionString, container: blobContainer('profile') }),
    probe: PROBE,
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  const skipMs = Date.now() - spawnedAt + options.warmupMs;
  try {
    await measureScenario(server, 'bot, Blob (profiled)', connector, options.users[0] ?? 10, options, registerBySms);
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) throw new Error('no CPU profile was written');
  const summary = summarizeProfile(file, skipMs);
  writeFileSync(join(BENCH_DIR, 'profile-summary.md'), profileMarkdown(summary));
  console.log(profileMarkdown(summary));
  console.log(`profile: ${file}; summary in bench/profile-summary.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
