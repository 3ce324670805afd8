import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import { AccountGuard } from '../../../src/verification/account-guard';

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
