import pino from 'pino';
import { BlobStateStorage } from '../../../src/storage/blob-state-storage';
import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import type { StateStorage } from '../../../src/storage/state-storage';
import { SharedPacer } from '../../../tools/campaign/shared-pacer';
import { azuriteConnectionString } from '../../support/azurite';
import { ManualClock } from '../../fakes/manual-clock';

/** The storage, counting its round trips. */
function counted(storage: StateStorage): { storage: StateStorage; trips: () => number } {
  let trips = 0;
  return {
    storage: {
      read: (keys) => (trips++, storage.read(keys)),
      write: (changes) => (trips++, storage.write(changes)),
      delete: (keys) => (trips++, storage.delete(keys)),
      createItem: (key, item) => (trips++, storage.createItem(key, item)),
    },
    trips: () => trips,
  };
}

describe('the shared, tenant-wide rate', () => {
  it('two runners on one storage together never exceed the rate on the injected clock, reserving several slots per round trip', async () => {
    const blob = new BlobStateStorage({
      connectionString: azuriteConnectionString(),
      container: `pacer-${Math.random().toString(36).slice(2, 10)}`,
      logger: pino({ level: 'silent' }),
    });
    const { storage, trips } = counted(blob);
    const clock = new ManualClock();
    // Both runners live on one clock: a wait moves it to the later of now and the wait's end.
    const sleep = async (ms: number): Promise<void> => {
      const until = clock.now() + ms;
      await Promise.resolve();
      if (clock.now() < until) clock.advance(until - clock.now());
    };
    const rate = 20;
    const granted: Array<{ runner: number; slot: number; startedAt: number }> = [];
    const runner = async (n: number): Promise<void> => {
      let slot = 0;
      const pacer = new SharedPacer({ storage, perSecond: rate, clock, sleep, reserve: 5, onSlot: (at) => (slot = at) });
      // Single requests and batch-sized takes mixed, as a runner spends them.
      for (let i = 0; i < 40; i++) {
        const count = i % 10 === 0 ? 7 : 1;
        for (let k = 0; k < count; k++) {
          await pacer.take();
          granted.push({ runner: n, slot, startedAt: clock.now() });
        }
      }
    };

    await Promise.all([runner(0), runner(1)]);

    const slots = granted.map((g) => g.slot).sort((a, b) => a - b);
    expect(new Set(slots).size).toBe(slots.length);
    const crowded = slots.filter((t, i) => i >= rate && t - slots[i - rate]! < 1000);
    expect(crowded).toEqual([]);
    // No request started before its slot.
    expect(granted.filter((g) => g.startedAt < g.slot)).toEqual([]);
    // Both runners took their slots from the one chain: consecutive slots, whoever holds them, are a rate's spacing apart.
    expect(new Set(granted.map((g) => g.runner))).toEqual(new Set([0, 1]));
    const gaps = slots.slice(1).map((t, i) => t - slots[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / rate - 1e-6);
    // Fewer storage round trips than requests: slots are reserved five at a time.
    expect(trips()).toBeLessThan(granted.length);
  }, 60_000);

  it('keeps every runner to the lowest rate among those that reserved in the last minute', async () => {
    const storage = new MemoryStateStorage();
    const clock = new ManualClock();
    const sleep = async (ms: number): Promise<void> => clock.advance(ms);
    const slots: number[] = [];
    const fast = new SharedPacer({ storage, perSecond: 20, clock, sleep, reserve: 1, onSlot: (at) => slots.push(at) });
    const slow = new SharedPacer({ storage, perSecond: 5, clock, sleep, reserve: 1, onSlot: (at) => slots.push(at) });
    await fast.take(3);
    expect(slots.slice(1).map((t, i) => t - slots[i]!)).toEqual([50, 50]);
    await slow.take(1);
    slots.length = 0;
    // While the slow runner is live, the fast one keeps to 5 per second too.
    await fast.take(4);
    expect(slots.slice(1).map((t, i) => t - slots[i]!)).toEqual([200, 200, 200]);
    // A minute after the slow runner's last reservation, its rate no longer binds.
    clock.advance(61_000);
    slots.length = 0;
    await fast.take(3);
    expect(slots.slice(1).map((t, i) => t - slots[i]!)).toEqual([50, 50]);
  });

  it('refuses a rate that is not above zero', () => {
    const clock = new ManualClock();
    expect(() => new SharedPacer({ storage: new MemoryStateStorage(), perSecond: 0, clock, sleep: async () => undefined })).toThrow(RangeError);
  });
});
