import { createHash, randomUUID } from 'node:crypto';
import type { Storage } from 'botbuilder';
import type { Clock } from './clock';
import { KeyedLock } from './keyed-lock';
import { isETagConflict, readItem, StorageContentionError } from './storage-update';

/** How many sends each scope allows in its window. */
export interface SendLimits {
  /** Sends per user in any 60 minutes; default 5. */
  readonly perUserPerHour: number;
  /** Sends per user in any 24 hours; default 10. */
  readonly perUserPerDay: number;
  /** Sends to one number in any 10 minutes; default 3. */
  readonly perNumberPer10Minutes: number;
  /** Sends to one country/region in any 24 hours; default 200. */
  readonly perCountryPerDay: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = {
  perUserPerHour: 5,
  perUserPerDay: 10,
  perNumberPer10Minutes: 3,
  perCountryPerDay: 200,
};

/** One send (SMS or call) the caller is about to make. */
export interface SendAttempt {
  /** The Entra object id of the user the code is for. */
  readonly userId: string;
  /** E.164 number the code goes to. */
  readonly e164: string;
  /** ISO 3166-1 alpha-2 region of the number, e.g. `JP`. */
  readonly region: string;
}

export type SendLimitScope = 'user' | 'number' | 'country';

export type SendReservation =
  | { readonly allowed: true; readonly reservationId: string }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly scope: SendLimitScope };

export interface SendLimiterOptions {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly limits?: Partial<SendLimits>;
  /** Storage key prefix; default `sendLimits`. */
  readonly keyPrefix?: string;
  /** Rounds of read-check-write before giving up when other instances keep winning; default 10. */
  readonly maxAttempts?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/*
 * Bucket widths. A counter keeps only how many sends fell in each fixed bucket, so a bucket counts
 * whole until its *end* is a full window old: a send may be held up to one bucket longer than its
 * window (refused slightly early, never allowed past a cap). The width is therefore a small part of
 * the shortest window it serves, and a blob holds at most (longest window / width + 1) buckets,
 * only the non-empty ones, so never more than the sends the cap allows either.
 */
/** Number counter, 10-minute cap: held at most 1 minute longer; at most 11 buckets (3 with the default cap). */
const NUMBER_BUCKET_MS = MINUTE;
/**
 * User counter, serving both the 1-hour and the 24-hour cap from one blob. 5-minute buckets keep the
 * hour cap within 5 minutes (8%); kept for 24 hours that is at most 289 buckets, but only non-empty
 * buckets are stored and a user has at most `perUserPerDay` sends in a day (10 by default), so the
 * blob stays that small. Coarser buckets beyond the first hour would save nothing at these caps.
 */
const USER_BUCKET_MS = 5 * MINUTE;
/** Country counter, 24-hour cap: held at most 1 hour longer (4%); at most 25 buckets whatever the cap. */
const COUNTRY_BUCKET_MS = HOUR;

/** At most `limit` sends in any `windowMs`. */
interface Cap {
  readonly limit: number;
  readonly windowMs: number;
}

/** One counter blob and the caps it serves. */
interface Counter {
  readonly scope: SendLimitScope;
  readonly key: string;
  readonly bucketMs: number;
  readonly caps: readonly Cap[];
}

/** Bucket start (ms since the epoch, a multiple of the width) → sends counted in that bucket. */
type Buckets = ReadonlyMap<number, number>;

/** What a counter blob holds now. The width is stored so a later change of widths can still read it. */
interface StoredBuckets {
  readonly bucketMs: number;
  readonly buckets: Readonly<Record<string, number>>;
}

/** What a counter blob held before buckets: one entry per send. Still read, so an upgrade keeps every cap. */
interface StoredSendList {
  readonly sends: readonly { readonly id: string; readonly at: number }[];
}

type StoredCounter = Partial<StoredBuckets & StoredSendList>;

/** A counter as read for one reservation round. */
interface CounterRead {
  readonly counter: Counter;
  readonly buckets: Buckets;
  readonly eTag: string;
}

/**
 * Caps code sends per user, per number and per country (SMS pumping / toll fraud). Each counter is
 * a small blob of counts per fixed time bucket in bot Storage, written with eTags so instances
 * sharing the store cannot together slip past a cap.
 */
export class SendLimiter {
  private readonly storage: Storage;
  private readonly clock: Clock;
  private readonly limits: SendLimits;
  private readonly keyPrefix: string;
  private readonly maxAttempts: number;
  private readonly lock = new KeyedLock();

  constructor(options: SendLimiterOptions) {
    this.storage = options.storage;
    this.clock = options.clock;
    this.limits = { ...DEFAULT_SEND_LIMITS, ...options.limits };
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`send limit ${name} must be a positive integer`);
    }
    this.keyPrefix = options.keyPrefix ?? 'sendLimits';
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  /**
   * Counts one send against every cap, or refuses it without counting. A refusal names the scope
   * that blocks longest and the seconds until every cap would allow a send again.
   */
  reserve(attempt: SendAttempt): Promise<SendReservation> {
    const counters = this.counters(attempt);
    const lockOrder = counters.map((counter) => counter.key).sort();
    return this.holdingLocks(lockOrder, () => this.reserveWithRetries(counters));
  }

