import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import type { DemoMessage } from '../../../src/verification/demo-outbox';
import { SharedDemoOutbox } from '../../../src/verification/shared-demo-outbox';
import { ManualClock } from '../../fakes/manual-clock';

describe('SharedDemoOutbox', () => {
  it('lists on every instance what any instance recorded, oldest first', async () => {
    const storage = new MemoryStateStorage();
    const clock = new ManualClock();
    const a = new SharedDemoOutbox({ storage, clock });
    const b = new SharedDemoOutbox({ storage, clock });
    await a.add({ kind: 'sms', to: '+81 XXXXXX5678', text: 'from A' });
    clock.advance(1000);
    await b.add({ kind: 'call', to: '+81 XXXXXX1111', text: 'from B' });
    expect((await b.list()).map((m) => m.text)).toEqual(['from A', 'from B']);
    expect((await a.list('5678')).map((m) => m.text)).toEqual(['from A']);
  });

  it('writes each simultaneous message of one instance once, with no conflict to retry', async () => {
    const storage = new MemoryStateStorage();
    let writes = 0;
    const counting = Object.assign(Object.create(storage) as MemoryStateStorage, {
      write: (changes: Parameters<MemoryStateStorage['write']>[0]) => {
        writes += 1;
        return storage.write(changes);
      },
      createItem: (key: string, item: Parameters<MemoryStateStorage['createItem']>[1]) => {
        writes += 1;
        return storage.createItem(key, item);
      },
    });
    const outbox = new SharedDemoOutbox({ storage: counting });
    await Promise.all(Array.from({ length: 20 }, (_, i) => outbox.add({ kind: 'sms', to: '+81 XXXXXX0007', text: `m${i}` })));
    expect(await outbox.list('0007')).toHaveLength(20);
    // One write per message: without the per-item queue, all twenty read the same version and nineteen retry.
    expect(writes).toBe(20);
  });

  it('loses none of many simultaneous messages from two instances, ids unique', async () => {
    const storage = new MemoryStateStorage();
    const a = new SharedDemoOutbox({ storage });
    const b = new SharedDemoOutbox({ storage });
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).add({ kind: 'sms', to: 'x', text: `m${i}` })));
    const listed = await a.list();
    expect(listed.map((m) => m.text).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(new Set(listed.map((m) => m.id)).size).toBe(6);
  });

  it('keeps at most `capacity` messages and none older than the retention', async () => {
    const storage = new MemoryStateStorage();
    const clock = new ManualClock();
    const outbox = new SharedDemoOutbox({ storage, clock, capacity: 3, retentionMs: 10_000 });
    for (let i = 0; i < 5; i += 1) await outbox.add({ kind: 'sms', to: 'x', text: `m${i}` });
    expect((await outbox.list()).map((m) => m.text)).toEqual(['m2', 'm3', 'm4']);
    clock.advance(6_000);
    await outbox.add({ kind: 'sms', to: 'x', text: 'later' });
    clock.advance(5_000);
    expect((await outbox.list()).map((m) => m.text)).toEqual(['later']);
    // What is stored is bounded as well, not only what is listed.
    await outbox.add({ kind: 'sms', to: 'x', text: 'last' });
    const stored = (await storage.read(['demo-outbox/other']))['demo-outbox/other'] as { messages: DemoMessage[] };
    expect(stored.messages.map((m) => m.text)).toEqual(['later', 'last']);
  });

  it('keeps the messages of numbers ending in different digits apart, and lists them together by time', async () => {
    const storage = new MemoryStateStorage();
    const clock = new ManualClock();
    const outbox = new SharedDemoOutbox({ storage, clock, capacity: 1 });
    await outbox.add({ kind: 'sms', to: '+81 XXXXXX5678', text: 'to 8' });
    clock.advance(1);
    await outbox.add({ kind: 'sms', to: '+81 XXXXXX1111', text: 'to 1' });
    clock.advance(1);
    await outbox.add({ kind: 'sms', to: '+81 XXXXXX2228', text: 'to 8 again' });
    // A capacity of one per last digit: the second text to an 8 replaced the first, the 1 stayed.
    expect((await outbox.list()).map((m) => m.text)).toEqual(['to 1', 'to 8 again']);
    expect((await outbox.list('28')).map((m) => m.text)).toEqual(['to 8 again']);
    expect(await outbox.list('78')).toEqual([]);
    expect(Object.keys(await storage.read(['demo-outbox/1', 'demo-outbox/8']))).toEqual(['demo-outbox/1', 'demo-outbox/8']);
  });

  it('tells only its own instance’s listener', async () => {
    const storage = new MemoryStateStorage();
    const heardA: string[] = [];
    const heardB: string[] = [];
    const a = new SharedDemoOutbox({ storage, onMessage: (m) => heardA.push(m.text) });
    new SharedDemoOutbox({ storage, onMessage: (m) => heardB.push(m.text) });
    await a.add({ kind: 'sms', to: 'x', text: 'hello' });
    expect(heardA).toEqual(['hello']);
    expect(heardB).toEqual([]);
  });

  it('refuses a capacity or retention that keeps nothing', () => {
    const storage = new MemoryStateStorage();
    expect(() => new SharedDemoOutbox({ storage, capacity: 0 })).toThrow(RangeError);
    expect(() => new SharedDemoOutbox({ storage, retentionMs: 0 })).toThrow(RangeError);
  });
});
