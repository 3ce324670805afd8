import type { Clock } from '../time/clock';
import { systemClock } from '../time/clock';
import type { DemoMessageBook } from './demo-outbox';
import { spacedCode } from './format-code';
import { maskE164 } from '../phone/mask-phone';
import type { CallOutcomeHandler, CallRequest, DeliveryResult, PhoneDelivery, SmsRequest } from './phone-delivery';

/** Runs `fn` after `ms` milliseconds; returns a function that cancels it. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface DemoDeliveryOptions {
  readonly outbox: Pick<DemoMessageBook, 'add'>;
  /** Late-bound because the bot (which handles outcomes) is built after the delivery. */
  readonly outcomeHandler: () => CallOutcomeHandler;
  /** How long the demo phone "rings" before it answers and keys the code. Default 3000 ms. */
  readonly callAnswerDelayMs?: number;
  /** Timer; tests inject a manual one. Default: an unref'd `setTimeout`. */
  readonly schedule?: Schedule;
  /** Receives errors thrown by the outcome handler. Default: a process warning. */
  readonly onError?: (error: unknown, callId: string) => void;
  /** Masks numbers before they reach the outbox. Default: `maskE164`. */
  readonly maskNumber?: (e164: string) => string;
  /** Stamps outbox messages. Default: the system clock. */
  readonly clock?: Clock;
}

const defaultSchedule: Schedule = (fn, ms) => {
  // unref: a pending demo call must not keep a test run or a stopping process alive.
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * Demo-mode delivery: nothing leaves the machine. SMS and calls are written to the demo outbox
 * (masked number, text with the code), and a call is "answered" after a delay by a phone that keys
 * the code shown in the card, reported through the outcome handler like a real voice callback.
 */
export class DemoDelivery implements PhoneDelivery {
  private readonly options: DemoDeliveryOptions;
  private readonly schedule: Schedule;
  private readonly clock: Clock;
  private readonly maskNumber: (e164: string) => string;
  private readonly callAnswerDelayMs: number;
  private readonly pending = new Map<string, () => void>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(options: DemoDeliveryOptions) {
    this.options = options;
    this.schedule = options.schedule ?? defaultSchedule;
    this.clock = options.clock ?? systemClock;
    this.maskNumber = options.maskNumber ?? maskE164;
    this.callAnswerDelayMs = options.callAnswerDelayMs ?? 3000;
    if (!Number.isFinite(this.callAnswerDelayMs) || this.callAnswerDelayMs < 0) {
      throw new RangeError('callAnswerDelayMs must be a non-negative number');
    }
  }

  /** Records the SMS in the outbox. */
  async sendSms(request: SmsRequest): Promise<DeliveryResult> {
    if (this.closed) return { ok: false, reason: 'unavailable' };
    const message = await this.options.outbox.add({ kind: 'sms', at: this.clock.now(), to: this.maskNumber(request.to), text: request.text });
    return { ok: true, providerId: message.id };
  }

  /** Records the call and schedules the simulated answer that keys `request.code`. */
  async startCall(request: CallRequest): Promise<DeliveryResult> {
    if (this.closed) return { ok: false, reason: 'unavailable' };
    const seconds = Math.round(this.callAnswerDelayMs / 100) / 10;
    const message = await this.options.outbox.add({
      kind: 'call',
      at: this.clock.now(),
      to: this.maskNumber(request.to),
      text: `Demo call (${request.locale}): answers in ${seconds} s and keys ${spacedCode(request.code)} on the keypad.`,
    });
    this.pending.get(request.callId)?.();
    const cancel = this.schedule(() => this.answer(request), this.callAnswerDelayMs);
    this.pending.set(request.callId, cancel);
    return { ok: true, providerId: message.id };
  }

  /** Cancels calls not yet answered and waits for outcomes already being handled. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of this.pending.values()) cancel();
    this.pending.clear();
    await Promise.all([...this.running]);
  }

  /** Same as `close()`. */
  dispose(): Promise<void> {
    return this.close();
  }

  private answer(request: CallRequest): void {
    this.pending.delete(request.callId);
    if (this.closed) return;
    const run = this.deliverDigits(request).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Never rejects: handler failures go to onError so a timer callback cannot cause an unhandled rejection. */
  private async deliverDigits(request: CallRequest): Promise<void> {
    try {
      await this.options.outcomeHandler().onCallOutcome(request.callId, { kind: 'digits', digits: request.code });
    } catch (error) {
      this.reportError(error, request.callId);
    }
  }

  private reportError(error: unknown, callId: string): void {
    const onError = this.options.onError;
    if (onError) {
      try {
        onError(error, callId);
        return;
      } catch (reportingError) {
        // The reporter itself failed; fall through to the process warning so the error is still seen.
        error = reportingError;
      }
    }
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`Demo call ${callId}: outcome handler failed: ${message}`, 'DemoDeliveryWarning');
  }
}
