import { DEFAULT_THROTTLE_WAIT_SECONDS } from './graph-http';
import { timerScheduler, type Scheduler } from '../time/scheduler';
import type { GraphOutcome, GraphResponse } from './graph-outcome';

/** Extra write attempts after a failure that may or may not have been committed. */
const MAX_AMBIGUOUS_RETRIES = 1;
/** Extra write attempts after 429s, so `Retry-After: 0` forever cannot loop forever. */
const MAX_THROTTLE_RETRIES = 3;

/**
 * How much retrying one Graph write may still do: 429s and at most one unclear failure, with all
 * `Retry-After` waits drawn from one budget.
 */
export class RetryAllowance {
  private waitedMs = 0;
  private throttleRetries = 0;
  private ambiguousFailures = 0;

  constructor(
    private readonly maxWaitMs: number,
    /** Waits out `Retry-After`; Node timers unless a test drives time. */
    private readonly scheduler: Scheduler = timerScheduler,
  ) {}

  /** What is left of the wait budget, in ms. */
  get remainingWaitMs(): number {
    return this.maxWaitMs - this.waitedMs;
  }

  /** True once an attempt failed without a clear answer, so a later refusal may be our own earlier success. */
  get hadAmbiguousFailure(): boolean {
    return this.ambiguousFailures > 0;
  }

  /** Waits out a 429 and returns true, or returns false at once when the budget does not allow another try. */
  async afterThrottle(outcome: GraphResponse): Promise<boolean> {
    const waitMs = (outcome.retryAfterSeconds ?? DEFAULT_THROTTLE_WAIT_SECONDS) * 1000;
    if (this.throttleRetries >= MAX_THROTTLE_RETRIES || !this.spend(waitMs)) return false;
    this.throttleRetries++;
    await this.sleep(waitMs);
    return true;
  }

  /** Counts a 429 whose wait the shared throttle gate enforces before the next try; false when no retry is left. */
  countThrottle(): boolean {
    if (this.throttleRetries >= MAX_THROTTLE_RETRIES) return false;
    this.throttleRetries++;
    return true;
  }

  /** Waits `waitMs` from the same budget and returns true, or returns false at once when it does not fit. */
  async waitFor(waitMs: number): Promise<boolean> {
    if (!this.spend(waitMs)) return false;
    await this.sleep(waitMs);
    return true;
  }

  /** Counts an unclear failure and waits any `Retry-After` (503); false when no retry is left. */
  async afterAmbiguousFailure(outcome: GraphOutcome): Promise<boolean> {
    this.ambiguousFailures++;
    if (this.ambiguousFailures > MAX_AMBIGUOUS_RETRIES) return false;
    const waitMs = outcome.kind === 'response' ? (outcome.retryAfterSeconds ?? 0) * 1000 : 0;
    if (!this.spend(waitMs)) return false;
    if (waitMs > 0) await this.sleep(waitMs);
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.scheduler.schedule(resolve, ms));
  }

  private spend(waitMs: number): boolean {
    if (this.waitedMs + waitMs > this.maxWaitMs) return false;
    this.waitedMs += waitMs;
    return true;
  }
}
