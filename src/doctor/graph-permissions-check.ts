import { fail, ok, warn, type CheckResult } from './check-result';
import { decodeJwtPayload } from './decode-jwt-payload';

/** One application permission the bot needs, and the broader ones that also satisfy it. */
export interface RequiredPermission {
  readonly name: string;
  readonly satisfiedBy: readonly string[];
  readonly why: string;
}

/** The Graph application permissions the bot needs (least privilege first). */
export const REQUIRED_GRAPH_PERMISSIONS: readonly RequiredPermission[] = [
  {
    name: 'UserAuthMethod-Phone.ReadWrite.All',
    satisfiedBy: ['UserAuthenticationMethod.ReadWrite.All'],
    why: 'add, change and remove phone methods',
  },
  {
    name: 'UserAuthenticationMethod.Read.All',
    satisfiedBy: ['UserAuthenticationMethod.ReadWrite.All'],
    why: "list a user's methods for the step-up gate",
  },
  {
    name: 'Policy.Read.All',
    satisfiedBy: ['Policy.ReadWrite.AuthenticationMethod'],
    why: 'read the authentication methods policy (SMS, voice, office phone)',
  },
];

/** Broader than the bot needs: worth replacing with the least-privilege permission. */
const BROADER_THAN_NEEDED: Readonly<Record<string, string>> = {
  'UserAuthenticationMethod.ReadWrite.All': 'UserAuthMethod-Phone.ReadWrite.All and UserAuthenticationMethod.Read.All',
  'Policy.ReadWrite.AuthenticationMethod': 'Policy.Read.All',
};

/** Reads the token's `roles` claim and reports each required permission as held or missing. */
export function checkGraphPermissions(options: { readonly token: string; readonly consentUrl: string }): CheckResult[] {
  const claims = decodeJwtPayload(options.token);
  if (!claims) {
    return [warn('Graph permissions not checked: the token is not a readable JWT', 'run the doctor again; if it persists, check the sign-in host of your cloud')];
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const results: CheckResult[] = [];
  for (const permission of REQUIRED_GRAPH_PERMISSIONS) {
    if (roles.includes(permission.name)) {
      results.push(ok(`Permission ${permission.name} granted`));
      continue;
    }
    const broader = permission.satisfiedBy.find((r) => roles.includes(r));
    if (broader) {
      results.push(ok(`Permission ${permission.name} covered by ${broader}`));
      continue;
    }
    results.push(
      fail(
        `Missing permission ${permission.name} (needed to ${permission.why})`,
        `add it to the app registration (API permissions > Microsoft Graph > Application permissions), then grant admin consent: ${options.consentUrl}`,
      ),
    );
  }
  for (const [role, narrower] of Object.entries(BROADER_THAN_NEEDED)) {
    if (roles.includes(role)) {
      results.push(warn(`Permission ${role} is broader than the bot needs`, `replace it with ${narrower} (least privilege)`));
    }
  }
  return results;
}
