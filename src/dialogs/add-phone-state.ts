import type { Locale } from '../i18n/locale';
import type { ParsedPhone, PhoneType } from '../phone/phone-types';
import type { CodeChallenge } from '../verification/code-verifier';

/** Where the add-phone conversation stands; each step has its own card. */
export type AddPhoneStep = 'type' | 'number' | 'method' | 'code' | 'callReady' | 'calling' | 'callFailed' | 'saving';

/** The dialog's stored state (bot Storage): no code in clear, ever. */
export interface AddPhoneState {
  /** Fixed when the dialog starts, from the activity's locale. */
  locale: Locale;
  /** Entra object id of the user, from the authenticated activity that started the dialog. */
  userId: string;
  step: AddPhoneStep;
  /** Nonce of the card that is currently active; a submit of any other card is stale. */
  nonce: string;
  /** Activity id of the active card, to replace it when the next step starts without a submit. */
  cardId?: string;
  phoneType?: PhoneType;
  region: string;
  numberInput: string;
  extensionInput: string;
  phone?: ParsedPhone;
  challenge?: CodeChallenge;
  callId?: string;
  /** Id of the text being sent in the background; its result must match it. */
  sendId?: string;
  /** True until the provider has accepted the text. */
  sending?: boolean;
  /** True when the code on its way replaced an earlier one (the card says the old one no longer works). */
  resent?: boolean;
}

export interface AddPhoneOptions {
  readonly locale: Locale;
  readonly userId: string;
}
