import type { Clock } from '../../src/time/clock';

/** Waits a number of ms; injected so tests run on a manual clock. */
export type Sleep = (ms: number) => Promise<void>;

/**
 * At most `perSecond` starts in any one-second window on the given clock: Teams allows 50 requests
 * per second per app per tenant and about 7 per second per conversation, Graph about 20 writes per
 * second per app; a campaign stays below whatever --rate says. Starts are spaced evenly rather than
 * burst, so no window of one second ever holds more than the limit.
 */
export class Pacer {
  private next = 0;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {
    if (!(perSecond > 0)) throw new RangeError('the rate must be above zero');
  }

  /** Resolves when the next request may start. */
  async take(): Promise<void> {
    const spacing = 1000 / this.perSecond;
    const now = this.clock.now();
    const slot = Math.max(now, this.next);
    this.next = slot + spacing;
    if (slot > now) await this.sleep(slot - now);
  }
}

/** Statuses worth another try after a wait: throttling (429), and the transient 412, 502, 503 and 504. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 503, 504]);

/** How long to wait before try number `attempt` (1-based): the server's Retry-After, else exponential; plus up to 20 % jitter. */
export function backoffMs(attempt: number, retryAfterSeconds: number | undefined, random: () => number): number {
  const base = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : Math.min(30_000, 500 * 2 ** (attempt - 1));
  // Jitter spreads runners that were throttled together, so they do not all come back at once.
  return Math.round(base * (1 + 0.2 * random()));
}
