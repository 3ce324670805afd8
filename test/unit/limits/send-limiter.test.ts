import { createHash } from 'node:crypto';
import type { StoreItem, StoreItems } from 'botbuilder';
import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import type { StateStorage } from '../../../src/storage/state-storage';
import { SendLimiter, type SendAttempt, type SendLimits, type SendReservation } from '../../../src/verification/send-limiter';
import { SeededRandom } from '../../support/seeded-random';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 10, 27, 9, 0, 0);

function manualClock(start = START) {
  return {
    t: start,
    now() {
      return this.t;
    },
  };
}

/** A memory store that yields between read and write like a remote store, and counts eTag conflicts. */
class SlowStorage implements StateStorage {
  conflicts = 0;
  constructor(private readonly inner: StateStorage) {}
  async read(keys: string[]): Promise<StoreItems> {
    await new Promise((resolve) => setImmediate(resolve));
    return this.inner.read(keys);
  }
  async write(changes: StoreItems): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      await this.inner.write(changes);
    } catch (error) {
      this.conflicts += 1;
      throw error;
    }
  }
  async delete(keys: string[]): Promise<void> {
    await this.inner.delete(keys);
  }
  async createItem(key: string, item: StoreItem): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      await this.inner.createItem(key, item);
    } catch (error) {
      this.conflicts += 1;
      throw error;
    }
  }
}

/** A memory store whose writes to one key fail as `failure` says, e.g. like a store another instance just wrote. */
class FailingWrites extends MemoryStateStorage {
  constructor(
    memory: Record<string, string>,
    private readonly key: string,
    private readonly failure: () => Error | undefined,
  ) {
    super(memory);
  }
  override write(changes: StoreItems): Promise<void> {
    const error = this.key in changes ? this.failure() : undefined;
    return error ? Promise.reject(error) : super.write(changes);
  }
  override createItem(key: string, item: StoreItem): Promise<void> {
    const error = key === this.key ? this.failure() : undefined;
    return error ? Promise.reject(error) : super.createItem(key, item);
  }
}

/** Records how many reads and writes were in flight at once. */
class ConcurrencyProbe extends SlowStorage {
  reading = 0;
  writing = 0;
  maxReading = 0;
  maxWriting = 0;
  override async read(keys: string[]): Promise<StoreItems> {
    this.maxReading = Math.max(this.maxReading, (this.reading += 1));
    try {
      return await super.read(keys);
    } finally {
      this.reading -= 1;
    }
  }
  override async write(changes: StoreItems): Promise<void> {
    this.maxWriting = Math.max(this.maxWriting, (this.writing += 1));
    try {
      await super.write(changes);
    } finally {
      this.writing -= 1;
    }
  }
  override async createItem(key: string, item: StoreItem): Promise<void> {
    this.maxWriting = Math.max(this.maxWriting, (this.writing += 1));
    try {
      await super.createItem(key, item);
    } finally {
      this.writing -= 1;
    }
  }
}

let seq = 0;
function attempt(overrides: Partial<SendAttempt> = {}): SendAttempt {
  seq += 1;
  // Unique number and user by default so only the scope under test can bite.
  return { userId: `user-${seq}`, e164: `+8190${String(10_000_000 + seq)}`, region: `Z${seq % 26}`, ...overrides };
}

/** A limiter whose batches pick their country shard from a seeded sequence (or as `random` says). */
function limiter(storage: StateStorage, clock: { now(): number }, limits: Partial<SendLimits> = {}, random: () => number = seededShards()) {
  return new SendLimiter({ storage, clock, limits, random });
}

function seededShards(seed = 7): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

function numberKey(e164: string): string {
  return `sendLimits/number/${createHash('sha256').update(e164, 'utf8').digest('hex').slice(0, 32)}`;
}

const SHARD_0 = 'sendLimits/country/JP/0';

/** The country's shard keys, by shard number. */
function countryKeys(memory: Record<string, string>, region = 'JP'): string[] {
  const prefix = `sendLimits/country/${region}/`;
  return Object.keys(memory)
    .filter((key) => key.startsWith(prefix))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
}

/** Sends counted for a country over all its shards. */
function countryTotal(memory: Record<string, string>, region = 'JP'): number {
  return countryKeys(memory, region).reduce((sum, key) => sum + total(storedAt(memory, key)), 0);
}

interface StoredCounter {
  bucketMs?: number;
  buckets?: Record<string, number>;
  sends?: unknown[];
}

