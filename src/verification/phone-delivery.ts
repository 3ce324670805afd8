import type { Locale } from '../i18n/locale';

export interface SmsRequest {
  /** E.164 number, e.g. `+819012345678`. */
  readonly to: string;
  /** The full message text, already in the user's language. */
  readonly text: string;
}

export interface CallRequest {
  /** Unique id of this call attempt; outcomes are reported under it. */
  readonly callId: string;
  /** E.164 number to call. */
  readonly to: string;
  readonly locale: Locale;
  /**
   * The code shown in the user's card. A real voice provider never speaks it (the person types it);
   * the demo phone keys it to simulate a person who reads the card.
   */
  readonly code: string;
}

type DeliveryFailure = 'rejected' | 'failed' | 'unavailable';

export type DeliveryResult =
  | { readonly ok: true; readonly providerId?: string }
  | {
      readonly ok: false;
      readonly reason: DeliveryFailure;
      /**
       * True only when the provider refused before anything went out (its configuration, its
       * credentials, a destination it does not serve): another provider may then try. Never set on
       * an ambiguous failure (timeout, 5xx after the request left), which may have reached the phone.
       */
      readonly nothingSent?: boolean;
    };

/** How a verification code reaches the user's phone. Implementations: demo (console), ACS and Twilio. */
export interface PhoneDelivery {
  sendSms(request: SmsRequest): Promise<DeliveryResult>;
  /** Starts a call; the outcome arrives later through the CallOutcomeHandler. */
  startCall(request: CallRequest): Promise<DeliveryResult>;
}

/** What happened on a verification call. */
export type CallOutcome =
  { readonly kind: 'digits'; readonly digits: string } | { readonly kind: 'no_answer' | 'busy' | 'rejected' | 'recognize_failed' | 'failed' };

/** Receives call outcomes (from the demo phone or from voice provider callbacks). */
export interface CallOutcomeHandler {
  onCallOutcome(callId: string, outcome: CallOutcome): Promise<void>;
}
