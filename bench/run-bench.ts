import { cpus } from 'node:os';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AZURITE_CONNECTION_STRING, ensureAzurite, type AzuriteHandle } from '../test/support/azurite';
import { BenchConnector } from './bench-connector';
import { runCount, runLoad, type LoadResult } from './load-run';
import { profileMarkdown, summarizeProfile } from './profile-summary';
import { ServerProcess, type Measurement } from './server-process';
import { echoConversation, idleConversation, registerBySms, type UserContext } from './simulated-users';
import { round } from './stats';

const ROOT = join(__dirname, '..', '..', '..');
const BENCH_DIR = join(ROOT, 'bench');
const PROBE = join(__dirname, 'memory-probe.js');
const ECHO = join(__dirname, 'echo-bot.js');
const MAIN = join(ROOT, 'dist', 'main.js');
/** The echo behind the service's own endpoint, replacing its previous reply: the service without the registration. */
const ECHO_SERVICE = 'echo on the service transport';

function isEcho(server: string): boolean {
  return server.startsWith('echo');
}

interface Options {
  readonly users: readonly number[];
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly idleConversations: number;
  readonly profile: boolean;
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
    idleConversations: Number(value('idle', '10000')),
    profile: argv.includes('--profile'),
  };
}

/** The service in demo mode, as `npm start` runs it, with caps raised so thousands of registrations fit. */
function botEnv(storage: 'memory' | 'blob', container: string): Record<string, string> {
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    DEMO_PLAYGROUND: 'false',
    DEFAULT_REGION: 'JP',
    SEND_LIMIT_COUNTRY_PER_DAY: '1000000',
    VERIFICATION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    ...(storage === 'blob' ? { STORAGE_CONNECTION_STRING: AZURITE_CONNECTION_STRING, STORAGE_CONTAINER: container } : {}),
  };
}

interface ScenarioResult extends LoadResult {
  readonly server: string;
  readonly cpuMsPerTurn: number;
  readonly rssMbAfter: number;
  /** Mean size of one reply or card update the bot sent to the connector. */
  readonly connectorKbPerCall: number;
}

async function measureScenario(server: ServerProcess, name: string, connector: BenchConnector, users: number, options: Options, flow: typeof registerBySms): Promise<ScenarioResult> {
  const callsBefore = connector.calls;
  const bytesBefore = connector.bytes;
  let cpuStart: Measurement | undefined;
  let cpuEnd: Measurement | undefined;
  const result = await runLoad({
    botUrl: server.url,
    connector,
    users,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    flow,
    onWindow: async (edge) => {
      if (edge === 'start') cpuStart = await server.measure(false);
      else cpuEnd = await server.measure(false);
    },
  });
  const cpuMs = cpuStart && cpuEnd ? (cpuEnd.cpu.user + cpuEnd.cpu.system - cpuStart.cpu.user - cpuStart.cpu.system) / 1000 : NaN;
  const after = await server.measure(false);
  const scenario = { server: name, ...result, cpuMsPerTurn: round(cpuMs / Math.max(1, result.turns), 2), rssMbAfter: round(after.memory.rss / 2 ** 20), connectorKbPerCall: round((connector.bytes - bytesBefore) / Math.max(1, connector.calls - callsBefore) / 1024) };
  console.log(`${name.padEnd(22)} users=${String(users).padEnd(3)} turns/s=${String(scenario.turnsPerSecond).padEnd(7)} p50=${result.latencyMs.p50} p95=${result.latencyMs.p95} p99=${result.latencyMs.p99} conv/s=${result.conversationsPerSecond} cpu/turn=${scenario.cpuMsPerTurn}ms reply=${scenario.connectorKbPerCall}KB errors=${result.errors}${result.firstErrors.length ? ` (${result.firstErrors[0]})` : ''}`);
  if (!isEcho(name)) console.log(`  per step p50/p99 ms: ${Object.entries(result.byStep).map(([step, v]) => `${step} ${v.p50}/${v.p99}`).join(', ')}`);
  return scenario;
}

