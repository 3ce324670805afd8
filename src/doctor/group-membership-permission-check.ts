import { fail, ok, warn, type CheckResult } from './check-result';
import { decodeJwtPayload } from './decode-jwt-payload';

/**
 * The bot reads a user's transitive memberships (GET /users/{id}/transitiveMemberOf) to honour
 * ALLOWED_GROUP_ID. Least-privileged application permission: User.Read.All; the others listed by
 * Microsoft also work (https://learn.microsoft.com/graph/api/user-list-transitivememberof).
 */
const GROUP_MEMBERSHIP_PERMISSION = 'User.Read.All';
const ALSO_SUFFICIENT = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];

/** With ALLOWED_GROUP_ID set, reports whether the token may read group memberships; nothing otherwise. */
export function checkGroupMembershipPermission(options: { readonly token: string; readonly consentUrl: string; readonly allowedGroupId: string }): CheckResult[] {
  if (!options.allowedGroupId) return [];
  const claims = decodeJwtPayload(options.token);
  if (!claims) return [warn('Group membership permission not checked: the token is not a readable JWT')];
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  if (roles.includes(GROUP_MEMBERSHIP_PERMISSION)) return [ok(`Permission ${GROUP_MEMBERSHIP_PERMISSION} granted (ALLOWED_GROUP_ID membership check)`)];
  const broader = ALSO_SUFFICIENT.find((r) => roles.includes(r));
  if (broader) return [ok(`Permission ${GROUP_MEMBERSHIP_PERMISSION} covered by ${broader} (ALLOWED_GROUP_ID membership check)`)];
  return [
    fail(
      `Missing permission ${GROUP_MEMBERSHIP_PERMISSION} (needed to check membership of ALLOWED_GROUP_ID; without it every user is refused)`,
      `add it to the app registration (API permissions > Microsoft Graph > Application permissions), then grant admin consent: ${options.consentUrl}`,
    ),
  ];
}
