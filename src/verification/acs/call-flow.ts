import type { CallOutcome } from '../phone-delivery';
import type { CallSession } from './call-session-store';
import type { VoicePrompts } from './voice-prompts';

/** A callback event reduced to what the call flow needs (the digits stay in memory, never in Storage). */
export type CallSignal =
  | { readonly kind: 'connected' }
  | { readonly kind: 'recognized'; readonly digits: string }
  | { readonly kind: 'recognize_failed'; readonly subCode?: number }
  | { readonly kind: 'disconnected'; readonly code?: number }
  | { readonly kind: 'create_failed'; readonly code?: number }
  /** The closing prompt finished playing (or could not be played). */
  | { readonly kind: 'closing_done' }
  /** Starting keypad recognition or a prompt failed on our side. */
  | { readonly kind: 'media_failed' }
  /** No event: the connect timer fired. */
  | { readonly kind: 'timeout_check' }
  | { readonly kind: 'ignored' };

/** Work to do after the new session state is safely stored. */
export type CallAction =
  | { readonly type: 'report'; readonly outcome: CallOutcome }
  | { readonly type: 'recognize'; readonly prompt: keyof Pick<VoicePrompts, 'askCode' | 'askCodeAgain'> }
  | { readonly type: 'play_closing'; readonly prompt: keyof Pick<VoicePrompts, 'thanks' | 'goodbye'> }
  | { readonly type: 'hang_up' }
  /** The call is over and its outcome reported (or being reported): its record is no longer needed. */
  | { readonly type: 'forget' };

export interface CallStep {
  /** The session to store; undefined when nothing changed. */
  readonly next?: CallSession;
  readonly actions: readonly CallAction[];
}

export interface CallFlowInput {
  readonly signal: CallSignal;
  /** CloudEvent id, to drop ACS retries. */
  readonly eventId?: string;
  /** The call connection the event is about. */
  readonly callConnectionId?: string;
  readonly now: number;
  readonly connectTimeoutMs: number;
}

/** ACS sends nothing after CallDisconnected or CreateCallFailed, so the record can go once the outcome is out. */
const FORGET: CallAction = { type: 'forget' };

/** Recognize failures worth one more prompt: silence, a pause between digits, or a wrong key. */
const REPROMPT_SUB_CODES = new Set([8510, 8532, 8534]);
const SEEN_EVENT_IDS_KEPT = 50;

/**
 * The verification call as a pure state machine: given the stored session and one signal, the next
 * session and what to do. Reports happen only on the step that sets `finished`, so a repeated or
 * late event can never report twice.
 */
export function nextCallStep(session: CallSession, input: CallFlowInput): CallStep {
  if (input.eventId !== undefined && session.seenEventIds.includes(input.eventId)) return { actions: [] };
  if (input.callConnectionId && session.callConnectionId && input.callConnectionId !== session.callConnectionId) {
    return { actions: [] };
  }
  let next: CallSession = session;
  if (input.eventId !== undefined) {
    next = { ...next, seenEventIds: [...next.seenEventIds, input.eventId].slice(-SEEN_EVENT_IDS_KEPT) };
  }
  if (input.callConnectionId && !next.callConnectionId) next = { ...next, callConnectionId: input.callConnectionId };

  const { signal } = input;
  const finish = (outcome: CallOutcome, extra: CallAction[] = []): CallStep => ({
    next: finishedSession(next, outcome.kind),
    actions: [{ type: 'report', outcome }, ...extra],
  });
  const unchanged = (actions: CallAction[] = []): CallStep => ({ ...(next !== session ? { next } : {}), actions });

  const timedOut = !next.finished && next.connectedAt === undefined && input.now - next.startedAt >= input.connectTimeoutMs;
  if (timedOut && signal.kind !== 'create_failed' && signal.kind !== 'disconnected') {
    return finish({ kind: 'no_answer' }, [{ type: 'hang_up' }]);
  }

  switch (signal.kind) {
    case 'connected':
      if (next.finished) return unchanged([{ type: 'hang_up' }]);
      if (next.connectedAt !== undefined) return unchanged();
      return { next: { ...next, connectedAt: input.now }, actions: [{ type: 'recognize', prompt: 'askCode' }] };
    case 'recognized':
      if (next.finished) return unchanged();
      return finish({ kind: 'digits', digits: signal.digits }, [{ type: 'play_closing', prompt: 'thanks' }]);
    case 'recognize_failed':
      if (next.finished) return unchanged();
      if (!next.reprompted && signal.subCode !== undefined && REPROMPT_SUB_CODES.has(signal.subCode)) {
        return { next: { ...next, reprompted: true }, actions: [{ type: 'recognize', prompt: 'askCodeAgain' }] };
      }
      return finish({ kind: 'recognize_failed' }, [{ type: 'play_closing', prompt: 'goodbye' }]);
    case 'disconnected':
      if (next.finished) return unchanged([FORGET]);
      // Answered and then hung up before keying the code: the code never came.
      return finish({ kind: next.connectedAt !== undefined ? 'recognize_failed' : unansweredOutcome(signal.code, 'no_answer') }, [FORGET]);
    case 'create_failed':
      if (next.finished) return unchanged([FORGET]);
      return finish({ kind: unansweredOutcome(signal.code, 'failed') }, [FORGET]);
    case 'media_failed':
      if (next.finished) return unchanged();
      return finish({ kind: 'failed' }, [{ type: 'hang_up' }]);
    case 'closing_done':
      return unchanged(next.finished ? [{ type: 'hang_up' }] : []);
    case 'timeout_check':
    case 'ignored':
      return unchanged();
  }
}

/**
 * The session marked finished with the kind of its outcome. The number called is dropped in the
 * same write: a finished call is never prompted again, and its record may outlive the call.
 */
export function finishedSession(session: CallSession, outcome: CallOutcome['kind']): CallSession {
  const { to: _numberNoLongerNeeded, ...rest } = session;
  return { ...rest, finished: true, outcome };
}

/** Maps the SIP status ACS reports for a call that never connected. */
export function unansweredOutcome(sipCode: number | undefined, fallback: 'no_answer' | 'failed'): 'no_answer' | 'busy' | 'rejected' | 'failed' {
  switch (sipCode) {
    case 486:
    case 600:
      return 'busy';
    case 403:
    case 603:
      return 'rejected';
    case 408:
    case 480:
    case 487:
      return 'no_answer';
    default:
      return fallback;
  }
}
