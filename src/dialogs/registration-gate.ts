import { DirectoryError, UNREADABLE_METHOD_KIND, type AuthMethodSummary, type PhoneDirectory } from '../directory/phone-directory';
import type { Logger } from '../logging/logger';

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

/** True when the list holds any second factor; an entry the bot could not read counts as one. */
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

/**
 * The user's methods as the gate needs them. Graph v1.0 does not list hardware OATH tokens (beta
 * only), so a user whose only second factor is a hardware token would look unprotected and could
 * register a first phone with no proof of who they are. Failing closed for every user without a
 * v1.0 method would break the guide's "More information required" case, so when (and only when)
 * v1.0 shows no MFA method the beta list is read too: one extra Graph call, needing no permission
 * beyond the UserAuthenticationMethod.Read.All the method list already needs. If that read fails,
 * the tokens are unknown: the answer carries an unreadable entry, which sends the user to the
 * portal (where Entra checks what it knows) instead of treating them as having no method.
 */
export async function readGateMethods(
  directory: Pick<PhoneDirectory, 'listAuthenticationMethods' | 'listHardwareOathMethods'>,
  userId: string,
  logger: Logger,
): Promise<AuthMethodSummary[]> {
  const methods = await directory.listAuthenticationMethods(userId);
  if (hasMfaMethod(methods)) return methods;
  try {
    return [...methods, ...(await directory.listHardwareOathMethods(userId))];
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    logger.warn(
      { userId, errorCode: error.code, status: error.details.status, requestId: error.details.requestId },
      'hardware token list unreadable; the gate treats it as a method it cannot check',
    );
    return [...methods, { id: '', kind: UNREADABLE_METHOD_KIND }];
  }
}
