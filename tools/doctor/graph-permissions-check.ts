import { fail, ok, warn, type CheckResult } from './check-result';
import { decodeJwtPayload } from './decode-jwt-payload';

/**
 * When a call is made: always, only with ALLOWED_GROUP_ID, only for the doctor's optional catalog lookup,
 * or only by `npm run campaign` (never required by the service; named when granted).
 */
type PermissionUse = 'always' | 'allowed_group' | 'optional' | 'campaign';

/** One Graph call the bot makes, the application permission(s) it needs, and what else Microsoft documents as enough. */
export interface GraphPermissionNeed {
  /** The least-privileged application permissions for the call; all of them together. */
  readonly leastPrivileged: readonly string[];
  /** The call, as an admin recognises it in Microsoft's reference. */
  readonly call: string;
  readonly why: string;
  /** Every documented set of roles that is enough (least privileged first); a token needs one whole set. */
  readonly sufficient: readonly (readonly string[])[];
  readonly use: PermissionUse;
  /** Microsoft's reference page whose permissions table this follows. */
  readonly reference: string;
}

/**
 * The Graph application permissions the bot needs, from each call's permissions table in Microsoft's
 * Graph v1.0 reference (the URL of each entry). The bot asks for exactly the least-privileged ones;
 * the doctor accepts any other documented set and names the least-privileged one.
 */
export const GRAPH_PERMISSION_NEEDS: readonly GraphPermissionNeed[] = [
  {
    leastPrivileged: ['UserAuthMethod-Phone.ReadWrite.All'],
    call: 'POST, PATCH, DELETE /users/{id}/authentication/phoneMethods',
    why: 'add, change and remove phone methods',
    sufficient: [['UserAuthMethod-Phone.ReadWrite.All'], ['UserAuthenticationMethod.ReadWrite.All']],
    use: 'always',
    reference: 'https://learn.microsoft.com/graph/api/authentication-post-phonemethods',
  },
  {
    leastPrivileged: ['UserAuthenticationMethod.Read.All'],
    call: 'GET /beta/users/{id}/authentication/methods',
    why: "list all of a user's methods (phones and hardware tokens included) for the welcome and the step-up gate",
    // The "acting on other users" table: an application token never acts on itself (/me).
    sufficient: [['UserAuthenticationMethod.Read.All'], ['UserAuthenticationMethod.ReadWrite.All']],
    use: 'always',
    reference: 'https://learn.microsoft.com/graph/api/authentication-list-methods?view=graph-rest-beta',
  },
  {
    leastPrivileged: ['Policy.Read.AuthenticationMethod'],
    call: 'GET /policies/authenticationMethodsPolicy and its sms and voice configurations',
    why: 'read the authentication methods policy (SMS, voice, office phone, migration state)',
    // Policy.Read.All is documented for the policy root but not for the sms and voice configurations.
    sufficient: [['Policy.Read.AuthenticationMethod'], ['Policy.ReadWrite.AuthenticationMethod']],
    use: 'always',
    reference: 'https://learn.microsoft.com/graph/api/smsauthenticationmethodconfiguration-get',
  },
  {
    leastPrivileged: ['User.Read.All'],
    call: 'GET /users/{id}/transitiveMemberOf',
    why: 'check that the user is a direct or nested member of ALLOWED_GROUP_ID',
    // Groups the app may not read in full still come back with their id, which is all the check needs.
    sufficient: [['User.Read.All'], ['GroupMember.Read.All'], ['Group.Read.All'], ['Directory.Read.All'], ['Directory.ReadWrite.All']],
    use: 'allowed_group',
    reference: 'https://learn.microsoft.com/graph/api/user-list-transitivememberof',
  },
  {
    leastPrivileged: ['AppCatalog.Read.All'],
    call: "GET /appCatalogs/teamsApps?$filter=externalId eq '{TEAMS_APP_ID}'",
    why: "look up the Teams app's catalog id for install links (doctor only)",
    sufficient: [['AppCatalog.Read.All'], ['AppCatalog.ReadWrite.All']],
    use: 'optional',
    reference: 'https://learn.microsoft.com/graph/api/appcatalogs-list-teamsapps',
  },
  {
    leastPrivileged: ['GroupMember.Read.All'],
    call: 'GET /groups/{id}/transitiveMembers/microsoft.graph.user',
    why: "list a campaign group's members, nested groups included",
    sufficient: [['GroupMember.Read.All'], ['Group.Read.All'], ['Directory.Read.All']],
    use: 'campaign',
    reference: 'https://learn.microsoft.com/graph/api/group-list-transitivemembers',
  },
  {
    leastPrivileged: ['User.Read.All'],
    call: 'GET /users/{id}?$select=preferredLanguage',
    why: "read each person's preferred language for a campaign's card",
    sufficient: [['User.Read.All'], ['Directory.Read.All']],
    use: 'campaign',
    reference: 'https://learn.microsoft.com/graph/api/user-get',
  },
  {
    leastPrivileged: ['TeamsAppInstallation.ReadWriteSelfForUser.All'],
    call: 'POST /users/{id}/teamwork/installedApps',
    why: 'install the bot for a campaign target who does not have it',
    sufficient: [['TeamsAppInstallation.ReadWriteSelfForUser.All'], ['TeamsAppInstallation.ReadWriteForUser.All']],
    use: 'campaign',
    reference: 'https://learn.microsoft.com/graph/api/userteamwork-post-installedapps',
  },
];

