/**
 * `authenticationMethodsPolicy.policyMigrationState`: until `migrationComplete`, Entra also honours the
 * legacy per-user MFA and SSPR settings, which Graph does not expose. `unknown` when Graph did not say.
 * https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy
 */
export type PolicyMigrationState = 'preMigration' | 'migrationInProgress' | 'migrationComplete' | 'unknown';

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
  /** Whether the policy above is the whole truth (`migrationComplete`) or the legacy settings also count. */
  readonly migrationState: PolicyMigrationState;
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
  migrationState: 'unknown',
});

/**
 * What the bot may hide on the policy's word. Only a completed migration makes the authentication
 * methods policy the whole truth; before that, a method it turns off may still be on in the legacy
 * MFA or SSPR settings that Graph does not show, so SMS, calls and office phones stay offered.
 */
export function honouredPolicy(state: PhonePolicyState): PhonePolicyState {
  if (state.migrationState === 'migrationComplete') return state;
  return { ...state, smsEnabled: true, voiceEnabled: true, officePhoneAllowed: true };
}