  /**
   * Runs `work` holding this process's lock on every given counter key.
   *
   * Why a lock at all, when eTags already keep instances apart: botbuilder stores create an item
   * that does not exist yet unconditionally (eTag `*`), so two reservations of one process creating
   * the same counter would each overwrite the other's count; and reservations for one country would
   * race on its counter and pay eTag conflicts and retries, which the benchmark measured as slower
   * than queueing (bench/PERFORMANCE.md: a lock per user was tried and reverted for that reason).
   *
   * Why per key, not one lock per process: reservations that share no counter (other countries,
   * users and numbers) have nothing to race on, so they now run side by side. Those for one country
   * still queue as they did behind the process-wide lock, but each holds it for one round of
   * parallel reads and one of parallel writes instead of six sequential round trips.
   *
   * Callers pass the keys sorted: one total order for every reservation, so two reservations can
   * never each hold a key the other waits for.
   */
  private holdingLocks<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const [first, ...rest] = keys;
    if (first === undefined) return work();
    return this.lock.run(first, () => this.holdingLocks(rest, work));
  }

  private async reserveWithRetries(counters: readonly Counter[]): Promise<SendReservation> {
    for (let round = 1; round <= this.maxAttempts; round += 1) {
      const now = this.clock.now();
      const reads = await Promise.all(counters.map((counter) => this.readCounter(counter)));
      const refusal = longestRefusal(reads, now);
      if (refusal) return refusal;
      // The id is not stored: counters hold counts only. It names the allowed send for the caller.
      if (await this.countSend(reads, now)) return { allowed: true, reservationId: randomUUID() };
      // Another instance wrote one of the counters in between; our part is undone: decide again.
    }
    throw new StorageContentionError(counters[0]!.key, this.maxAttempts);
  }

  private async readCounter(counter: Counter): Promise<CounterRead> {
    const { value, eTag } = await readItem<StoredCounter>(this.storage, counter.key);
    return { counter, buckets: toBuckets(value, counter.bucketMs), eTag };
  }

  /**
   * Writes one more send at `now` into every counter at once, each guarded by the eTag it was read
   * with. True when every write went through. Otherwise the writes that did go through are undone;
   * a failure other than an eTag conflict is then rethrown, a conflict returns false.
   * Writing all three at once costs one round trip instead of three; the price is that another
   * instance may, for one round trip, see a send that a conflict then takes back: it may refuse a
   * send early, never allow one past a cap.
   */
  private async countSend(reads: readonly CounterRead[], now: number): Promise<boolean> {
    const results = await Promise.allSettled(
      reads.map(({ counter, buckets, eTag }) => this.write(counter, withOneMore(withoutExpired(buckets, counter, now), counter, now), eTag)),
    );
    const counted = reads.filter((_, i) => results[i]!.status === 'fulfilled').map((read) => read.counter);
    if (counted.length === reads.length) return true;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isETagConflict(r.reason));
    if (failure) {
      // The store is failing: the error that says so matters more than an undo that may fail too
      // (an undo left undone only over-counts one send, which errs on the safe side).
      await this.takeBack(counted, now).catch(() => undefined);
      throw failure.reason;
    }
    await this.takeBack(counted, now);
    return false;
  }

  /** Removes the one send counted at `countedAt` from each counter, exactly that and nothing else. */
  private async takeBack(counters: readonly Counter[], countedAt: number): Promise<void> {
    await Promise.all(counters.map((counter) => this.takeBackOne(counter, bucketStart(countedAt, counter.bucketMs))));
  }

  private async takeBackOne(counter: Counter, start: number): Promise<void> {
    for (let round = 1; round <= this.maxAttempts; round += 1) {
      const { value, eTag } = await readItem<StoredCounter>(this.storage, counter.key);
      // No buckets means an older instance has since rewritten the blob as a list without our send.
      if (!value?.buckets) return;
      const buckets = toBuckets(value, counter.bucketMs);
      if ((buckets.get(start) ?? 0) < 1) return;
      try {
        await this.write(counter, withCount(buckets, start, buckets.get(start)! - 1), eTag);
        return;
      } catch (error) {
        if (!isETagConflict(error)) throw error;
      }
    }
    // Still contended after every round: the send stays counted, which only errs on the safe side.
  }

  private write(counter: Counter, buckets: Buckets, eTag: string): Promise<void> {
    return this.storage.write({ [counter.key]: { ...toStored(buckets, counter.bucketMs), eTag } });
  }

  /** The three counters of a send, user first: on a tie the earlier one names the refusal. */
  private counters(attempt: SendAttempt): Counter[] {
    // Storage keys may show up in storage logs and blob names: hash the number instead of using it.
    const numberHash = createHash('sha256').update(attempt.e164, 'utf8').digest('hex').slice(0, 32);
    return [
      {
        scope: 'user',
        key: `${this.keyPrefix}/user/${attempt.userId}`,
        bucketMs: USER_BUCKET_MS,
        caps: [
          { limit: this.limits.perUserPerHour, windowMs: HOUR },
          { limit: this.limits.perUserPerDay, windowMs: DAY },
        ],
      },
      {
        scope: 'number',
        key: `${this.keyPrefix}/number/${numberHash}`,
        bucketMs: NUMBER_BUCKET_MS,
        caps: [{ limit: this.limits.perNumberPer10Minutes, windowMs: 10 * MINUTE }],
      },
      {
        scope: 'country',
        key: `${this.keyPrefix}/country/${attempt.region.toUpperCase()}`,
        bucketMs: COUNTRY_BUCKET_MS,
        caps: [{ limit: this.limits.perCountryPerDay, windowMs: DAY }],
      },
    ];
  }
}

