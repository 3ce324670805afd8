import { createHash, randomUUID } from 'node:crypto';
import { isETagConflict, type StateStorage } from '../storage/state-storage';
import type { Clock } from '../time/clock';
import { KeyedLock } from './keyed-lock';
import { readItem, StorageContentionError, writeItem } from './storage-update';

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

const DEFAULT_SEND_LIMITS: SendLimits = {
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

type SendLimitScope = 'user' | 'number' | 'country';

export type SendReservation =
  { readonly allowed: true; readonly reservationId: string } | { readonly allowed: false; readonly retryAfterSeconds: number; readonly scope: SendLimitScope };

export interface SendLimiterOptions {
  readonly storage: StateStorage;
  readonly clock: Clock;
  readonly limits?: Partial<SendLimits>;
  /** Storage key prefix; default `sendLimits`. */
  readonly keyPrefix?: string;
  /** Rounds of read-check-write before giving up when other instances keep winning; default 10. */
  readonly maxAttempts?: number;
}

/** Reservations decided in one batch at most: bounds the locks held and the work done at once. */
const MAX_BATCH = 100;

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

/** A reservation waiting for its country's next batch. */
interface Waiting {
  readonly counters: readonly Counter[];
  readonly resolve: (reservation: SendReservation) => void;
  readonly reject: (error: unknown) => void;
}

/** A counter as read for one reservation round. */
interface CounterRead {
  readonly counter: Counter;
  readonly buckets: Buckets;
  /** The eTag it was read with; none when it did not exist (the write then creates it only if still absent). */
  readonly eTag: string | undefined;
}

/**
 * Caps code sends per user, per number and per country (SMS pumping / toll fraud). Each counter is
 * a small blob of counts per fixed time bucket in bot Storage, written with eTags so instances
 * sharing the store cannot together slip past a cap.
 */
export class SendLimiter {
  private readonly storage: StateStorage;
  private readonly clock: Clock;
  private readonly limits: SendLimits;
  private readonly keyPrefix: string;
  private readonly maxAttempts: number;
  private readonly lock = new KeyedLock();
  /** Reservations waiting for their country's next batch, by country counter key. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** Country counter keys with a batch being decided now. */
  private readonly deciding = new Set<string>();

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
    const countryKey = counters.find((counter) => counter.scope === 'country')!.key;
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(countryKey) ?? [];
      waiting.push({ counters, resolve, reject });
      this.waiting.set(countryKey, waiting);
      if (waiting.length === 1 && !this.deciding.has(countryKey)) void this.decideWaiting(countryKey);
    });
  }

  /**
   * Decides every reservation waiting for one country, batch after batch, while any wait.
   *
   * Every send of a country goes through that country's counter, so its reservations cannot run side
   * by side: on one counter they would race and pay eTag conflicts and retries (measured slower than
   * queueing). Queued one by one, a country allowed one send per two storage round trips. Decided
   * together, all the reservations that queued while the previous batch was written cost one round
   * of reads and one round of writes, whatever their number.
   */
  private async decideWaiting(countryKey: string): Promise<void> {
    this.deciding.add(countryKey);
    try {
      for (let members = this.takeWaiting(countryKey); members.length > 0; members = this.takeWaiting(countryKey)) {
        try {
          const keys = [...new Set(members.flatMap((member) => member.counters.map((counter) => counter.key)))].sort();
          const results = await this.holdingLocks(keys, () => this.decideWithRetries(members.map((member) => member.counters)));
          members.forEach((member, i) => member.resolve(results[i]!));
        } catch (error) {
          for (const member of members) member.reject(error);
        }
      }
    } finally {
      this.deciding.delete(countryKey);
    }
  }

  /** The next batch: the oldest waiting reservations, at most MAX_BATCH (the rest wait for the next). */
  private takeWaiting(countryKey: string): Waiting[] {
    const waiting = this.waiting.get(countryKey) ?? [];
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length === 0) this.waiting.delete(countryKey);
    return batch;
  }

  /**
   * Runs `work` holding this process's lock on every given counter key.
   *
   * Why a lock at all, when eTags (and conditional creates) already keep instances apart: two
   * batches of one process (for two countries) sharing a user or number counter would otherwise
   * race each other and pay an eTag conflict and a whole round of retries.
   *
   * Callers pass the keys sorted: one total order for every batch, so two batches can never each
   * hold a key the other waits for.
   */
  private holdingLocks<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const [first, ...rest] = keys;
    if (first === undefined) return work();
    return this.lock.run(first, () => this.holdingLocks(rest, work));
  }

  /** Decides a batch of reservations (each given as its counters), in the order they came. */
  private async decideWithRetries(batch: readonly (readonly Counter[])[]): Promise<SendReservation[]> {
    for (let round = 1; round <= this.maxAttempts; round += 1) {
      const now = this.clock.now();
      const unique = [...new Map(batch.flat().map((counter) => [counter.key, counter])).values()];
      const reads = new Map((await Promise.all(unique.map((counter) => this.readCounter(counter)))).map((read) => [read.counter.key, read]));
      const { results, counted } = decideInOrder(batch, reads, now);
      if (counted.size === 0 || (await this.writeCounted(reads, counted, now))) return results;
      // Another instance wrote one of the counters in between; our part is undone: decide again.
    }
    throw new StorageContentionError(batch[0]![0]!.key, this.maxAttempts);
  }

  private async readCounter(counter: Counter): Promise<CounterRead> {
    const { value, eTag } = await readItem<StoredCounter>(this.storage, counter.key);
    return { counter, buckets: toBuckets(value, counter.bucketMs), eTag };
  }

  /**
   * Writes the sends counted at `now` into every counter at once, each guarded by the eTag it was
   * read with. True when every write went through. Otherwise the writes that did go through are
   * undone; a failure other than an eTag conflict is then rethrown, a conflict returns false.
   * Writing all at once costs one round trip; the price is that another instance may, for one round
   * trip, see a send that a conflict then takes back: it may refuse a send early, never allow one
   * past a cap.
   */
  private async writeCounted(reads: ReadonlyMap<string, CounterRead>, counted: ReadonlyMap<string, number>, now: number): Promise<boolean> {
    const changes = [...counted].map(([key, added]) => ({ read: reads.get(key)!, added }));
    const results = await Promise.allSettled(
      changes.map(({ read: { counter, buckets, eTag }, added }) =>
        this.write(counter, withMore(withoutExpired(buckets, counter, now), counter, now, added), eTag),
      ),
    );
    const written = changes.filter((_, i) => results[i]!.status === 'fulfilled');
    if (written.length === changes.length) return true;
    const takeBack = (): Promise<unknown> =>
      Promise.all(written.map(({ read, added }) => this.takeBackOne(read.counter, bucketStart(now, read.counter.bucketMs), added)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isETagConflict(r.reason));
    if (failure) {
      // The store is failing: the error that says so matters more than an undo that may fail too
      // (an undo left undone only over-counts, which errs on the safe side).
      await takeBack().catch(() => undefined);
      throw failure.reason;
    }
    await takeBack();
    return false;
  }

  /** Removes the `count` sends this instance counted in the bucket at `start`, exactly those and nothing else. */
  private async takeBackOne(counter: Counter, start: number, count: number): Promise<void> {
    for (let round = 1; round <= this.maxAttempts; round += 1) {
      const { value, eTag } = await readItem<StoredCounter>(this.storage, counter.key);
      // No buckets means an older instance has since rewritten the blob as a list without our send.
      if (!value?.buckets) return;
      const buckets = toBuckets(value, counter.bucketMs);
      const current = buckets.get(start) ?? 0;
      if (current < 1) return;
      try {
        await this.write(counter, withCount(buckets, start, Math.max(0, current - count)), eTag);
        return;
      } catch (error) {
        if (!isETagConflict(error)) throw error;
      }
    }
    // Still contended after every round: the send stays counted, which only errs on the safe side.
  }

  private write(counter: Counter, buckets: Buckets, eTag: string | undefined): Promise<void> {
    return writeItem(this.storage, counter.key, toStored(buckets, counter.bucketMs), eTag);
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

function withMore(buckets: Buckets, counter: Counter, now: number, added: number): Map<number, number> {
  const start = bucketStart(now, counter.bucketMs);
  return withCount(buckets, start, (buckets.get(start) ?? 0) + added);
}

/**
 * Decides reservations in the order they came, each seeing the sends allowed before it in the same
 * batch: the results, and how many sends were counted in each counter.
 */
function decideInOrder(
  batch: readonly (readonly Counter[])[],
  reads: ReadonlyMap<string, CounterRead>,
  now: number,
): { results: SendReservation[]; counted: Map<string, number> } {
  const current = new Map([...reads].map(([key, read]) => [key, read.buckets]));
  const counted = new Map<string, number>();
  const results = batch.map((counters): SendReservation => {
    const refusal = longestRefusal(
      counters.map((counter) => ({ counter, buckets: current.get(counter.key)! })),
      now,
    );
    if (refusal) return refusal;
    for (const counter of counters) {
      current.set(counter.key, withMore(current.get(counter.key)!, counter, now, 1));
      counted.set(counter.key, (counted.get(counter.key) ?? 0) + 1);
    }
    // The id is not stored: counters hold counts only. It names the allowed send for the caller.
    return { allowed: true, reservationId: randomUUID() };
  });
  return { results, counted };
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
function longestRefusal(reads: readonly Pick<CounterRead, 'counter' | 'buckets'>[], now: number): SendReservation | undefined {
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
