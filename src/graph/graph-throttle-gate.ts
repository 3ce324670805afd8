import type { Storage } from 'botbuilder';
import type { Logger } from '../logging/logger';
import type { Clock } from '../time/clock';

/** Options for {@link GraphThrottleGate}. */
interface GraphThrottleGateOptions {
  /** The storage every instance of the bot shares (Blob in production), where the "throttled until" record lives. */
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a read of the shared record is trusted before it is read again. Default 1 000 ms. */
  readonly cacheMs?: number;
  /** Upper bound of the random extra wait added when a throttle ends. Default 1 000 ms. */
  readonly jitterMs?: number;
  /** A number in [0, 1); injected so tests can pin the jitter. */
  readonly random?: () => number;
  /**
   * The most writes per second this instance lets through while it comes out of a throttle. Default
   * 10: two instances then send Graph's published identity-and-access write rate (about 20 per
   * second). A tenant whose budget is smaller teaches the gate a lower rate (see noteThrottled).
   */
  readonly recoveryWritesPerSecond?: number;
}

/** The shared record: when Graph said this app may write again. */
interface ThrottleRecord {
  readonly until: number;
}

const RECORD_KEY = 'graph-throttle/writes-until';
const DEFAULT_CACHE_MS = 1_000;
const DEFAULT_JITTER_MS = 1_000;
const DEFAULT_RECOVERY_WRITES_PER_SECOND = 10;
/** The recovery rate never falls below one write every four seconds per instance. */
const MIN_RECOVERY_WRITES_PER_SECOND = 0.25;
/** How fast a lowered recovery rate grows back: writes per second added per second without a 429. */
const RECOVERY_GROWTH_PER_SECOND = 0.5;

/**
 * Graph throttles per app per tenant, not per instance (https://learn.microsoft.com/graph/throttling):
 * when one instance of the bot gets a 429 with `Retry-After`, every instance must hold its writes until
 * then, or they all keep hitting the limit and the wait never ends. This keeps one small "throttled
 * until T" record in the shared storage, read at most once per `cacheMs` per instance, and tells each
 * write how long to wait first. The writes held back queue: the first goes at T plus a random jitter
 * (so the instances do not return in the same instant), each next one a slot later, so the queue
 * drains at `recoveryWritesPerSecond` instead of all at once into the next 429.
 */
export class GraphThrottleGate {
  private readonly storage: Storage;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly cacheMs: number;
  private readonly jitterMs: number;
  private readonly random: () => number;
  private readonly maxRate: number;
  /** Writes per second the held queue drains at, as of `rateSetAt`: halved by a 429, grown back with time. */
  private rate: number;
  private rateSetAt = 0;
  /** When the next held write may go; in the past once the queue has drained. */
  private nextSlot = 0;
  /** The latest end of a throttle this instance knows of (its own 429s or the shared record). */
  private until = 0;
  private readAt = Number.NEGATIVE_INFINITY;
  /** One read in flight at a time: writes arriving meanwhile share it. */
  private reading: Promise<void> | undefined;

  constructor(options: GraphThrottleGateOptions) {
    this.storage = options.storage;
    this.clock = options.clock;
    this.logger = options.logger.child({ module: 'graph-throttle-gate' });
    this.cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
    this.jitterMs = options.jitterMs ?? DEFAULT_JITTER_MS;
    this.random = options.random ?? Math.random;
    this.maxRate = options.recoveryWritesPerSecond ?? DEFAULT_RECOVERY_WRITES_PER_SECOND;
    this.rate = this.maxRate;
  }

  /**
   * How many ms a write should wait before going to Graph: 0 when Graph is not known to be throttling
   * this app and no held write is still queued. The place in the queue is kept only when the wait
   * fits `maxWaitMs`: a write that will not wait must not hold up the ones behind it.
   */
  async delayBeforeWrite(maxWaitMs = Number.POSITIVE_INFINITY): Promise<number> {
    await this.refresh();
    const now = this.clock.now();
    if (this.until <= now && this.nextSlot <= now) return 0;
    const earliest = this.until > now ? this.until + Math.floor(this.random() * this.jitterMs) : now;
    const slot = Math.max(earliest, this.nextSlot);
    if (slot - now <= maxWaitMs) this.nextSlot = slot + 1000 / this.rateNow(now);
    return slot - now;
  }

  /**
   * Records a 429: this instance holds its writes at once, the others when they next read the shared
   * record. A 429 that comes once a throttle has ended (while the queue drains) means the tenant's
   * budget is below the drain rate, so the rate halves; it then grows back by a fixed step per second
   * (additive increase, multiplicative decrease, as TCP finds a link's rate). The 429s of writes that
   * were already on their way when the first one came halve nothing more.
   */
  async noteThrottled(retryAfterSeconds: number): Promise<void> {
    const now = this.clock.now();
    if (now >= this.until) this.rate = Math.max(MIN_RECOVERY_WRITES_PER_SECOND, this.rateNow(now) / 2);
    const until = now + retryAfterSeconds * 1000;
    if (until <= this.until) return;
    this.until = until;
    try {
      // Last writer wins: two instances throttled together write nearly the same T, and a shorter T
      // only costs the others one more 429 that lengthens it again.
      await this.storage.write({ [RECORD_KEY]: { until, eTag: '*' } });
    } catch (error) {
      // The other instances then learn of the throttle from their own 429s: slower, never wrong.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not share the Graph throttle record');
    }
  }

  /** The drain rate at `now`, grown back since it was last set. */
  private rateNow(now: number): number {
    this.rate = Math.min(this.maxRate, this.rate + (RECOVERY_GROWTH_PER_SECOND * Math.max(0, now - this.rateSetAt)) / 1000);
    this.rateSetAt = now;
    return this.rate;
  }

  private refresh(): Promise<void> {
    if (this.clock.now() - this.readAt < this.cacheMs) return Promise.resolve();
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    try {
      const items = await this.storage.read([RECORD_KEY]);
      const until = untilOf(items[RECORD_KEY]);
      if (until !== undefined && until > this.until) this.until = until;
    } catch (error) {
      // Unknown shared state: go on with what this instance knows; Graph's own 429 still protects it.
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not read the Graph throttle record');
    }
    this.readAt = this.clock.now();
  }
}

function untilOf(item: unknown): ThrottleRecord['until'] | undefined {
  if (typeof item !== 'object' || item === null || !('until' in item)) return undefined;
  return typeof item.until === 'number' ? item.until : undefined;
}
