import type { StoreItems } from 'botbuilder';
import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import { AccountGuard } from '../../../src/verification/account-guard';
import { SendLimiter } from '../../../src/verification/send-limiter';

function manualClock() {
  return {
    t: Date.UTC(2026, 10, 27, 9, 0, 0),
    now() {
      return this.t;
    },
  };
}

describe('AccountGuard', () => {
  it('blocks after 20 consecutive failures and unblocks after the configured time', async () => {
    const clock = manualClock();
    const guard = new AccountGuard({ storage: new MemoryStateStorage(), clock, blockDurationMs: 60 * 60_000 });
    for (let i = 1; i < 20; i += 1) {
      await expect(guard.recordFailure('u1')).resolves.toEqual({ blocked: false, failuresLeft: 20 - i });
    }
    await expect(guard.recordFailure('u1')).resolves.toEqual({ blocked: true, retryAfterSeconds: 3600 });
    await expect(guard.status('u1')).resolves.toEqual({ blocked: true, retryAfterSeconds: 3600 });
    await expect(guard.status('u2')).resolves.toEqual({ blocked: false, failuresLeft: 20 });

    clock.t += 30 * 60_000;
    // Failing while blocked does not extend the block.
    await expect(guard.recordFailure('u1')).resolves.toEqual({ blocked: true, retryAfterSeconds: 1800 });
    clock.t += 30 * 60_000;
    await expect(guard.status('u1')).resolves.toEqual({ blocked: false, failuresLeft: 20 });
    await expect(guard.recordFailure('u1')).resolves.toEqual({ blocked: false, failuresLeft: 19 });
  });

  it('a success resets the consecutive count', async () => {
    const guard = new AccountGuard({ storage: new MemoryStateStorage(), clock: manualClock(), maxConsecutiveFailures: 3 });
    await guard.recordFailure('u1');
    await guard.recordFailure('u1');
    await guard.recordSuccess('u1');
    await expect(guard.recordFailure('u1')).resolves.toEqual({ blocked: false, failuresLeft: 2 });
  });

  it('a success does not lift a block', async () => {
    const guard = new AccountGuard({ storage: new MemoryStateStorage(), clock: manualClock(), maxConsecutiveFailures: 1 });
    await guard.recordFailure('u1');
    await guard.recordSuccess('u1');
    await expect(guard.status('u1')).resolves.toMatchObject({ blocked: true });
  });

  it('counts every one of many concurrent failures', async () => {
    const storage = new MemoryStateStorage();
    const clock = manualClock();
    const a = new AccountGuard({ storage, clock });
    const b = new AccountGuard({ storage, clock });
    await a.recordFailure('u1');
    await Promise.all(Array.from({ length: 18 }, (_, i) => (i % 2 === 0 ? a : b).recordFailure('u1')));
    await expect(a.status('u1')).resolves.toEqual({ blocked: false, failuresLeft: 1 });
    await expect(b.recordFailure('u1')).resolves.toMatchObject({ blocked: true });
  });
});

/** A memory store that notes every key read. */
class ReadsNoted extends MemoryStateStorage {
  readonly reads: string[] = [];
  override read(keys: string[]): Promise<StoreItems> {
    this.reads.push(...keys);
    return super.read(keys);
  }
}

describe('AccountGuard in the user send-limit record', () => {
  const attempt = { userId: 'u1', e164: '+819012345678', region: 'JP' };

  it('keeps its state beside the send buckets, and the send limiter refuses a blocked user without counting a send', async () => {
    const memory: Record<string, string> = {};
    const storage = new MemoryStateStorage(memory);
    const clock = manualClock();
    const guard = new AccountGuard({ storage, clock, maxConsecutiveFailures: 2 });
    const limiter = new SendLimiter({ storage, clock });
    await expect(limiter.reserve(attempt)).resolves.toMatchObject({ allowed: true, guardFailures: 0 });
    await guard.recordFailure('u1');
    await expect(limiter.reserve(attempt)).resolves.toMatchObject({ allowed: true, guardFailures: 1 });
    await guard.recordFailure('u1');
    const record = JSON.parse(memory['sendLimits/user/u1']!) as { buckets: Record<string, number>; guard: unknown };
    expect(record.buckets).toEqual({ [String(clock.t)]: 2 });
    expect(record.guard).toEqual({ failures: 2, blockedUntil: clock.t + 24 * 3600_000 });
    await expect(limiter.reserve(attempt)).resolves.toEqual({ allowed: false, scope: 'account', retryAfterSeconds: 24 * 3600 });
    // The refused send was not counted, and the block is still there after the limiter's writes.
    expect((JSON.parse(memory['sendLimits/user/u1']!) as { buckets: Record<string, number> }).buckets).toEqual({ [String(clock.t)]: 2 });
    await expect(guard.status('u1')).resolves.toMatchObject({ blocked: true });
    expect(Object.keys(memory).some((key) => key.startsWith('accountGuard/'))).toBe(false);
  });

  it('reads the former accountGuard record once for a user record written by an earlier version, and carries it over', async () => {
    const memory: Record<string, string> = {};
    const clock = manualClock();
    // An earlier version: buckets without a guard field, and the guard in a blob of its own.
    memory['sendLimits/user/u1'] = JSON.stringify({ bucketMs: 300_000, buckets: { [String(clock.t - 600_000)]: 1 }, eTag: 'a' });
    memory['accountGuard/u1'] = JSON.stringify({ failures: 20, blockedUntil: clock.t + 3600_000, eTag: 'b' });
    const storage = new ReadsNoted(memory);
    const limiter = new SendLimiter({ storage, clock });
    await expect(limiter.reserve(attempt)).resolves.toEqual({ allowed: false, scope: 'account', retryAfterSeconds: 3600 });
    expect(storage.reads).toContain('accountGuard/u1');

    // The block ends; the next send carries the former state into the record, after which it is never read again.
    clock.t += 3600_000;
    await expect(limiter.reserve(attempt)).resolves.toMatchObject({ allowed: true, guardFailures: 0 });
    expect((JSON.parse(memory['sendLimits/user/u1']!) as { guard: unknown }).guard).toEqual({ failures: 20, blockedUntil: clock.t });
    storage.reads.length = 0;
    await expect(limiter.reserve(attempt)).resolves.toMatchObject({ allowed: true });
    expect(storage.reads).not.toContain('accountGuard/u1');
  });

  it('a failure counted by one instance while another counts a send keeps both', async () => {
    const memory: Record<string, string> = {};
    const clock = manualClock();
    const storage = new MemoryStateStorage(memory);
    const guards = [new AccountGuard({ storage, clock }), new AccountGuard({ storage, clock })];
    const limiters = [new SendLimiter({ storage, clock }), new SendLimiter({ storage, clock })];
    await Promise.all([
      guards[0]!.recordFailure('u1'),
      limiters[0]!.reserve(attempt),
      guards[1]!.recordFailure('u1'),
      limiters[1]!.reserve({ ...attempt, e164: '+819012345679' }),
    ]);
    const record = JSON.parse(memory['sendLimits/user/u1']!) as { buckets: Record<string, number>; guard: unknown };
    expect(record.guard).toEqual({ failures: 2 });
    expect(Object.values(record.buckets).reduce((a, b) => a + b, 0)).toBe(2);
  });
});
