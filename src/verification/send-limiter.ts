import { createHash, randomUUID } from 'node:crypto';
import { isETagConflict, type StateStorage } from '../storage/state-storage';
import type { Clock } from '../time/clock';
import { guardAt, guardOf, userRecordKey, type GuardState } from './guard-state';
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

/** What refused a send: one of the caps, or the account guard's block (`account`). */
type SendLimitScope = 'user' | 'number' | 'country' | 'account';

export type SendReservation =
  | {
      readonly allowed: true;
      readonly reservationId: string;
      /** The account guard's consecutive failures as the user's record held them when the send was counted. */
      readonly guardFailures: number;
    }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly scope: SendLimitScope };

export interface SendLimiterOptions {
  readonly storage: StateStorage;
  readonly clock: Clock;
  readonly limits?: Partial<SendLimits>;
  /** Storage key prefix; default `sendLimits`. */
  readonly keyPrefix?: string;
  /** Rounds of read-check-write before giving up when other instances keep winning; default 10. */
  readonly maxAttempts?: number;
  /** A number in [0, 1) that picks the country shard a batch writes; default `Math.random` (no secret rides on it). */
  readonly random?: () => number;
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
/** Country shard, 24-hour cap: held at most 1 hour longer (4%); at most 25 buckets whatever the cap. */
const COUNTRY_BUCKET_MS = HOUR;

/**
 * The per-country count is split over this many blobs (shards), `<prefix>/country/<region>/<shard>`.
 *
 * Why: one country blob is one hot record that every send to that country rewrites under its eTag;
 * with several instances in a burst, their batches for one country kept meeting on it and paid an
 * eTag conflict, an undo of the batch's user and number counts and a whole round again. Each batch now
 * writes one shard picked at random, so two instances meet on a shard one time in eight, and a send
 * still reads and writes one blob for its country.
 *
 * How the cap keeps its meaning: shard i may count at most its share of the cap (the cap split as
 * evenly as whole numbers allow, over min(8, cap) shards; the shares add up to the cap), each share
 * enforced under the shard's eTag, so all shards together never pass the cap. A send whose shard is
 * full is not refused for that alone: the batch reads every shard (near the cap, as shards fill
 * evenly) and counts the send in one that has room; it is refused only when all of them together hold
 * the cap. So the cap holds exactly, as before, across instances.
 */
const COUNTRY_SHARDS = 8;

/** At most `limit` sends in any `windowMs`. */
interface Cap {
  readonly limit: number;
  readonly windowMs: number;
}

/** The shards of one country: the whole cap, and every shard (a send's own among them). */
interface CountryShards {
  readonly cap: Cap;
  readonly shards: readonly Counter[];
  /** How many shards have a share of the cap: min(COUNTRY_SHARDS, cap). */
  readonly used: number;
  /** The one country blob of earlier versions, `<prefix>/country/<region>`: seeds a shard created after an upgrade. */
  readonly formerKey: string;
}

/** One counter blob and the caps it serves. */
interface Counter {
  readonly scope: SendLimitScope;
  readonly key: string;
  readonly bucketMs: number;
  readonly caps: readonly Cap[];
  /** The user's id, on the user's counter: that record also holds the account guard's state. */
  readonly userId?: string;
  /** On a country shard: the country's cap and all its shards, for a send whose own shard is full. */
  readonly country?: CountryShards;
}

/** Bucket start (ms since the epoch, a multiple of the width) → sends counted in that bucket. */
type Buckets = ReadonlyMap<number, number>;

/** What a counter blob holds now. The width is stored so a later change of widths can still read it. */
interface StoredBuckets {
  readonly bucketMs: number;
  readonly buckets: Readonly<Record<string, number>>;
  /** The user's record only: the account guard's state, kept as read on every write of the counts. */
  readonly guard?: GuardState;
}

/** What a counter blob held before buckets: one entry per send. Still read, so an upgrade keeps every cap. */
interface StoredSendList {
  readonly sends: readonly { readonly id: string; readonly at: number }[];
}

type StoredCounter = Partial<StoredBuckets & StoredSendList>;

/** A reservation waiting for its country's next batch: its user and number counters, and the country. */
interface Waiting {
  readonly counters: readonly Counter[];
  readonly country: CountryShards;
  readonly resolve: (reservation: SendReservation) => void;
  readonly reject: (error: unknown) => void;
}

/** A counter as read for one reservation round. */
interface CounterRead {
  readonly counter: Counter;
  readonly buckets: Buckets;
  /** The user's counter only: the account guard's state as stored (written back as it is). */
  readonly guard?: GuardState;
  /** The eTag it was read with; none when it did not exist (the write then creates it only if still absent). */
  readonly eTag: string | undefined;
}

/**
 * Caps code sends per user, per number and per country (SMS pumping / toll fraud), and refuses a
 * user the account guard has blocked. Each counter is a small blob of counts per fixed time bucket in
 * bot Storage, written with eTags so instances sharing the store cannot together slip past a cap.
 */
export class SendLimiter {
  private readonly storage: StateStorage;
  private readonly clock: Clock;
  private readonly limits: SendLimits;
  private readonly keyPrefix: string;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private readonly lock = new KeyedLock();
  /** Reservations waiting for their country's next batch, by the country's key. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** Country keys with a batch being decided now. */
  private readonly deciding = new Set<string>();
  /**
   * Former single country blobs found absent: nothing to seed a shard from, now or later (only
   * earlier versions wrote them), so this process does not look again.
   */
  private readonly formerAbsent = new Set<string>();

