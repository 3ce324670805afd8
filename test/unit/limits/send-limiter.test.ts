import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { SendLimiter, type SendAttempt, type SendLimits } from '../../../src/verification/send-limiter';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function manualClock(start = Date.UTC(2026, 10, 27, 9, 0, 0)) {
  return { t: start, now() { return this.t; } };
}

/** MemoryStorage that yields between read and write like a remote store, and counts eTag conflicts. */
class SlowStorage implements Storage {
  conflicts = 0;
  constructor(private readonly inner: MemoryStorage) {}
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
}

let seq = 0;
function attempt(overrides: Partial<SendAttempt> = {}): SendAttempt {
  seq += 1;
  // Unique number and user by default so only the scope under test can bite.
  return { userId: `user-${seq}`, e164: `+8190${String(10_000_000 + seq)}`, region: `Z${seq % 26}`, ...overrides };
}

function limiter(storage: Storage, clock: { now(): number }, limits: Partial<SendLimits> = {}) {
  return new SendLimiter({ storage, clock, limits });
}

describe('SendLimiter', () => {
  it('allows 5 sends per user per hour, then names the user scope and the wait', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStorage(), clock);
    for (let i = 0; i < 5; i += 1) {
      await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toMatchObject({ allowed: true });
      clock.t += MINUTE;
    }
    // The first send was 5 minutes ago: it leaves the one-hour window in 55 minutes.
    await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toEqual({ allowed: false, scope: 'user', retryAfterSeconds: 55 * 60 });
    await expect(sends.reserve(attempt({ userId: 'u2' }))).resolves.toMatchObject({ allowed: true });
    clock.t += 55 * MINUTE;
    await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toMatchObject({ allowed: true });
  });

  it('allows 10 sends per user per day across hours', async () => {
    const clock = manualClock();
    const start = clock.t;
    const sends = limiter(new MemoryStorage(), clock);
    for (let i = 0; i < 10; i += 1) {
      await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toMatchObject({ allowed: true });
      clock.t += 2 * HOUR;
    }
    const refused = await sends.reserve(attempt({ userId: 'u1' }));
    expect(refused).toEqual({ allowed: false, scope: 'user', retryAfterSeconds: (start + 24 * HOUR - clock.t) / 1000 });
  });

  it('allows 3 sends per number per 10 minutes, whoever asks', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStorage(), clock);
    for (let i = 0; i < 3; i += 1) {
      await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toMatchObject({ allowed: true });
    }
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toEqual({ allowed: false, scope: 'number', retryAfterSeconds: 600 });
    clock.t += 10 * MINUTE;
    await expect(sends.reserve(attempt({ e164: '+819012345678' }))).resolves.toMatchObject({ allowed: true });
  });

  it('caps sends per country per day', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStorage(), clock, { perCountryPerDay: 4 });
    for (let i = 0; i < 4; i += 1) {
      await expect(sends.reserve(attempt({ region: 'jp' }))).resolves.toMatchObject({ allowed: true });
      clock.t += HOUR;
    }
    await expect(sends.reserve(attempt({ region: 'JP' }))).resolves.toEqual({ allowed: false, scope: 'country', retryAfterSeconds: 20 * 3600 });
    await expect(sends.reserve(attempt({ region: 'US' }))).resolves.toMatchObject({ allowed: true });
  });

  it('does not count a refused send', async () => {
    const clock = manualClock();
    const sends = limiter(new MemoryStorage(), clock, { perNumberPer10Minutes: 1 });
    await sends.reserve(attempt({ userId: 'u1', e164: '+819012345678' }));
    for (let i = 0; i < 10; i += 1) {
      await expect(sends.reserve(attempt({ userId: 'u1', e164: '+819012345678' }))).resolves.toMatchObject({ allowed: false, scope: 'number' });
    }
    // Only one send counted for u1, so a different number is fine for the user caps.
    await expect(sends.reserve(attempt({ userId: 'u1' }))).resolves.toMatchObject({ allowed: true });
  });

  it('never lets 20 concurrent reservations for one user past the cap', async () => {
    const storage = new SlowStorage(new MemoryStorage());
    const sends = limiter(storage, manualClock());
    const results = await Promise.all(Array.from({ length: 20 }, () => sends.reserve(attempt({ userId: 'u1' }))));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.filter((r) => !r.allowed && r.scope === 'user')).toHaveLength(15);
  });

  it('two instances sharing a store stay within the cap through eTag conflicts', async () => {
    const storage = new SlowStorage(new MemoryStorage());
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
    expect(more.map((r) => r.allowed)).toEqual([true, true, false]);
  });

  it('keeps phone numbers out of storage keys', async () => {
    const memory: Record<string, string> = {};
    const sends = limiter(new MemoryStorage(memory), manualClock());
    await sends.reserve({ userId: 'u1', e164: '+819012345678', region: 'JP' });
    expect(Object.keys(memory).join(' ')).not.toContain('9012345678');
    expect(JSON.stringify(memory)).not.toContain('9012345678');
  });

  it.each([0, -1, 1.5])('refuses a limit of %p', (value) => {
    expect(() => limiter(new MemoryStorage(), manualClock(), { perUserPerHour: value })).toThrow(RangeError);
  });
});
