import { MemoryStateStorage, type MemoryStateMap } from '../../../src/storage/memory-state-storage';
import { isETagConflict } from '../../../src/storage/state-storage';

describe('MemoryStateStorage', () => {
  it('creates an item when absent once; a second create is an eTag conflict and changes nothing', async () => {
    const storage = new MemoryStateStorage();
    await storage.createItem('counter/one', { count: 1 });
    await expect(storage.createItem('counter/one', { count: 2 })).rejects.toThrow('Storage: error writing "counter/one" due to eTag conflict.');
    expect((await storage.read(['counter/one']))['counter/one']).toMatchObject({ count: 1 });
  });

  it('lets exactly one of many creates of one key at the same moment through', async () => {
    const storage = new MemoryStateStorage();
    const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => storage.createItem('race', { winner: i })));
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(settled.filter((r) => r.status === 'rejected' && isETagConflict(r.reason))).toHaveLength(4);
    expect((await storage.read(['race'])).race).toMatchObject({ winner: 0 });
  });

  it('ignores an eTag given to create, and creates again once the item was deleted', async () => {
    const memory: MemoryStateMap = {};
    const storage = new MemoryStateStorage(memory);
    await storage.createItem('pending-call/1', { at: 1, eTag: 'whatever' });
    await storage.delete(['pending-call/1']);
    await storage.createItem('pending-call/1', { at: 2, eTag: '*' });
    const stored = JSON.parse(memory['pending-call/1']!) as Record<string, unknown>;
    expect(stored.at).toBe(2);
    expect(stored.eTag).not.toBe('*');
  });

  it('refuses a write under an eTag where nothing is stored, as Blob Storage does, and overwrites on `*`', async () => {
    const storage = new MemoryStateStorage();
    await expect(storage.write({ gone: { value: 1, eTag: '7' } })).rejects.toThrow(/eTag conflict/);
    expect(await storage.read(['gone'])).toEqual({});
    await storage.write({ gone: { value: 2, eTag: '*' } });
    expect((await storage.read(['gone'])).gone).toMatchObject({ value: 2 });
  });

  it("keeps MemoryStorage's eTag checks for items that exist", async () => {
    const storage = new MemoryStateStorage();
    await storage.createItem('item', { value: 1 });
    const { eTag } = (await storage.read(['item'])).item as { eTag: string };
    await storage.write({ item: { value: 2, eTag } });
    await expect(storage.write({ item: { value: 3, eTag } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['item'])).item).toMatchObject({ value: 2 });
  });
});