function bucketStart(instant: number, bucketMs: number): number {
  return Math.floor(instant / bucketMs) * bucketMs;
}

/**
 * Any stored form of a counter as buckets of `bucketMs`: the current one, one written with another
 * width, or the earlier list of sends. Each stored send or bucket goes into the bucket of its latest
 * possible instant, so converting never lets a send leave a window earlier than it should.
 */
function toBuckets(stored: StoredCounter | undefined, bucketMs: number): Map<number, number> {
  const buckets = new Map<number, number>();
  const add = (instant: number, count: number): void => {
    if (!Number.isFinite(instant) || !(count > 0)) return;
    const start = bucketStart(instant, bucketMs);
    buckets.set(start, (buckets.get(start) ?? 0) + count);
  };
  const storedWidth = stored?.bucketMs ?? bucketMs;
  for (const [start, count] of Object.entries(stored?.buckets ?? {})) add(Number(start) + storedWidth - 1, count);
  for (const send of stored?.sends ?? []) add(send.at, 1);
  return buckets;
}

function toStored(buckets: Buckets, bucketMs: number): StoredBuckets {
  const oldestFirst = [...buckets].sort(([a], [b]) => a - b);
  return { bucketMs, buckets: Object.fromEntries(oldestFirst.map(([start, count]) => [String(start), count])) };
}

/** True while a bucket overlaps the window that ends at `now`: it then counts whole. */
function overlapsWindow(start: number, bucketMs: number, windowMs: number, now: number): boolean {
  return start + bucketMs > now - windowMs;
}

/** The buckets without those that no cap of the counter counts any more; this is what bounds a blob. */
function withoutExpired(buckets: Buckets, counter: Counter, now: number): Map<number, number> {
  const longest = Math.max(...counter.caps.map((cap) => cap.windowMs));
  return new Map([...buckets].filter(([start]) => overlapsWindow(start, counter.bucketMs, longest, now)));
}

function withOneMore(buckets: Buckets, counter: Counter, now: number): Map<number, number> {
  const start = bucketStart(now, counter.bucketMs);
  return withCount(buckets, start, (buckets.get(start) ?? 0) + 1);
}

/** The buckets with `count` sends in the bucket at `start`; an empty bucket is not kept. */
function withCount(buckets: Buckets, start: number, count: number): Map<number, number> {
  const next = new Map(buckets);
  if (count > 0) next.set(start, count);
  else next.delete(start);
  return next;
}

/** Seconds until one more send fits under `cap`, or undefined when it fits now. */
function secondsUntilRoom(buckets: Buckets, bucketMs: number, cap: Cap, now: number): number | undefined {
  const counted = [...buckets].filter(([start]) => overlapsWindow(start, bucketMs, cap.windowMs, now)).sort(([a], [b]) => a - b);
  let remaining = counted.reduce((sum, [, count]) => sum + count, 0);
  if (remaining < cap.limit) return undefined;
  // Room comes back once enough of the oldest buckets have left the window for the rest to be under the cap.
  let roomAt = now;
  for (const [start, count] of counted) {
    remaining -= count;
    roomAt = start + bucketMs + cap.windowMs;
    if (remaining < cap.limit) break;
  }
  return Math.max(1, Math.ceil((roomAt - now) / 1000));
}

/** The refusal of the cap that blocks longest, or undefined when every cap has room. */
function longestRefusal(reads: readonly CounterRead[], now: number): SendReservation | undefined {
  let refusal: { retryAfterSeconds: number; scope: SendLimitScope } | undefined;
  for (const { counter, buckets } of reads) {
    for (const cap of counter.caps) {
      const retryAfterSeconds = secondsUntilRoom(buckets, counter.bucketMs, cap, now);
      if (retryAfterSeconds !== undefined && (!refusal || retryAfterSeconds > refusal.retryAfterSeconds)) {
        refusal = { retryAfterSeconds, scope: counter.scope };
      }
    }
  }
  return refusal ? { allowed: false, ...refusal } : undefined;
}
