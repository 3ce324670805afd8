import type { AuthMethodSummary } from '../directory/phone-directory';

/**
 * What the gate allows before a phone is added, changed or removed. `portal_first_phone`: the user
 * has no MFA method and the admin sends such users to the portal (FIRST_PHONE_POLICY=portal).
 */
export type GateDecision = 'open' | 'step_up' | 'portal' | 'portal_first_phone';

/** Whether a user with no MFA method may register a first phone in the chat, or is sent to the portal. */
export type FirstPhonePolicy = 'allow' | 'portal';

/** Methods that are not a second factor: a password, and email (self-service password reset only). */
const NOT_MFA = new Set(['passwordAuthenticationMethod', 'emailAuthenticationMethod']);
const PHONE = 'phoneAuthenticationMethod';

/**
 * True when the list holds any second factor; an entry the bot could not read counts as one. The list
 * is Graph beta's, which holds hardware OATH tokens too (v1.0's leaves them out, so a user whose only
 * second factor is a hardware token would look unprotected there).
 */
function hasMfaMethod(methods: readonly AuthMethodSummary[]): boolean {
  return methods.some((m) => !NOT_MFA.has(m.kind));
}

/**
 * The registration gate Entra applies on its own page, kept by the bot because application
 * permissions skip it: no MFA method → a first phone may be registered (the guide's "More
 * information required" case) unless the admin sends such users to the portal; a registered phone →
 * prove possession of one first; only methods the bot cannot check (Authenticator, passkeys, FIDO2,
 * TAP, hardware tokens, entries it could not read…) → the portal, with no Graph write.
 */
export function decideGate(methods: readonly AuthMethodSummary[], firstPhonePolicy: FirstPhonePolicy = 'allow'): GateDecision {
  if (!hasMfaMethod(methods)) return firstPhonePolicy === 'portal' ? 'portal_first_phone' : 'open';
  return methods.some((m) => m.kind === PHONE) ? 'step_up' : 'portal';
}
