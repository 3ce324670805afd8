import { DemoOutbox, type DemoMessage } from '../../../src/verification/demo-outbox';

describe('DemoOutbox', () => {
  it('keeps only the last 200 messages, oldest first', () => {
    const outbox = new DemoOutbox({ clock: { now: () => 1000 } });
    for (let i = 0; i < 250; i += 1) outbox.add({ kind: 'sms', to: '+81 XXXXXX5678', text: `message ${i}` });
    const list = outbox.list();
    expect(list).toHaveLength(200);
    expect(list[0].text).toBe('message 50');
    expect(list[199].text).toBe('message 249');
    expect(new Set(list.map((m) => m.id)).size).toBe(200);
    expect(list[0].at).toBe(1000);
  });

  it('honours a custom capacity and returns copies of the list', () => {
    const outbox = new DemoOutbox({ capacity: 2 });
    outbox.add({ kind: 'sms', to: 'a', text: '1' });
    const snapshot = outbox.list();
    outbox.add({ kind: 'call', to: 'b', text: '2' });
    outbox.add({ kind: 'sms', to: 'c', text: '3' });
    expect(snapshot.map((m) => m.text)).toEqual(['1']);
    expect(outbox.list().map((m) => m.text)).toEqual(['2', '3']);
  });

  it('lists only the messages to a number ending in the given digits', () => {
    const outbox = new DemoOutbox();
    outbox.add({ kind: 'sms', to: '+81 XXXXXX5678', text: 'a' });
    outbox.add({ kind: 'call', to: '+81 XXXXXX1234', text: 'b' });
    outbox.add({ kind: 'sms', to: '+33 XXXXX5678', text: 'c' });
    expect(outbox.list('5678').map((m) => m.text)).toEqual(['a', 'c']);
    expect(outbox.list('1234').map((m) => m.text)).toEqual(['b']);
    expect(outbox.list('9999')).toEqual([]);
    expect(outbox.list()).toHaveLength(3);
  });

  it('uses the given time when there is one', () => {
    const outbox = new DemoOutbox({ clock: { now: () => 1 } });
    expect(outbox.add({ kind: 'sms', to: 'a', text: 'x', at: 42 }).at).toBe(42);
  });

  it('tells the onMessage listener and subscribers about each message until they unsubscribe', () => {
    const fromOption: DemoMessage[] = [];
    const fromSubscribe: DemoMessage[] = [];
    const outbox = new DemoOutbox({ onMessage: (m) => fromOption.push(m) });
    const unsubscribe = outbox.subscribe((m) => fromSubscribe.push(m));
    const first = outbox.add({ kind: 'sms', to: 'a', text: 'one' });
    unsubscribe();
    outbox.add({ kind: 'sms', to: 'a', text: 'two' });
    expect(fromOption.map((m) => m.text)).toEqual(['one', 'two']);
    expect(fromSubscribe).toEqual([first]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new DemoOutbox({ capacity: 0 })).toThrow(RangeError);
  });
});
