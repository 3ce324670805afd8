/** Waits a number of ms; injected so tests run on a manual clock. */
export type Sleep = (ms: number) => Promise<void>;

/** Statuses worth another try after a wait: throttling (429), and the transient 412, 502, 503 and 504. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 503, 504]);

/** How long to wait before try number `attempt` (1-based): the server's Retry-After, else exponential; plus up to 20 % jitter. */
export function backoffMs(attempt: number, retryAfterSeconds: number | undefined, random: () => number): number {
  const base = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : Math.min(30_000, 500 * 2 ** (attempt - 1));
  // Jitter spreads runners that were throttled together, so they do not all come back at once.
  return Math.round(base * (1 + 0.2 * random()));
}