function storedAt(memory: Record<string, string>, key: string): StoredCounter {
  return JSON.parse(memory[key]!) as StoredCounter;
}

function total(counter: StoredCounter): number {
  return Object.values(counter.buckets ?? {}).reduce((sum, n) => sum + n, 0);
}

/** The most sends that fall in any window of `windowMs` (exact, not bucketed). */
function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  return Math.max(0, ...times.map((end) => times.filter((t) => t > end - windowMs && t <= end).length));
}

describe('SendLimiter', () => {
  it('allows 5 sends per user per hour, then names the user scope and the wait until the oldest bucket leaves the hour', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStateStorage(), clock);
    for (let i = 0; i < 5; i += 1) {
      await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toMatchObject({ allowed: true });
      clock.t += MINUTE;
    }
    // All five sends are in the 09:00–09:05 bucket, which counts until 10:05.
    await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toEqual({ allowed: false, scope: 'user', retryAfterSeconds: 60 * 60 });
    await expect(sends.reserve(attempt({ userId: 'u2' }))).resolves.toMatchObject({ allowed: true });
    clock.t = START + 65 * MINUTE - SECOND;
    await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toEqual({ allowed: false, scope: 'user', retryAfterSeconds: 1 });
    clock.t += SECOND;
    await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toMatchObject({ allowed: true });
  });

  it('allows 10 sends per user per day across hours', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStateStorage(), clock);
    for (let i = 0; i < 10; i += 1) {
      await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toMatchObject({ allowed: true });
      clock.t += 2 * HOUR;
    }
    // The first send's 5-minute bucket leaves the day at 09:05 tomorrow.
    const refused = await sends.reserve(attempt({ userId: 'u1' }));
    expect(refused).toEqual({ allowed: false, scope: 'user', retryAfterSeconds: (START + 5 * MINUTE + DAY - clock.t) / 1000 });
  });

  it('allows 3 sends per number per 10 minutes, whoever asks', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStateStorage(), clock);
    for (let i = 0; i < 3; i += 1) {
      await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toMatchObject({ allowed: true });
    }
    // One-minute buckets: the 09:00 bucket counts until 09:11.
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toEqual({ allowed: false, scope: 'number', retryAfterSeconds: 660 });
    clock.t += 10 * MINUTE;
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toEqual({ allowed: false, scope: 'number', retryAfterSeconds: 60 });
    clock.t += MINUTE;
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toMatchObject({ allowed: true });
  });

  it('caps sends per country per day', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStateStorage(), clock, { perCountryPerDay: 4 });
    for (let i = 0; i < 4; i += 1) {
      await expect(sends.reserve(attempt({ region: 'jp' }))).resolves.toMatchObject({ allowed: true });
      clock.t += HOUR;
    }
    // Hourly buckets: the 09:00 bucket counts until 10:00 tomorrow, 21 hours from 13:00.
    await expect(sends.reserve(attempt({ region: 'JP' }))).resolves.toEqual({ allowed: false, scope: 'country', retryAfterSeconds: 21 * 3600 });
    await expect(sends.reserve(attempt({ region: 'US' }))).resolves.toMatchObject({ allowed: true });
  });

  it('names the scope that blocks longest', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStateStorage(), clock, { perCountryPerDay: 1, perNumberPer10Minutes: 1 });
    await sends.reserve(attempt({ userId: 'u1', e164: '+819012345678', region: 'JP' }));
    // Number (11 minutes) and country (25 hours) both refuse: the country decides.
    await expect(sends.reserve(attempt({ userId: 'u1', e164: '+819012345678', region: 'JP' }))).resolves.toEqual({
      allowed: false,
      scope: 'country',
      retryAfterSeconds: 25 * 3600,
    });
  });

  it('does not count a refused send', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStateStorage(), clock, { perNumberPer10Minutes: 1 });
    await sends.reserve(attempt({ userId: 'u1', e164: '+819012345678' }));
    for (let i = 0; i < 10; i += 1) {
      await expect(sends.reserve(attempt({ userId: 'u1', e164: '+819012345678' }))).resolves.toMatchObject({ allowed: false, scope: 'number' });
    }
    // Only one send counted for u1, so a different number is fine for the user caps.
    await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toMatchObject({ allowed: true });
  });

  it('counts a send until its whole bucket has left the window, never less', async () => {
    const clock = manualClock(START + 30 * SECOND);
    const sends = limiter(new MemoryStateStorage(), clock);
    for (let i = 0; i < 3; i += 1) await sends.reserve(attempt({ e164: '+819012345678' }));
    // Just inside the 10 minutes since the sends.
    clock.t = START + 30 * SECOND + 10 * MINUTE - 1;
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toMatchObject({ allowed: false, scope: 'number' });
    // Just outside: the sends are 10 minutes old, but their 09:00–09:01 bucket is not yet 10 minutes old.
    clock.t = START + 30 * SECOND + 10 * MINUTE;
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toEqual({ allowed: false, scope: 'number', retryAfterSeconds: 30 });
    clock.t = START + 11 * MINUTE;
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toMatchObject({ allowed: true });
  });

  it.each([
    ['number', { e164: '+819012345678' }, [[3, 10 * MINUTE]], MINUTE, 5 * MINUTE],
    [
      'user',
      { userId: 'u1' },
      [
        [5, HOUR],
        [10, DAY],
      ],
      5 * MINUTE,
      40 * MINUTE,
    ],
    ['country', { region: 'JP' }, [[30, DAY]], HOUR, 30 * MINUTE],
  ] as const)('never allows more %s sends than the cap in any exact sliding window', async (_scope, fixed, caps, bucketMs, maxGap) => {
    const random = new SeededRandom(20_261_127);
    const clock = manualClock();
    const sends = limiter(new MemoryStateStorage(), clock, { perCountryPerDay: 30 });
    const allowedAt: number[] = [];
    for (let i = 0; i < 400; i += 1) {
      clock.t += random.int(maxGap);
      if ((await sends.reserve(attempt(fixed))).allowed) allowedAt.push(clock.t);
    }
    for (const [limit, windowMs] of caps) expect(mostInAnyWindow(allowedAt, windowMs)).toBeLessThanOrEqual(limit);
    // Conservative by at most one bucket: the longest cap is reached within its window plus one bucket.
    const [limit, windowMs] = caps[caps.length - 1]!;
    expect(mostInAnyWindow(allowedAt, windowMs + bucketMs)).toBeGreaterThanOrEqual(limit);
  });

  it('keeps each country shard to at most 25 hourly buckets however many sends it counts', async () => {
    const memory: Record<string, string> = {};
    const clock = manualClock();
    const sends = limiter(new MemoryStateStorage(memory), clock, { perCountryPerDay: 5000 });
    for (let i = 0; i < 5000; i += 1) {
      clock.t = START + Math.floor((i * DAY) / 5000);
      expect(await sends.reserve(attempt({ region: 'JP' }))).toMatchObject({ allowed: true });
    }
    expect(countryKeys(memory)).toHaveLength(8);
    for (const key of countryKeys(memory)) {
      const day = storedAt(memory, key);
      expect(day.bucketMs).toBe(HOUR);
      // A shard that reached its share before the day's last hour has fewer.
      expect(Object.keys(day.buckets!).length).toBeLessThanOrEqual(24);
      // Each shard holds at most its share: 5000 split over 8.
      expect(total(day)).toBe(625);
      expect(memory[key]!.length).toBeLessThan(1000);
    }
    expect(countryTotal(memory)).toBe(5000);
    // The cap is reached; room comes back when the first hour's bucket is a whole day old.
    await expect(sends.reserve(attempt({ region: 'JP' }))).resolves.toEqual({
      allowed: false,
      scope: 'country',
      retryAfterSeconds: Math.ceil((START + HOUR + DAY - clock.t) / 1000),
    });
    clock.t = START + HOUR + DAY;
    const before = { ...memory };
    await expect(sends.reserve(attempt({ region: 'JP' }))).resolves.toMatchObject({ allowed: true });
    const written = countryKeys(memory).filter((key) => memory[key] !== before[key]);
    expect(written).toHaveLength(1);
    const shard = storedAt(memory, written[0]!);
    // The shard written drops its first hour's bucket and counts the new send.
    expect(Object.keys(shard.buckets!)).not.toContain(String(START));
    expect(Object.keys(shard.buckets!).length).toBeLessThanOrEqual(25);
    expect(total(shard)).toBe(625 - storedAt(before, written[0]!).buckets![String(START)]! + 1);
  });

  it('reads counters written as a list of sends by earlier versions, and rewrites them as buckets', async () => {
    const memory: Record<string, string> = {};
    const clock = manualClock(START + 10 * MINUTE);
    const legacy = (times: number[]) => JSON.stringify({ sends: times.map((at, i) => ({ id: `old-${i}`, at })), eTag: 'legacy' });
    // Five sends for u1 between 09:00 and 09:04:59.
    memory['sendLimits/user/u1'] = legacy([0, 1, 2, 3, 4].map((m) => START + m * MINUTE + 59 * SECOND));
    // 150 sends to Japan within the day, and 50 older ones that no longer count.
    memory['sendLimits/country/JP'] = legacy([
      ...Array.from({ length: 150 }, (_, i) => START - i * 5 * MINUTE),
      ...Array.from({ length: 50 }, (_, i) => START - DAY - HOUR - i * MINUTE),
    ]);
    const sends = limiter(new MemoryStateStorage(memory), clock);

    // The 09:00–09:05 bucket counts until 10:05, 55 minutes from 09:10.
    await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toEqual({ allowed: false, scope: 'user', retryAfterSeconds: 55 * 60 });
    // The former single country blob seeds the shards as they are created: the day keeps its 150.
    const results = await Promise.all(Array.from({ length: 80 }, () => sends.reserve(attempt({ region: 'JP' }))));
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
    expect(results.filter((r) => !r.allowed && r.scope === 'country')).toHaveLength(30);
    // Only the shards that counted a send are written (the others' parts were full already).
    expect(countryKeys(memory).length).toBeGreaterThan(0);
    for (const key of countryKeys(memory)) {
      expect(storedAt(memory, key).sends).toBeUndefined();
      expect(Object.keys(storedAt(memory, key).buckets!).length).toBeLessThanOrEqual(25);
    }
  });

  it('counts a bucket stored with another width until all of it has left the window', async () => {
    const memory: Record<string, string> = {};
    const clock = manualClock(START + 30 * MINUTE);
    memory[numberKey('+819012345678')] = JSON.stringify({ bucketMs: HOUR, buckets: { [String(START)]: 3 }, eTag: 'x' });
    const sends = limiter(new MemoryStateStorage(memory), clock);
    // The sends may have been as late as 09:59:59.999, so they count until 10:10.
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toEqual({ allowed: false, scope: 'number', retryAfterSeconds: 40 * 60 });
  });

  it('takes back exactly its own count when another instance wrote a counter in between', async () => {
    const memory: Record<string, string> = {};
    let countryWrites = 0;
    const storage = new FailingWrites(memory, SHARD_0, () =>
      ++countryWrites === 2 ? new Error(`Storage: error writing "${SHARD_0}" due to eTag conflict.`) : undefined,
    );
    const sends = limiter(storage, manualClock(), {}, () => 0);
    const same = { userId: 'u1', e164: '+819012345678', region: 'JP' };
    await expect(sends.reserve(same)).resolves.toMatchObject({ allowed: true });
    // The second reservation counts the user and the number, loses the country write, undoes and tries again.
    await expect(sends.reserve(same)).resolves.toMatchObject({ allowed: true });
    expect(countryWrites).toBe(3);
    expect(total(storedAt(memory, 'sendLimits/user/u1'))).toBe(2);
    expect(total(storedAt(memory, numberKey('+819012345678')))).toBe(2);
    expect(total(storedAt(memory, SHARD_0))).toBe(2);
  });

  it('takes back what it counted when the store fails, and reports the failure', async () => {
    const memory: Record<string, string> = {};
    let failing = false;
    const storage = new FailingWrites(memory, SHARD_0, () => (failing ? new Error('storage unavailable') : undefined));
    const sends = limiter(storage, manualClock(), {}, () => 0);
    const same = { userId: 'u1', e164: '+819012345678', region: 'JP' };
    await sends.reserve(same);
    failing = true;
    await expect(sends.reserve(same)).rejects.toThrow('storage unavailable');
    expect(storedAt(memory, 'sendLimits/user/u1').buckets).toEqual({ [String(START)]: 1 });
    expect(storedAt(memory, numberKey('+819012345678')).buckets).toEqual({ [String(START)]: 1 });
  });

  it('reads the three counters at once and writes them at once', async () => {
    const storage = new ConcurrencyProbe(new MemoryStateStorage());
    await limiter(storage, manualClock()).reserve(attempt());
    expect(storage.maxReading).toBe(3);
    expect(storage.maxWriting).toBe(3);
  });

  it('never lets 20 concurrent reservations for one user past the cap', async () => {
    const storage = new SlowStorage(new MemoryStateStorage());
    const sends = limiter(storage, manualClock());
    const results = await Promise.all(Array.from({ length: 20 }, () => sends.reserve(attempt({ userId: 'u1' }))));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.filter((r) => !r.allowed && r.scope === 'user')).toHaveLength(15);
  });

  it('queues concurrent users of one country in one instance instead of racing on its counter', async () => {
    const memory: Record<string, string> = {};
    const storage = new SlowStorage(new MemoryStateStorage(memory));
    const sends = limiter(storage, manualClock());
    await sends.reserve(attempt({ region: 'JP' }));
    const results = await Promise.all(Array.from({ length: 20 }, () => sends.reserve(attempt({ region: 'JP' }))));
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(storage.conflicts).toBe(0);
    expect(countryTotal(memory)).toBe(21);
  });

  it('decides the reservations that queued for one country together: a few reads of its shards, not one each', async () => {
    const memory: Record<string, string> = {};
    let countryReads = 0;
    const slow = new SlowStorage(new MemoryStateStorage(memory));
    const storage: StateStorage = {
      read: (keys) => {
        countryReads += keys.filter((key) => key.startsWith('sendLimits/country/JP/')).length;
        return slow.read(keys);
      },
      write: (changes) => slow.write(changes),
      delete: (keys) => slow.delete(keys),
      createItem: (key, item) => slow.createItem(key, item),
    };
    // Shares of 1,000: every batch fits in the shard it picks, so no batch reads the other shards.
    const sends = limiter(storage, manualClock(), { perCountryPerDay: 8000 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sends.reserve(attempt({ userId: `u${i}`, e164: `+8190000${String(i).padStart(5, '0')}`, region: 'JP' }))),
    );
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(countryReads).toBeLessThanOrEqual(3);
    expect(slow.conflicts).toBe(0);
    expect(countryTotal(memory)).toBe(50);
  });

  it('splits a long queue into batches of at most 100 and still decides every reservation', async () => {
    const memory: Record<string, string> = {};
    let countryWrites = 0;
    const slow = new SlowStorage(new MemoryStateStorage(memory));
    const isCountry = (key: string): boolean => key.startsWith('sendLimits/country/');
    const storage: StateStorage = {
      read: (keys) => slow.read(keys),
      write: (changes) => {
        if (Object.keys(changes).some(isCountry)) countryWrites += 1;
        return slow.write(changes);
      },
      delete: (keys) => slow.delete(keys),
      createItem: (key, item) => {
        if (isCountry(key)) countryWrites += 1;
        return slow.createItem(key, item);
      },
    };
    // Shares of 1,000: every batch fits in the shard it picks.
    const sends = limiter(storage, manualClock(), { perCountryPerDay: 8000 });
    const results = await Promise.all(
      Array.from({ length: 250 }, (_, i) => sends.reserve(attempt({ userId: `u${i}`, e164: `+8190000${String(i).padStart(5, '0')}`, region: 'JP' }))),
    );
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(countryWrites).toBeGreaterThanOrEqual(3);
    expect(countryWrites).toBeLessThanOrEqual(4);
    expect(countryTotal(memory)).toBe(250);
  });

  it('keeps a batch exactly at the cap, in the order the reservations came, filling every shard to its share', async () => {
    const memory: Record<string, string> = {};
    const sends = limiter(new SlowStorage(new MemoryStateStorage(memory)), manualClock(), { perCountryPerDay: 20 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => sends.reserve(attempt({ userId: `u${i}`, e164: `+8190000${String(i).padStart(5, '0')}`, region: 'JP' }))),
    );
    expect(results.map((r) => r.allowed)).toEqual([...Array(20).fill(true), ...Array(10).fill(false)]);
    expect(results.slice(20).every((r) => !r.allowed && r.scope === 'country')).toBe(true);
    // Shares of 20 over 8 shards: 3, 3, 3, 3, 2, 2, 2, 2.
    expect(countryKeys(memory).map((key) => total(storedAt(memory, key)))).toEqual([3, 3, 3, 3, 2, 2, 2, 2]);
    expect(total(storedAt(memory, 'sendLimits/user/u0'))).toBe(1);
    expect(memory['sendLimits/user/u25']).toBeUndefined();
  });

  it('keeps the country cap exactly when three instances count sends for one country at once', async () => {
    const memory: Record<string, string> = {};
    const storage = new SlowStorage(new MemoryStateStorage(memory));
    const clock = manualClock();
    const instances = [1, 2, 3].map((seed) => limiter(storage, clock, { perCountryPerDay: 20 }, seededShards(seed)));
    const results = await Promise.all(
      Array.from({ length: 45 }, (_, i) =>
        instances[i % 3]!.reserve(attempt({ userId: `u${i}`, e164: `+8190000${String(i).padStart(5, '0')}`, region: 'JP' })),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    expect(results.filter((r) => !r.allowed && r.scope === 'country')).toHaveLength(25);
    expect(countryTotal(memory)).toBe(20);
  });

  it('lets a batch see the sends it allows: one user asking many times at once gets only the cap', async () => {
    const sends = limiter(new SlowStorage(new MemoryStateStorage()), manualClock());
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sends.reserve(attempt({ userId: 'same', e164: `+8190000${String(i).padStart(5, '0')}`, region: 'JP' }))),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });

  it('does not make one country wait for another', async () => {
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const inner = new MemoryStateStorage();
    const storage: StateStorage = {
      read: async (keys) => {
        if (keys.some((key) => key.startsWith('sendLimits/country/JP/'))) await gate;
        return inner.read(keys);
      },
      write: (changes) => inner.write(changes),
      delete: (keys) => inner.delete(keys),
      createItem: (key, item) => inner.createItem(key, item),
    };
    const sends = limiter(storage, manualClock());
    const japan = sends.reserve(attempt({ region: 'JP' }));
    // Japan's read is held until the gate opens below: the US send must not wait for it.
    const us: SendReservation = await sends.reserve(attempt({ region: 'US' }));
    expect(us).toMatchObject({ allowed: true });
    openGate();
    await expect(japan).resolves.toMatchObject({ allowed: true });
  });

  it('two instances sharing a store stay within the cap through eTag conflicts', async () => {
    const storage = new SlowStorage(new MemoryStateStorage());
    const clock = manualClock();
    const a = limiter(storage, clock);
    const b = limiter(storage, clock);
    // The counters exist already, so every write is eTag-guarded.
    await a.reserve(attempt({ userId: 'u1', e164: '+819011111111', region: 'JP' }));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).reserve(attempt({ userId: 'u1', e164: '+819011111111', region: 'JP' }))),
    );
    // Per number (3 per 10 minutes) is the tightest: 1 earlier + 2 now.
    expect(results.filter((r) => r.allowed)).toHaveLength(2);
    expect(storage.conflicts).toBeGreaterThan(0);
    // A rolled-back attempt leaves nothing behind: the user has used exactly 3 of 5 hourly sends.
    const more = await Promise.all([a.reserve(attempt({ userId: 'u1' })), b.reserve(attempt({ userId: 'u1' })), a.reserve(attempt({ userId: 'u1' }))]);
    expect(more.filter((r) => r.allowed)).toHaveLength(2);
    // The 09:00–09:05 bucket counts until 10:05.
    expect(more.filter((r) => !r.allowed)).toEqual([{ allowed: false, scope: 'user', retryAfterSeconds: 65 * 60 }]);
  });

  it('five instances sharing a store allow exactly one first send under a cap of 1: creating a counter is conditional too', async () => {
    const storage = new SlowStorage(new MemoryStateStorage());
    const clock = manualClock();
    const instances = Array.from({ length: 5 }, () => limiter(storage, clock, { perNumberPer10Minutes: 1 }));
    // No counter exists yet: every instance reads nothing and creates all three at the same moment.
    const results = await Promise.all(instances.map((sends, i) => sends.reserve(attempt({ userId: `u${i}`, e164: '+819011111111', region: 'JP' }))));
    expect(results.filter((r) => r.allowed)).toHaveLength(1);
    expect(results.filter((r) => !r.allowed && r.scope === 'number')).toHaveLength(4);
    expect(storage.conflicts).toBeGreaterThan(0);
  });

  it('keeps phone numbers out of storage keys', async () => {
    const memory: Record<string, string> = {};
    const sends = limiter(new MemoryStateStorage(memory), manualClock());
    await sends.reserve({ userId: 'u1', e164: '+819012345678', region: 'JP' });
    expect(Object.keys(memory).join(' ')).not.toContain('9012345678');
    expect(JSON.stringify(memory)).not.toContain('9012345678');
  });

  it.each([0, -1, 1.5])('refuses a limit of %p', (value) => {
    expect(() => limiter(new MemoryStateStorage(), manualClock(), { perUserPerHour: value })).toThrow(RangeError);
  });
});
