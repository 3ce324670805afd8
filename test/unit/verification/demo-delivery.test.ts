import { DemoDelivery, type Schedule } from '../../../src/verification/demo-delivery';
import { DemoOutbox } from '../../../src/verification/demo-outbox';
import type { CallOutcome, CallOutcomeHandler, CallRequest } from '../../../src/verification/phone-delivery';

/** A timer the test fires by hand. */
class FakeScheduler {
  readonly tasks: Array<{ fn: () => void; ms: number; cancelled: boolean; fired: boolean }> = [];
  readonly schedule: Schedule = (fn, ms) => {
    const task = { fn, ms, cancelled: false, fired: false };
    this.tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  };
  /** Fires every task that is still pending. */
  fireAll(): void {
    for (const task of this.tasks) {
      if (!task.cancelled && !task.fired) {
        task.fired = true;
        task.fn();
      }
    }
  }
  pending(): number {
    return this.tasks.filter((t) => !t.cancelled && !t.fired).length;
  }
}

/** Records outcomes like the bot's handler would receive them. */
class FakeOutcomeHandler implements CallOutcomeHandler {
  readonly received: Array<{ callId: string; outcome: CallOutcome }> = [];
  failWith: Error | undefined;
  async onCallOutcome(callId: string, outcome: CallOutcome): Promise<void> {
    await Promise.resolve();
    if (this.failWith) throw this.failWith;
    this.received.push({ callId, outcome });
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const call: CallRequest = { callId: 'call-1', to: '+819012345678', locale: 'ja', code: '042917' };

function setup(extra: { onError?: (error: unknown, callId: string) => void } = {}) {
  const outbox = new DemoOutbox();
  const scheduler = new FakeScheduler();
  const handler = new FakeOutcomeHandler();
  const delivery = new DemoDelivery({
    outbox,
    outcomeHandler: () => handler,
    schedule: scheduler.schedule,
    clock: { now: () => 5000 },
    ...extra,
  });
  return { outbox, scheduler, handler, delivery };
}

describe('DemoDelivery', () => {
  it('records an SMS with the masked number and the full text, and never the full number', async () => {
    const { outbox, delivery } = setup();
    const result = await delivery.sendSms({ to: '+819012345678', text: 'Your code is 123 456' });
    const [message] = outbox.list();
    expect(result).toEqual({ ok: true, providerId: message.id });
    expect(message).toEqual({ id: message.id, at: 5000, kind: 'sms', to: '+81 XXXXXX5678', text: 'Your code is 123 456' });
    expect(JSON.stringify(outbox.list())).not.toMatch(/9012345678|90123|12345678/);
  });

  it('records a call and, after the delay, keys the code through the late-bound outcome handler', async () => {
    const outbox = new DemoOutbox();
    const scheduler = new FakeScheduler();
    let handler: FakeOutcomeHandler | undefined;
    const delivery = new DemoDelivery({
      outbox,
      outcomeHandler: () => {
        if (!handler) throw new Error('handler asked for before the bot was built');
        return handler;
      },
      schedule: scheduler.schedule,
      callAnswerDelayMs: 2500,
    });
    const result = await delivery.startCall(call);
    handler = new FakeOutcomeHandler(); // the bot is built after the delivery
    expect(result.ok).toBe(true);
    const [message] = outbox.list();
    expect(message).toMatchObject({ kind: 'call', to: '+81 XXXXXX5678' });
    expect(message.text).toContain('042 917');
    expect(JSON.stringify(outbox.list())).not.toContain('9012345678');
    expect(scheduler.tasks.map((t) => t.ms)).toEqual([2500]);
    await flush();
    expect(handler.received).toEqual([]);
    scheduler.fireAll();
    await flush();
    expect(handler.received).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: '042917' } }]);
  });

  it('waits 3 s by default', async () => {
    const { scheduler, delivery } = setup();
    await delivery.startCall(call);
    expect(scheduler.tasks.map((t) => t.ms)).toEqual([3000]);
  });

  it('reports handler errors through onError instead of rejecting', async () => {
    const errors: Array<[unknown, string]> = [];
    const { scheduler, handler, delivery } = setup({ onError: (error, callId) => errors.push([error, callId]) });
    handler.failWith = new Error('storage down');
    await delivery.startCall(call);
    scheduler.fireAll();
    await delivery.close(); // waits for the running handler
    expect(errors).toEqual([[handler.failWith, 'call-1']]);
  });

  it('falls back to a process warning when there is no onError', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const { scheduler, handler, delivery } = setup();
      handler.failWith = new Error('storage down');
      await delivery.startCall(call);
      scheduler.fireAll();
      await delivery.close();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('call-1'), 'DemoDeliveryWarning');
      expect(String(warn.mock.calls[0][0])).not.toContain('042917');
    } finally {
      warn.mockRestore();
    }
  });

  it('close() cancels calls not yet answered and refuses new sends', async () => {
    const { scheduler, handler, delivery } = setup();
    await delivery.startCall(call);
    await delivery.startCall({ ...call, callId: 'call-2' });
    expect(scheduler.pending()).toBe(2);
    await delivery.close();
    expect(scheduler.pending()).toBe(0);
    scheduler.fireAll();
    await flush();
    expect(handler.received).toEqual([]);
    expect(await delivery.sendSms({ to: '+819012345678', text: 'x' })).toEqual({ ok: false, reason: 'unavailable' });
    expect(await delivery.startCall(call)).toEqual({ ok: false, reason: 'unavailable' });
    await delivery.dispose(); // idempotent
  });

  it('answers with real timers when no scheduler is injected', async () => {
    const outbox = new DemoOutbox();
    const received = new Promise<{ callId: string; outcome: CallOutcome }>((resolve) => {
      const delivery = new DemoDelivery({
        outbox,
        callAnswerDelayMs: 5,
        outcomeHandler: () => ({ onCallOutcome: async (callId, outcome) => resolve({ callId, outcome }) }),
      });
      void delivery.startCall(call);
    });
    await expect(received).resolves.toEqual({ callId: 'call-1', outcome: { kind: 'digits', digits: '042917' } });
  });

  it('lets close() stop a real timer so nothing fires afterwards', async () => {
    let called = false;
    const delivery = new DemoDelivery({
      outbox: new DemoOutbox(),
      callAnswerDelayMs: 20,
      outcomeHandler: () => ({
        onCallOutcome: async () => {
          called = true;
        },
      }),
    });
    await delivery.startCall(call);
    await delivery.close();
    // Node fires timers in order of expiry: this one comes due after the delivery's 20 ms timer would have.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(called).toBe(false);
  });
});
