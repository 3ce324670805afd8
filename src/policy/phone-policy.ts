/** What the tenant's authentication methods policy allows for phones, as far as the bot needs it. */
export interface PhonePolicyState {
  /** SMS codes are an enabled sign-in method (for at least some users). */
  readonly smsEnabled: boolean;
  /** Voice calls are an enabled sign-in method (for at least some users). */
  readonly voiceEnabled: boolean;
  /** The voice policy lets users register an office phone (`isOfficePhoneAllowed`). */
  readonly officePhoneAllowed: boolean;
  /** `graph` when read from the tenant; `default` when the policy could not be read and the safe default applies. */
  readonly source: 'graph' | 'default';
}

/** Anything that tells the conversation what the tenant's phone policy allows. */
export interface PhonePolicyReader {
  read(): Promise<PhonePolicyState>;
}

/**
 * The state used when the policy cannot be read: everything allowed. The bot must not lock users out
 * because it lacks a read permission; Entra still enforces the real policy at sign-in, so the worst
 * case is a phone registered for a method the tenant has switched off (the doctor reports it).
 */
export const DEFAULT_PHONE_POLICY: PhonePolicyState = Object.freeze({
  smsEnabled: true,
  voiceEnabled: true,
  officePhoneAllowed: true,
  source: 'default',
});
