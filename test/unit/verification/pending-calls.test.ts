import type { StoreItem, StoreItems } from 'botbuilder';
import pino from 'pino';
import { BlobStateStorage } from '../../../src/storage/blob-state-storage';
import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import type { StateStorage } from '../../../src/storage/state-storage';
import { MAX_CALL_LIFE_MS } from '../../../src/verification/call-lifetime';
import { PendingCalls, type PendingCall } from '../../../src/verification/pending-calls';
import { ManualClock } from '../../fakes/manual-clock';
import { LocalAzurite } from '../../support/azurite';

/**
 * A memory store with a round trip like a remote store's: a read sees the items as they were when it
 * was sent, and its answer arrives a little later (other requests go on meanwhile).
 */
class SlowStorage implements StateStorage {
  constructor(private readonly inner: MemoryStateStorage) {}
  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    await new Promise((resolve) => setImmediate(resolve));
    return items;
  }
  async write(changes: StoreItems): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.inner.write(changes);
  }
  async delete(keys: string[]): Promise<void> {
    await this.inner.delete(keys);
  }
  async createItem(key: string, item: StoreItem): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.inner.createItem(key, item);
  }
}

function pendingCall(clock: ManualClock): PendingCall {
  return { reference: { conversation: { id: 'a:conv-1', isGroup: false, conversationType: 'personal', name: '' } }, createdAt: clock.now() };
}

/** Keys that still hold something (MemoryStorage leaves deleted keys behind as undefined). */
function storedKeys(memory: Record<string, string | undefined>): string[] {
  return Object.keys(memory).filter((key) => memory[key] !== undefined);
}

describe('PendingCalls', () => {
  it('hands the entry over once and removes it', async () => {
    const memory: Record<string, string> = {};
    const clock = new ManualClock();
    const calls = new PendingCalls(new MemoryStateStorage(memory), clock);
    const call = pendingCall(clock);
    await calls.remember('call-1', call);

    await expect(calls.take('call-1')).resolves.toEqual(call);
    await expect(calls.take('call-1')).resolves.toBeUndefined();
    await expect(calls.take('call-2')).resolves.toBeUndefined();
    expect(storedKeys(memory)).toEqual([]);
  });

  it('never hands one entry to more than one of 20 concurrent takes', async () => {
    const storage = new SlowStorage(new MemoryStateStorage());
    const clock = new ManualClock();
    const calls = new PendingCalls(storage, clock);
    await calls.remember('call-1', pendingCall(clock));

    const taken = await Promise.all(Array.from({ length: 20 }, () => calls.take('call-1')));
    expect(taken.filter((entry) => entry !== undefined)).toHaveLength(1);
  });

  it('ignores and removes an entry older than any call can last', async () => {
    const memory: Record<string, string> = {};
    const clock = new ManualClock();
    const calls = new PendingCalls(new MemoryStateStorage(memory), clock);
    await calls.remember('call-1', pendingCall(clock));
    await calls.remember('call-2', pendingCall(clock));

    clock.advance(MAX_CALL_LIFE_MS - 1);
    await expect(calls.take('call-1')).resolves.toBeDefined();
    clock.advance(1);
    await expect(calls.take('call-2')).resolves.toBeUndefined();
    expect(storedKeys(memory)).toEqual([]);
  });

  describe('several instances sharing one blob container (Azurite)', () => {
    let azurite: LocalAzurite;

    beforeAll(async () => {
      azurite = await LocalAzurite.start();
    });
    afterAll(async () => {
      // Undefined only when the emulator failed to start (that failure is reported by beforeAll).
      await azurite?.stop();
    });

    it('hands one entry to exactly one of 24 concurrent takes from 4 instances', async () => {
      const clock = new ManualClock(Date.now());
      // One store per instance, as each process has its own client to the shared container.
      const instances = Array.from(
        { length: 4 },
        () =>
          new PendingCalls(
            new BlobStateStorage({ connectionString: azurite.connectionString(), container: 'pending-calls', logger: pino({ level: 'silent' }) }),
            clock,
          ),
      );
      for (let round = 1; round <= 3; round += 1) {
        await instances[0]!.remember(`call-${round}`, pendingCall(clock));
        const taken = await Promise.all(Array.from({ length: 24 }, (_, i) => instances[i % instances.length]!.take(`call-${round}`)));
        expect(taken.filter((entry) => entry !== undefined)).toHaveLength(1);
      }
    });
  });
});