/** RSS and heap added by idle conversations, read after a full GC that the probe lets settle. */
async function idleMemory(connector: BenchConnector, count: number): Promise<Record<string, number>> {
  const server = await ServerProcess.start({ script: MAIN, env: botEnv('memory', ''), probe: PROBE });
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

function markdown(results: Record<string, unknown> & { scenarios: ScenarioResult[]; ratios: Record<string, number>; idle: Record<string, number> }, meta: Record<string, string | number>): string {
  const rows = results.scenarios.map((s) =>
    `| ${s.server} | ${s.users} | ${s.turnsPerSecond} | ${s.latencyMs.p50} | ${s.latencyMs.p95} | ${s.latencyMs.p99} | ${isEcho(s.server) ? '–' : s.conversationsPerSecond} | ${s.cpuMsPerTurn} | ${s.connectorKbPerCall} | ${s.errors} |`);
  return [
    `Measured on ${meta.cpu} (${meta.cores} cores), Node ${meta.node}, ${meta.date}; loopback, one run: ${meta.warmupSeconds} s warm-up then ${meta.durationSeconds} s measured per row. The load generator and the connector sink share the machine with the bot.`,
    '',
    '| Server | Users | Turns/s | p50 ms | p95 ms | p99 ms | Registrations/s | CPU ms/turn | KB/reply | Errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '| Ratio to the echo baseline (same run) | Value | Target |',
    '|---|---:|---|',
    ...Object.entries(results.ratios).map(([k, v]) => `| ${k} | ${v} | ${k.startsWith('turns/s memory, 10') ? '≥ 0.8' : k.startsWith('p99 memory, 10') ? '≤ 1.5' : ''} |`),
    '',
    '| Server | Users | Latency per step, p50 / p99 ms |',
    '|---|---:|---|',
    ...results.scenarios.filter((s) => !isEcho(s.server)).map((s) => `| ${s.server} | ${s.users} | ${Object.entries(s.byStep).map(([step, v]) => `${step} ${v.p50} / ${v.p99}`).join('; ')} |`),
    '',
    `Idle conversations: ${results.idle.conversations} welcome turns with distinct conversation ids add ${results.idle.rssMbAddedTotal} MB RSS (${results.idle.rssMbAddedPer1000} MB per 1,000; heap ${results.idle.heapUsedMbAddedPer1000} MB per 1,000), measured after a full GC and a second to settle (target: 10,000 add ≤ 100 MB).`,
    '',
    '"echo on the service transport" is the same echo behind the service\'s own endpoint (request checks, adapter, authentication, reply path), replacing its previous reply in place before answering: the two connector calls the design asks of every step. It is the service without the registration. A registration is six user turns (hi, Add a phone, Mobile, number, Text me, code); only user turns are counted. Memory and Blob rows run `node dist/main.js` in demo mode; Blob uses Azurite on loopback.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const connector = await BenchConnector.start();
  let azurite: AzuriteHandle | undefined;
  try {
    if (options.profile) {
      await profile(connector, options);
      return;
    }
    azurite = await ensureAzurite();
    const scenarios: ScenarioResult[] = [];
    const servers: Array<{ name: string; start: () => Promise<ServerProcess>; flow: typeof registerBySms }> = [
      { name: 'echo baseline', start: () => ServerProcess.start({ script: ECHO, env: {}, probe: PROBE }), flow: echoConversation },
      { name: ECHO_SERVICE, start: () => ServerProcess.start({ script: ECHO, env: { ECHO_ON_SERVICE_TRANSPORT: 'true' }, probe: PROBE }), flow: echoConversation },
      { name: 'bot, MemoryStorage', start: () => ServerProcess.start({ script: MAIN, env: botEnv('memory', ''), probe: PROBE }), flow: registerBySms },
      { name: 'bot, Blob (Azurite)', start: () => ServerProcess.start({ script: MAIN, env: botEnv('blob', `bench-${Date.now().toString(36)}`), probe: PROBE }), flow: registerBySms },
    ];
    for (const { name, start, flow } of servers) {
      const server = await start();
      try {
        for (const users of options.users) scenarios.push(await measureScenario(server, name, connector, users, options, flow));
      } finally {
        await server.stop();
      }
    }
    const idle = await idleMemory(connector, options.idleConversations);
    const find = (server: string, users: number): ScenarioResult | undefined => scenarios.find((s) => s.server === server && s.users === users);
    const ratios: Record<string, number> = {};
    for (const users of options.users) {
      const base = find('echo baseline', users);
      for (const [label, server] of [['service-transport echo', ECHO_SERVICE], ['memory', 'bot, MemoryStorage'], ['blob', 'bot, Blob (Azurite)']] as const) {
        const s = find(server, users);
        if (!base || !s) continue;
        ratios[`turns/s ${label}, ${users} users ÷ echo`] = round(s.turnsPerSecond / base.turnsPerSecond, 2);
        ratios[`p99 ${label}, ${users} users ÷ echo`] = round(s.latencyMs.p99 / base.latencyMs.p99, 2);
      }
    }
    const meta = {
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus().length,
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
      warmupSeconds: options.warmupMs / 1000,
      durationSeconds: options.durationMs / 1000,
    };
    const results = { meta, scenarios, ratios, idle };
    writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(BENCH_DIR, 'results.md'), markdown(results, meta));
    console.log(`\nwrote bench/results.json and bench/results.md`);
  } finally {
    await azurite?.stop();
    await connector.close();
  }
}

/** Runs the bot (MemoryStorage, 10 users) under `--cpu-prof` and writes the self-time summary. */
async function profile(connector: BenchConnector, options: Options): Promise<void> {
  const dir = join(ROOT, 'build', 'bench-profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spawnedAt = Date.now();
  const server = await ServerProcess.start({ script: MAIN, env: botEnv('memory', ''), probe: PROBE, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  const skipMs = Date.now() - spawnedAt + options.warmupMs;
  try {
    await measureScenario(server, 'bot, MemoryStorage (profiled)', connector, options.users[0] ?? 10, options, registerBySms);
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
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
