import type { AuthMethodSummary } from '../directory/phone-directory';

/** What the gate allows before a phone is added, changed or removed. */
export type GateDecision = 'open' | 'step_up' | 'portal';

/** Methods that are not a second factor: a password, and email (self-service password reset only). */
const NOT_MFA = new Set(['passwordAuthenticationMethod', 'emailAuthenticationMethod']);
const PHONE = 'phoneAuthenticationMethod';

/**
 * The registration gate Entra applies on its own page, kept by the bot because application
 * permissions skip it: no MFA method → a first phone may be registered (the guide's "More
 * information required" case); a registered phone → prove possession of one first; only methods
 * the bot cannot check (Authenticator, passkeys, FIDO2, TAP…) → the portal, with no Graph write.
 */
export function decideGate(methods: readonly AuthMethodSummary[]): GateDecision {
  const mfa = methods.filter((m) => !NOT_MFA.has(m.kind));
  if (mfa.length === 0) return 'open';
  return mfa.some((m) => m.kind === PHONE) ? 'step_up' : 'portal';
}
