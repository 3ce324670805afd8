import type { DeliveryResult } from '../verification/phone-delivery';

/** Name of the event activity that brings a background send's result into the waiting dialog. */
export const DELIVERY_RESULT_EVENT = 'phoneVerification/deliveryResult';

export interface DeliveryResultEvent {
  readonly id: string;
  readonly result: DeliveryResult;
}

const REASONS = new Set(['rejected', 'failed', 'unavailable']);

/** Reads the event value defensively. */
export function readDeliveryResultEvent(value: unknown): DeliveryResultEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, result } = value as { id?: unknown; result?: { ok?: unknown; reason?: unknown } };
  if (typeof id !== 'string' || typeof result !== 'object' || result === null) return undefined;
  if (result.ok === true) return { id, result: { ok: true } };
  if (result.ok === false && typeof result.reason === 'string' && REASONS.has(result.reason)) {
    return { id, result: { ok: false, reason: result.reason as 'rejected' | 'failed' | 'unavailable' } };
  }
  return undefined;
}
