/**
 * Tells how the cost of a piece of work grows with the length of its input, to catch super-linear
 * (backtracking) paths without depending on how fast the machine is.
 *
 * Why CPU time and not the wall clock: `process.cpuUsage()` counts only the time this process ran, so
 * another process taking the CPU does not inflate a measurement. Nothing deterministic (a count of
 * regular-expression steps) is exposed by V8, so time is the measure; but only a ratio of two times on
 * the same machine is used, never a time compared with a threshold.
 *
 * Why the minimum of several batches: interference (GC, caches, frequency changes) only ever adds time,
 * so the fastest batch is the closest to the work's own cost. Small and large batches are interleaved,
 * so a slow phase of the machine hits both.
 */

export interface GrowthOptions {
  /** Batches timed per input size; the fastest of each counts. */
  readonly rounds?: number;
  /** CPU time a batch on the small input should take at least, so the clock's resolution does not matter. */
  readonly minBatchMicros?: number;
  /** Upper bound on calls per batch (work that costs nothing reaches it). */
  readonly maxRepetitions?: number;
  /** Once this much CPU time has gone into timed batches, no further round starts: a quadratic path fails fast. */
  readonly budgetMicros?: number;
}

export interface Growth {
  /** Cost on the large input divided by cost on the small one: ≈ 1 for capped work, ≈ 4 for linear, ≈ 16 for quadratic at 4×. */
  readonly ratio: number;
  /** Fastest batch on each input, µs of CPU, and the calls per batch. */
  readonly smallMicros: number;
  readonly largeMicros: number;
  readonly repetitions: number;
}

type Work = (input: string) => unknown;

/** Runs `work` on `small` and on `large` (normally 4× as long) and returns the growth of its cost. */
export async function measureGrowth(work: Work, small: string, large: string, options: GrowthOptions = {}): Promise<Growth> {
  const rounds = options.rounds ?? 3;
  const minBatch = options.minBatchMicros ?? 2_000;
  const maxRepetitions = options.maxRepetitions ?? 20_000;
  const budget = options.budgetMicros ?? 2_000_000;

  // One call warms up (compilation, regular-expression tier-up), then the batch size is found on the
  // small input; the large input is not run before the budget is in force.
  await batch(work, small, 1);
  let repetitions = 1;
  let first = await batch(work, small, repetitions);
  while (first < minBatch && repetitions < maxRepetitions) {
    repetitions = Math.min(maxRepetitions, repetitions * Math.max(2, Math.ceil(minBatch / Math.max(first, 1))));
    first = await batch(work, small, repetitions);
  }

  let smallMicros = first;
  let largeMicros = Number.POSITIVE_INFINITY;
  let spent = 0;
  for (let round = 0; round < rounds && spent < budget; round += 1) {
    const large1 = await batch(work, large, repetitions);
    const small1 = await batch(work, small, repetitions);
    largeMicros = Math.min(largeMicros, large1);
    smallMicros = Math.min(smallMicros, small1);
    spent += large1 + small1;
  }
  return { ratio: largeMicros / Math.max(smallMicros, 1), smallMicros, largeMicros, repetitions };
}

/** CPU time (µs) of `repetitions` calls; a promise returned by the work is awaited inside the batch. */
async function batch(work: Work, input: string, repetitions: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < repetitions; i += 1) {
    const result = work(input);
    if (result instanceof Promise) await result;
  }
  const used = process.cpuUsage(before);
  return used.user + used.system;
}
