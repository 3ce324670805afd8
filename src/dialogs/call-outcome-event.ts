import type { CallOutcome } from '../verification/phone-delivery';

/** Name of the event activity that brings a call's outcome into the waiting dialog. */
export const CALL_OUTCOME_EVENT = 'phoneVerification/callOutcome';

export interface CallOutcomeEvent {
  readonly callId: string;
  readonly outcome: CallOutcome;
}

const FAILURES = new Set(['no_answer', 'busy', 'rejected', 'recognize_failed', 'failed']);

/** Reads the event value defensively: it crosses a process boundary (storage, callbacks). */
export function readCallOutcomeEvent(value: unknown): CallOutcomeEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { callId, outcome } = value as { callId?: unknown; outcome?: { kind?: unknown; digits?: unknown } };
  if (typeof callId !== 'string' || typeof outcome !== 'object' || outcome === null) return undefined;
  if (outcome.kind === 'digits' && typeof outcome.digits === 'string') return { callId, outcome: { kind: 'digits', digits: outcome.digits } };
  if (typeof outcome.kind === 'string' && FAILURES.has(outcome.kind)) {
    return { callId, outcome: { kind: outcome.kind as Exclude<CallOutcome['kind'], 'digits'> } };
  }
  return undefined;
}
