/** How the fake Graph throttles, per app: https://learn.microsoft.com/graph/throttling */
export interface FakeThrottleOptions {
  /** Requests per second an app may make; more answer 429. */
  readonly perSecond: number;
  /** Requests an idle app may make at once before the rate applies. Default: `perSecond`. */
  readonly burst?: number;
  /** Throttle reads too; by default only writes (POST, PATCH, DELETE), as Graph's identity and access write limit counts. */
  readonly readsToo?: boolean;
  /** Milliseconds now; injected so tests move time themselves. Default `Date.now`. */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per app, the shape of Graph's published limits ("3,000 writes per 2.5 minutes per app
 * per tenant" for identity and access, https://learn.microsoft.com/graph/throttling-limits): each
 * request takes a token, tokens come back at `perSecond`, and a request finding none is refused with
 * the seconds until the next token as `Retry-After` (at least 1, as Graph sends whole seconds).
 */
export class FakeGraphThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly now: () => number;
  /** 429s answered so far. */
  refused = 0;

  constructor(private readonly options: FakeThrottleOptions) {
    this.burst = options.burst ?? options.perSecond;
    this.now = options.now ?? Date.now;
  }

  /** Seconds to wait when this request is over the budget of `app`, else undefined (and the request is counted). */
  retryAfterSeconds(app: string, method: string): number | undefined {
    if (!this.options.readsToo && method === 'GET') return undefined;
    const now = this.now();
    const bucket = this.buckets.get(app) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond);
    bucket.at = now;
    this.buckets.set(app, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    this.refused++;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond));
  }
}