  constructor(options: SendLimiterOptions) {
    this.storage = options.storage;
    this.clock = options.clock;
    this.limits = { ...DEFAULT_SEND_LIMITS, ...options.limits };
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`send limit ${name} must be a positive integer`);
    }
    this.keyPrefix = options.keyPrefix ?? 'sendLimits';
    this.maxAttempts = options.maxAttempts ?? 10;
    this.random = options.random ?? Math.random;
  }

  /**
   * Counts one send against every cap, or refuses it without counting. A refusal names the scope
   * that blocks longest and the seconds until every cap would allow a send again; a user the account
   * guard blocked is refused as `account`, whatever the caps say.
   */
  reserve(attempt: SendAttempt): Promise<SendReservation> {
    const counters = this.counters(attempt);
    const country = this.countryShards(attempt.region.toUpperCase());
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(country.formerKey) ?? [];
      waiting.push({ counters, country, resolve, reject });
      this.waiting.set(country.formerKey, waiting);
      if (waiting.length === 1 && !this.deciding.has(country.formerKey)) void this.decideWaiting(country.formerKey);
    });
  }

  /**
   * Decides every reservation waiting for one country, batch after batch, while any wait.
   *
   * Every send of a country goes through a shard of that country, so in one process its
   * reservations do not run side by side: batches would race on the shards and pay eTag conflicts
   * and retries (measured slower than queueing). Queued one by one, a country allowed one send per
   * two storage round trips. Decided together, all the reservations that queued while the previous
   * batch was written cost one round of reads and one round of writes, whatever their number.
   */
  private async decideWaiting(countryKey: string): Promise<void> {
    this.deciding.add(countryKey);
    try {
      for (let members = this.takeWaiting(countryKey); members.length > 0; members = this.takeWaiting(countryKey)) {
        try {
          const keys = [...new Set(members.flatMap((member) => member.counters.map((counter) => counter.key)))].sort();
          const batch = members.map((member) => member.counters);
          const results = await this.holdingLocks(keys, () => this.decideWithRetries(batch, members[0]!.country));
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
   * batches of one process (for two countries) sharing a user or number counter would otherwise race
   * each other and pay an eTag conflict and a whole round of retries. Country shards need no lock:
   * one batch per country at a time in a process.
   *
   * Callers pass the keys sorted: one total order for every batch, so two batches can never each
   * hold a key the other waits for.
   */
  private holdingLocks<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const [first, ...rest] = keys;
    if (first === undefined) return work();
    return this.lock.run(first, () => this.holdingLocks(rest, work));
  }

  /**
   * Decides a batch of reservations (each given as its user and number counters) for one country, in
   * the order they came. Each round picks a shard at random (after a conflict, likely another one than
   * the instance that won is writing) and reads it alone; when it is too full for the batch, the
   * batch is decided again reading every shard of the country.
   */
  private async decideWithRetries(batch: readonly (readonly Counter[])[], country: CountryShards): Promise<SendReservation[]> {
    let everyShard = false;
    for (let round = 1; round <= this.maxAttempts; round += 1) {
      const now = this.clock.now();
      const shard = country.shards[Math.min(country.used - 1, Math.floor(this.random() * country.used))]!;
      const withShard = batch.map((counters) => [...counters, shard]);
      const wanted = [...withShard.flat(), ...(everyShard ? country.shards : [])];
      const unique = [...new Map(wanted.map((counter) => [counter.key, counter])).values()];
      const reads = new Map((await Promise.all(unique.map((counter) => this.readCounter(counter)))).map((read) => [read.counter.key, read]));
      const decided = decideInOrder(withShard, reads, now, everyShard);
      if (decided === 'every_shard') {
        // Not contention: this round lacked the other shards' counts. The next reads them too.
        everyShard = true;
        round -= 1;
        continue;
      }
      const { results, counted } = decided;
      if (counted.size === 0 || (await this.writeCounted(reads, counted, now))) return results;
      // Another instance wrote one of the counters in between; our part is undone: decide again.
    }
    throw new StorageContentionError(batch[0]![0]!.key, this.maxAttempts);
  }

  private async readCounter(counter: Counter): Promise<CounterRead> {
    const { value, eTag } = await readItem<StoredCounter>(this.storage, counter.key);
    const buckets = value === undefined && counter.country ? await this.seedOf(counter) : toBuckets(value, counter.bucketMs);
    if (counter.userId === undefined) return { counter, buckets, eTag };
    // A new record starts with a guard with no failures: its field marks it as read and written by a
    // version that keeps the guard here, so no later read looks for the former guard blob.
    return { counter, buckets, eTag, guard: (await guardOf(this.storage, counter.userId, value)) ?? { failures: 0 } };
  }

  /**
   * What a country shard that does not exist yet starts from: its part of the sends an earlier
   * version counted in the one country blob, so an upgrade keeps the day's count. Every former
   * bucket is split over the shards in use as the cap is (the first ones take the remainder), so
   * together they hold exactly what the former blob did. Read only while a shard is first created,
   * and, where there was no former blob, once per country for the life of the process.
   */
  private async seedOf(shard: Counter): Promise<Map<number, number>> {
    const { formerKey, shards, used } = shard.country!;
    const index = shards.indexOf(shard);
    if (this.formerAbsent.has(formerKey)) return new Map();
    const { value } = await readItem<StoredCounter>(this.storage, formerKey);
    if (value === undefined) this.formerAbsent.add(formerKey);
    const seed = new Map<number, number>();
    for (const [start, count] of toBuckets(value, COUNTRY_BUCKET_MS)) {
      const part = index < used ? Math.floor(count / used) + (index < count % used ? 1 : 0) : 0;
      if (part > 0) seed.set(start, part);
    }
    return seed;
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
      changes.map(({ read: { counter, buckets, guard, eTag }, added }) =>
        this.write(counter, withMore(withoutExpired(buckets, counter, now), counter, now, added), guard, eTag),
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
        // The guard's state (on the user's record) goes back as it is now, whatever happened to it since.
        await this.write(counter, withCount(buckets, start, Math.max(0, current - count)), value.guard, eTag);
        return;
      } catch (error) {
        if (!isETagConflict(error)) throw error;
      }
    }
    // Still contended after every round: the send stays counted, which only errs on the safe side.
  }

  private write(counter: Counter, buckets: Buckets, guard: GuardState | undefined, eTag: string | undefined): Promise<void> {
    return writeItem(this.storage, counter.key, toStored(buckets, counter.bucketMs, guard), eTag);
  }

  /** The user's and the number's counters of a send, user first: on a tie the earlier one names the refusal (the country's comes last). */
  private counters(attempt: SendAttempt): Counter[] {
    // Storage keys may show up in storage logs and blob names: hash the number instead of using it.
    const numberHash = createHash('sha256').update(attempt.e164, 'utf8').digest('hex').slice(0, 32);
    return [
      {
        scope: 'user',
        key: userRecordKey(this.keyPrefix, attempt.userId),
        bucketMs: USER_BUCKET_MS,
        caps: [
          { limit: this.limits.perUserPerHour, windowMs: HOUR },
          { limit: this.limits.perUserPerDay, windowMs: DAY },
        ],
        userId: attempt.userId,
      },
      {
        scope: 'number',
        key: `${this.keyPrefix}/number/${numberHash}`,
        bucketMs: NUMBER_BUCKET_MS,
        caps: [{ limit: this.limits.perNumberPer10Minutes, windowMs: 10 * MINUTE }],
      },
    ];
  }

  /** Every shard of a country, each with its share of the cap (0 for a shard a small cap leaves unused). */
  private countryShards(region: string): CountryShards {
    const cap: Cap = { limit: this.limits.perCountryPerDay, windowMs: DAY };
    const used = Math.min(COUNTRY_SHARDS, cap.limit);
    const shards: Counter[] = [];
    const country: CountryShards = { cap, shards, used, formerKey: `${this.keyPrefix}/country/${region}` };
    for (let i = 0; i < COUNTRY_SHARDS; i += 1) {
      const share = i < used ? Math.floor(cap.limit / used) + (i < cap.limit % used ? 1 : 0) : 0;
      shards.push({
        scope: 'country',
        key: `${this.keyPrefix}/country/${region}/${i}`,
        bucketMs: COUNTRY_BUCKET_MS,
        caps: [{ limit: share, windowMs: DAY }],
        country,
      });
    }
    return country;
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

function toStored(buckets: Buckets, bucketMs: number, guard: GuardState | undefined): StoredBuckets {
  const oldestFirst = [...buckets].sort(([a], [b]) => a - b);
  return { bucketMs, buckets: Object.fromEntries(oldestFirst.map(([start, count]) => [String(start), count])), ...(guard ? { guard } : {}) };
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

/** The buckets of several counters of one width added up, bucket by bucket. */
function summed(all: readonly Buckets[]): Map<number, number> {
  const sum = new Map<number, number>();
  for (const buckets of all) for (const [start, count] of buckets) sum.set(start, (sum.get(start) ?? 0) + count);
  return sum;
}

/**
 * Decides reservations in the order they came, each seeing the sends allowed before it in the same
 * batch: the results, and how many sends were counted in each counter. `every_shard` when a
 * reservation's own country shard is full and not every shard of its country was read.
 */
function decideInOrder(
  batch: readonly (readonly Counter[])[],
  reads: ReadonlyMap<string, CounterRead>,
  now: number,
  everyShard: boolean,
): { results: SendReservation[]; counted: Map<string, number> } | 'every_shard' {
  const current = new Map([...reads].map(([key, read]) => [key, read.buckets]));
  const counted = new Map<string, number>();
  const count = (counter: Counter): void => {
    current.set(counter.key, withMore(current.get(counter.key)!, counter, now, 1));
    counted.set(counter.key, (counted.get(counter.key) ?? 0) + 1);
  };
  const results: SendReservation[] = [];
  for (const counters of batch) {
    const user = counters.find((counter) => counter.userId !== undefined)!;
    const guard = guardAt(reads.get(user.key)!.guard, now);
    if (guard.blockedUntil !== undefined) {
      results.push({ allowed: false, scope: 'account', retryAfterSeconds: Math.max(1, Math.ceil((guard.blockedUntil - now) / 1000)) });
      continue;
    }
    const own = counters.find((counter) => counter.country !== undefined)!;
    const others = counters.filter((counter) => counter !== own);
    const checks = others.map((counter) => ({ counter, buckets: current.get(counter.key)! }));
    let shard: Counter | undefined = own;
    const ownWait = secondsUntilRoom(current.get(own.key)!, own.bucketMs, own.caps[0]!, now);
    if (ownWait !== undefined) {
      if (!everyShard) return 'every_shard';
      // Its own shard is full: any shard with room takes it, while all together hold less than the cap.
      const { cap, shards } = own.country!;
      checks.push({
        counter: { scope: 'country', key: own.key, bucketMs: own.bucketMs, caps: [cap] },
        buckets: summed(shards.map((s) => current.get(s.key)!)),
      });
      shard = shards.find((s) => secondsUntilRoom(current.get(s.key)!, s.bucketMs, s.caps[0]!, now) === undefined);
    }
    // Under the cap, the shares (which add up to it) always leave room in one shard; were none to have
    // room, the send is refused rather than counted past a share.
    const refusal = longestRefusal(checks, now) ?? (shard ? undefined : { allowed: false, scope: 'country', retryAfterSeconds: ownWait! });
    if (refusal) {
      results.push(refusal);
      continue;
    }
    for (const counter of [...others, shard!]) count(counter);
    // The id is not stored: counters hold counts only. It names the allowed send for the caller.
    results.push({ allowed: true, reservationId: randomUUID(), guardFailures: guard.failures });
  }
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
