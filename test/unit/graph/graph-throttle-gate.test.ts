import { MemoryStorage } from 'botbuilder';
import { GraphThrottleGate } from '../../../src/graph/graph-throttle-gate';
import { createLogger } from '../../../src/logging/logger';
import { createStorage } from '../../../src/storage/create-storage';
import { ManualClock } from '../../fakes/manual-clock';
import { azuriteConnectionString } from '../../support/azurite';
import { uniqueContainer } from '../../support/shared-deployment';

const logger = createLogger({ level: 'silent', pretty: false });

function gate(storage: MemoryStorage, clock: ManualClock, random = (): number => 0): GraphThrottleGate {
  return new GraphThrottleGate({ storage, clock, logger, cacheMs: 1_000, jitterMs: 1_000, random, recoveryWritesPerSecond: 10 });
}

describe('GraphThrottleGate', () => {
  it('lets writes through while no instance has been throttled', async () => {
    const clock = new ManualClock();
    await expect(gate(new MemoryStorage(), clock).delayBeforeWrite()).resolves.toBe(0);
  });

  it("holds another instance's writes until the Retry-After one instance was given", async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    const first = gate(storage, clock);
    const second = gate(storage, clock);
    await first.noteThrottled(30);
    await expect(second.delayBeforeWrite()).resolves.toBe(30_000);
    clock.advance(20_000);
    // Read again after the cache time: 10 s are left, and this write queues one slot behind the first.
    await expect(second.delayBeforeWrite()).resolves.toBe(10_100);
    clock.advance(10_200);
    await expect(second.delayBeforeWrite()).resolves.toBe(0);
  });

  it('queues the held writes one slot apart, so they drain at the recovery rate instead of all at once', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    const only = gate(storage, clock);
    await only.noteThrottled(2);
    const waits = [];
    // The 429 halved the rate of 10 writes/s: slots 200 ms apart.
    for (let i = 0; i < 4; i++) waits.push(await only.delayBeforeWrite());
    expect(waits).toEqual([2_000, 2_200, 2_400, 2_600]);
    // After the throttle, a new write still queues behind the held ones.
    clock.advance(2_050);
    await expect(only.delayBeforeWrite()).resolves.toBe(750);
  });

  it('halves its recovery rate on a 429 that comes after a throttle ended, down to a floor, and grows it back with time', async () => {
    const clock = new ManualClock();
    const only = gate(new MemoryStorage(), clock);
    const spacing = async (): Promise<number> => {
      const first = await only.delayBeforeWrite();
      return (await only.delayBeforeWrite()) - first;
    };
    await only.noteThrottled(1);
    expect(await spacing()).toBe(200);
    // Another 429 while the throttle lasts (a write already on its way) halves nothing more.
    await only.noteThrottled(2);
    expect(await spacing()).toBe(200);
    // Past the throttle, a 429 while draining: the rate, grown by 0.5/s for 3 s (5 + 1.5), halves.
    clock.advance(3_000);
    await only.noteThrottled(1);
    expect(await spacing()).toBeCloseTo(1000 / 3.25, 2);
    // 429s in quick succession, each after the last one's (1 ms) throttle ended.
    clock.advance(1_000);
    for (let i = 0; i < 20; i++) {
      clock.advance(1);
      await only.noteThrottled(0.001);
    }
    // Never slower than one write every 4 s.
    expect(await spacing()).toBe(4_000);
    // Grown back with time, never above the configured 10 writes/s (a 429 then halves it to 5).
    clock.advance(60_000);
    await only.noteThrottled(1);
    expect(await spacing()).toBe(200);
  });

  it('keeps no place in the queue for a write that will not wait that long', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    const only = gate(storage, clock);
    await only.noteThrottled(2);
    await expect(only.delayBeforeWrite(1_000)).resolves.toBe(2_000);
    await expect(only.delayBeforeWrite()).resolves.toBe(2_000);
  });

  it('shares the throttle through Blob storage (Azurite), as two processes do', async () => {
    const clock = new ManualClock();
    const container = uniqueContainer();
    const blob = () => createStorage({ connectionString: azuriteConnectionString(), container }, logger);
    const first = new GraphThrottleGate({ storage: blob(), clock, logger, random: () => 0 });
    const second = new GraphThrottleGate({ storage: blob(), clock, logger, random: () => 0 });
    await first.noteThrottled(7);
    await expect(second.delayBeforeWrite()).resolves.toBe(7_000);
  });

  it('trusts its last read of the shared record for the cache time only', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    const first = gate(storage, clock);
    const second = gate(storage, clock);
    await expect(second.delayBeforeWrite()).resolves.toBe(0);
    await first.noteThrottled(5);
    await expect(second.delayBeforeWrite()).resolves.toBe(0);
    clock.advance(1_000);
    await expect(second.delayBeforeWrite()).resolves.toBe(4_000);
  });

  it.each([
    [0, 30_000],
    [0.5, 30_500],
    [0.999, 30_999],
  ])('adds a jitter below the bound (random %p → %p ms), so the held writers do not return together', async (random, expected) => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    await gate(storage, clock).noteThrottled(30);
    await expect(gate(storage, clock, () => random).delayBeforeWrite()).resolves.toBe(expected);
  });

  it('keeps the later end when a shorter Retry-After arrives', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    const first = gate(storage, clock);
    await first.noteThrottled(30);
    await first.noteThrottled(2);
    await expect(gate(storage, clock).delayBeforeWrite()).resolves.toBe(30_000);
  });

  it('still holds its own writes when the shared storage fails', async () => {
    const clock = new ManualClock();
    const broken = new MemoryStorage();
    broken.write = () => Promise.reject(new Error('storage down'));
    broken.read = () => Promise.reject(new Error('storage down'));
    const only = gate(broken, clock);
    await only.noteThrottled(3);
    await expect(only.delayBeforeWrite()).resolves.toBe(3_000);
  });
});
