import type { Locale } from '../i18n/locale';
import type { ParsedPhone, PhoneType } from '../phone/phone-types';
import type { CodeChallenge } from '../verification/code-verifier';
import type { CardStepState } from './card-steps';

/** The number to prove possession of, in the forms delivery needs. */
interface VerifiablePhone {
  /** Graph format, e.g. `+81 9012345678`: the code is bound to it. */
  readonly graphNumber: string;
  /** E.164, what providers dial. */
  readonly e164: string;
  /** ISO region, for the per-country send cap. */
  readonly region: string;
}

export interface VerifyPhoneOptions {
  readonly locale: Locale;
  readonly userId: string;
  readonly phone: VerifiablePhone;
  /** "Receive a code" is offered only for a Phone whose number can receive texts. */
  readonly smsAllowed: boolean;
}

/**
 * Proving a number of the given type: the guide offers "Receive a code" only for a Phone whose number
 * can take texts, and "Call me" otherwise.
 */
export function verifyOptionsFor(who: { readonly locale: Locale; readonly userId: string }, phoneType: PhoneType, phone: ParsedPhone): VerifyPhoneOptions {
  return { locale: who.locale, userId: who.userId, phone, smsAllowed: phoneType === 'mobile' && phone.canReceiveSms };
}

/**
 * How the check ended; the parent dialog decides what follows. A cancel stops the whole flow
 * (every dialog of it), so no parent ever sees one.
 */
export type VerifyPhoneResult =
  | { readonly kind: 'verified' }
  /** The user wants to enter another number (or, in a step-up, choose another registered phone). */
  | { readonly kind: 'change_number' }
  /** No way to verify: the tenant allows neither texts nor calls, or the account guard blocked the user. */
  | { readonly kind: 'blocked' };

/** The card the verification shows: the choice of method, the code entry, or one of the call's cards. */
type VerifyStep = 'method' | 'code' | 'callReady' | 'calling' | 'callFailed';

/** The stored state: no code in clear, ever. */
export interface VerifyPhoneState extends CardStepState<VerifyStep> {
  userId: string;
  phone: VerifiablePhone;
  smsAllowed: boolean;
  /** False where the tenant turned voice off. */
  callAllowed: boolean;
  challenge?: CodeChallenge;
  callId?: string;
  /** Id of the text being sent in the background; its result must match it. */
  sendId?: string;
  /** True until the provider has accepted the text. */
  sending?: boolean;
  /** True when the code on its way replaced an earlier one. */
  resent?: boolean;
  /**
   * True when the user's record held no failed verifications when the last code was counted, and this
   * conversation has recorded none since: a success then has nothing to reset and skips the guard's
   * round trip. Stale can only mean failures recorded elsewhere stay counted (stricter), never a
   * block skipped: a success never lifts a block, and the next send reads the block again.
   */
  guardClean?: boolean;
}

/** Where a step of the text or call verification leaves the dialog. */
export type VerifyStepOutcome =
  /** A card is showing; the next turn (a submit, a call's outcome, a late delivery) goes on. */
  | { readonly kind: 'wait' }
  /** The chosen way failed: the ways to verify are offered again, with why. */
  | { readonly kind: 'choose_method'; readonly error: string }
  | { readonly kind: 'end'; readonly result: VerifyPhoneResult };

export const WAIT: VerifyStepOutcome = { kind: 'wait' };
