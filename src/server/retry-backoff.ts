/** How long to leave a failing host alone: doubles per consecutive failure, up to a ceiling. */
export interface BackoffPolicy {
  readonly firstMs: number;
  readonly maxMs: number;
}

/** Consecutive failures of one remote operation and when it is worth trying again. */
export class RetryBackoff {
  private failures = 0;
  private retryAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly policy: BackoffPolicy) {}

  /** Records a failure at `now`; returns how long to wait, in ms. */
  fail(now: number): number {
    this.failures += 1;
    const waitMs = Math.min(this.policy.firstMs * 2 ** Math.min(this.failures - 1, 30), this.policy.maxMs);
    this.retryAt = now + waitMs;
    return waitMs;
  }

  succeed(): void {
    this.failures = 0;
    this.retryAt = Number.NEGATIVE_INFINITY;
  }

  /** True while a new attempt would only hit the host that just failed. */
  isWaiting(now: number): boolean {
    return now < this.retryAt;
  }

  /** Whole seconds until the next attempt is allowed, at least 1 (a Retry-After value). */
  retryAfterSeconds(now: number): number {
    return Math.max(1, Math.ceil((this.retryAt - now) / 1000));
  }
}