/** Roles an admin often grants instead, with why the bot does without them. */
const NOT_NEEDED_EXPLAINED: Readonly<Record<string, string>> = {
  'Policy.Read.All':
    'it also reads Conditional Access and every other policy, and Microsoft does not list it for the SMS and voice configurations; Policy.Read.AuthenticationMethod is the permission for them',
};

/** Options for {@link checkGraphPermissions}. */
export interface GraphPermissionsCheckOptions {
  readonly token: string;
  /** How to grant a permission in this deployment (portal button or app-role assignment). */
  readonly consentAdvice: string;
  /** ALLOWED_GROUP_ID is set, so the group membership call is made. */
  readonly allowedGroup?: boolean;
}

/** Reads the token's `roles` claim and reports each need as met, met by a broader set, or missing. */
export function checkGraphPermissions(options: GraphPermissionsCheckOptions): CheckResult[] {
  const claims = decodeJwtPayload(options.token);
  if (!claims) {
    return [
      warn('Graph permissions not checked: the token is not a readable JWT', 'run the doctor again; if it persists, check the sign-in host of your cloud'),
    ];
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const results: CheckResult[] = [];
  const inUse = GRAPH_PERMISSION_NEEDS.filter((need) => need.use !== 'campaign' && (need.use !== 'allowed_group' || options.allowedGroup));
  // Campaign permissions are never required by the service; granted, they are named as such, not as unneeded.
  const campaignOnly = new Set(GRAPH_PERMISSION_NEEDS.filter((need) => need.use === 'campaign').flatMap((need) => need.leastPrivileged));
  // Roles a verdict already named as the broader set in use: their note is on that line.
  const noted = new Set<string>();
  for (const need of inUse) results.push(verdict(need, roles, options.consentAdvice, noted));

  const leastInUse = new Set(inUse.flatMap((need) => need.leastPrivileged));
  for (const role of roles) {
    if (leastInUse.has(role) || noted.has(role)) continue;
    if (campaignOnly.has(role)) {
      results.push(ok(`Permission ${role} granted (used by npm run campaign only)`));
      continue;
    }
    const explained = NOT_NEEDED_EXPLAINED[role];
    results.push(warn(`Permission ${role} is not needed${explained ? `: ${explained}` : ' by the bot'}`, 'remove it (least privilege)'));
  }
  return results;
}

function verdict(need: GraphPermissionNeed, roles: readonly string[], consentAdvice: string, noted: Set<string>): CheckResult {
  const least = need.leastPrivileged.join(' + ');
  const scope = need.use === 'allowed_group' ? ' (only because ALLOWED_GROUP_ID is set)' : '';
  const held = need.sufficient.find((set) => set.every((role) => roles.includes(role)));
  if (held && held === need.sufficient[0]) return ok(`Permission ${least} granted${scope}`);
  if (held) {
    for (const role of held) noted.add(role);
    // Passes, with the note that names what to grant instead.
    return warn(
      `Permission ${least} covered by the broader ${held.join(' + ')}${scope}`,
      `replace it with ${least}, the least-privileged permission for ${need.call} (${need.reference})`,
    );
  }
  const missing = need.leastPrivileged.filter((role) => !roles.includes(role)).join(' + ');
  const title = `Missing permission ${missing} (needed to ${need.why}${need.use === 'allowed_group' ? ', only because ALLOWED_GROUP_ID is set' : ''})`;
  const fix = `add ${least} (API permissions > Add a permission > Microsoft Graph > Application permissions), then ${consentAdvice}`;
  if (need.use === 'optional') {
    return warn(
      `Optional permission ${least} not granted: the doctor cannot ${need.why.replace(/ \(doctor only\)$/, '')}`,
      `${fix}; or leave it and set the value by hand`,
    );
  }
  return fail(title, fix);
}
