import type { BenchConnector } from './bench-connector';
import { percentile, round } from './stats';
import type { UserContext } from './simulated-users';

export interface LoadOptions {
  readonly botUrl: string;
  readonly connector: BenchConnector;
  readonly users: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** One complete conversation of a simulated user. */
  readonly flow: (ctx: UserContext, runId: number) => Promise<void>;
  /** Called when the measured window opens and closes (CPU readings of the server). */
  readonly onWindow?: (edge: 'start' | 'end') => Promise<void>;
}

export interface LoadResult {
  readonly users: number;
  readonly durationSeconds: number;
  readonly turns: number;
  readonly turnsPerSecond: number;
  readonly conversationsCompleted: number;
  readonly conversationsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  /** Latency of each kind of turn (the button pressed, or `message` for typed text). */
  readonly byStep: Readonly<Record<string, { readonly count: number; readonly p50: number; readonly p99: number }>>;
  readonly errors: number;
  readonly firstErrors: readonly string[];
}

let runIds = 0;

/** What one measured window recorded, before it is summarized (windows of one scenario are merged). */
export interface LoadSamples {
  readonly users: number;
  readonly durationMs: number;
  readonly latencies: readonly number[];
  readonly steps: ReadonlyMap<string, readonly number[]>;
  readonly completed: number;
  readonly errorCount: number;
  readonly errors: readonly string[];
}

/**
 * Runs `users` simulated users back to back for warm-up + duration; only turns that start inside the
 * measured window count, and conversations count when they finish inside it. Returns the raw turns of
 * the window: {@link summarizeLoad} merges the windows of one scenario.
 */
export async function sampleLoad(options: LoadOptions): Promise<LoadSamples> {
  const started = performance.now();
  const windowStart = started + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const latencies: number[] = [];
  const steps = new Map<string, number[]>();
  const errors: string[] = [];
  let completed = 0;
  let errorCount = 0;
  const ctx: UserContext = {
    botUrl: options.botUrl,
    connector: options.connector,
    recordTurn: (startedAt, ms, step) => {
      if (startedAt < windowStart || startedAt >= windowEnd) return;
      latencies.push(ms);
      const list = steps.get(step) ?? [];
      list.push(ms);
      steps.set(step, list);
    },
  };
  const windowEdges = (async () => {
    await sleep(options.warmupMs);
    await options.onWindow?.('start');
    await sleep(options.durationMs);
    await options.onWindow?.('end');
  })();
  const user = async (): Promise<void> => {
    while (performance.now() < windowEnd) {
      const id = ++runIds;
      try {
        await options.flow(ctx, id);
        const now = performance.now();
        if (now >= windowStart && now < windowEnd) completed += 1;
      } catch (error) {
        const now = performance.now();
        if (now >= windowStart && now < windowEnd) {
          errorCount += 1;
          if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
  };
  await Promise.all([windowEdges, ...Array.from({ length: options.users }, user)]);
  return { users: options.users, durationMs: options.durationMs, latencies, steps, completed, errorCount, errors };
}

/** One result from the windows of a scenario: their turns and times added up, percentiles over all turns. */
export function summarizeLoad(windows: readonly LoadSamples[]): LoadResult {
  const latencies = windows.flatMap((w) => w.latencies).sort((a, b) => a - b);
  const steps = new Map<string, number[]>();
  for (const window of windows) {
    for (const [step, list] of window.steps) steps.set(step, [...(steps.get(step) ?? []), ...list]);
  }
  const seconds = windows.reduce((sum, w) => sum + w.durationMs, 0) / 1000;
  const completed = windows.reduce((sum, w) => sum + w.completed, 0);
  return {
    users: windows[0]?.users ?? 0,
    durationSeconds: seconds,
    turns: latencies.length,
    turnsPerSecond: round(latencies.length / seconds),
    conversationsCompleted: completed,
    conversationsPerSecond: round(completed / seconds, 2),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? NaN),
    },
    byStep: Object.fromEntries(
      [...steps].map(([step, list]) => {
        list.sort((a, b) => a - b);
        return [step, { count: list.length, p50: round(percentile(list, 50)), p99: round(percentile(list, 99)) }];
      }),
    ),
    errors: windows.reduce((sum, w) => sum + w.errorCount, 0),
    firstErrors: windows.flatMap((w) => w.errors).slice(0, 5),
  };
}

/** Runs `count` conversations of `flow`, `concurrency` at a time (no timing: for set-up such as idle conversations). */
export async function runCount(
  ctx: UserContext,
  count: number,
  concurrency: number,
  flow: (ctx: UserContext, runId: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      try {
        await flow(ctx, ++runIds);
      } catch {
        // Counted and reported by the caller: one failed welcome does not invalidate the measurement.
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
