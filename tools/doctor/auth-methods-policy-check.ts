import type { MethodConfigurationSummary, PolicyMigrationState, PolicyReadOutcome } from '../../src/policy/auth-methods-policy';
import { fail, ok, warn, type CheckResult } from './check-result';

const POLICY_PAGE = 'Entra admin center > Authentication methods > Policies';
const MIGRATION_PAGE = `${POLICY_PAGE} > Manage migration`;
const LEGACY = 'Entra also honours the legacy MFA and SSPR settings, which Graph does not show';
const NOT_HIDDEN = "so the bot does not hide SMS, voice or office phone on this policy's word";

/** Reports the tenant's SMS and voice method configurations, and how far the bot may trust them, as the bot applies them. */
export async function checkAuthMethodsPolicy(options: {
  readonly reader: { readOnce(): Promise<PolicyReadOutcome> };
  /** How to grant a permission in this deployment. */
  readonly consentAdvice: string;
}): Promise<CheckResult[]> {
  const outcome = await options.reader.readOnce();
  if (!outcome.ok) return [explainFailure(outcome, options.consentAdvice)];

  const migration = outcome.state.migrationState;
  const complete = migration === 'migrationComplete';
  const results = [
    migrationLine(migration),
    methodLine('SMS', outcome.sms, complete, 'the bot offers "Call me" only'),
    methodLine('Voice call', outcome.voice, complete, 'the bot offers "Receive a code" (SMS) only, and no office or alternate phone'),
  ];
  if (!outcome.sms.enabled && !outcome.voice.enabled) {
    results.push(
      complete
        ? fail('Neither SMS nor voice is enabled: a registered phone cannot be used to sign in', `enable SMS and/or Voice call in ${POLICY_PAGE}`)
        : warn(
            'Neither SMS nor voice is enabled in this policy; the legacy settings may still allow them, so the bot keeps offering phones',
            `enable them in ${POLICY_PAGE}, or finish the migration (${MIGRATION_PAGE})`,
          ),
    );
  }
  if (outcome.state.officePhoneAllowed) results.push(ok('Office phone: allowed by the voice policy'));
  else if (complete) results.push(ok('Office phone: not allowed by the voice policy (isOfficePhoneAllowed=false), so the bot does not offer it'));
  else
    results.push(
      warn(
        'Office phone: not allowed by the voice policy (isOfficePhoneAllowed=false), but offered until the migration is complete',
        `finish the migration (${MIGRATION_PAGE})`,
      ),
    );
  if (outcome.sms.enabled || outcome.voice.enabled) {
    results.push(ok('From 1 September 2026 Microsoft prompts users enabled for SMS or voice to register a passkey'));
  }
  return results;
}

/** What `policyMigrationState` means for the bot; https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy */
function migrationLine(state: PolicyMigrationState): CheckResult {
  switch (state) {
    case 'migrationComplete':
      return ok(
        'Policy migration complete (policyMigrationState=migrationComplete): this policy alone decides SMS, voice and office phone, and the bot applies it',
      );
    case 'preMigration':
      return warn(
        `Policy migration not started (policyMigrationState=preMigration): ${LEGACY}, ${NOT_HIDDEN}`,
        `move the legacy settings and set Migration Complete (${MIGRATION_PAGE})`,
      );
    case 'migrationInProgress':
      return warn(
        `Policy migration in progress (policyMigrationState=migrationInProgress): ${LEGACY}, ${NOT_HIDDEN}`,
        `set Migration Complete when done (${MIGRATION_PAGE})`,
      );
    case 'unknown':
      return warn(`Policy migration state not reported: treated as not migrated (${LEGACY}), ${NOT_HIDDEN}`, `check ${MIGRATION_PAGE}`);
  }
}

function methodLine(name: string, summary: MethodConfigurationSummary, complete: boolean, whenDisabled: string): CheckResult {
  if (!summary.enabled) {
    return complete
      ? warn(`${name}: disabled in the tenant, so ${whenDisabled}`, `enable it in ${POLICY_PAGE} if users should have it`)
      : warn(
          `${name}: disabled in this policy, but the legacy settings may still allow it, so the bot still offers it`,
          `finish the migration (${MIGRATION_PAGE}) for this setting to decide alone`,
        );
  }
  const excluded = summary.excludedGroups > 0 ? `, ${summary.excludedGroups} group(s) excluded` : '';
  if (summary.allUsers && summary.excludedGroups === 0) return ok(`${name}: enabled for all users`);
  const scope = summary.allUsers ? 'all users' : `${summary.includedGroups} group(s)`;
  // The bot does not evaluate group membership: a user outside the groups is still offered the method.
  return warn(
    `${name}: enabled for ${scope}${excluded}; users outside them can register but not use it`,
    `target all users in ${POLICY_PAGE}, or tell the helpdesk`,
  );
}

function explainFailure(outcome: Extract<PolicyReadOutcome, { ok: false }>, consentAdvice: string): CheckResult {
  const fallback = 'until it is readable the bot offers SMS, voice and office phone as allowed';
  const status = outcome.status !== undefined ? ` (${outcome.status}${outcome.graphCode ? ` ${outcome.graphCode}` : ''})` : '';
  switch (outcome.reason) {
    case 'permission_denied':
      return fail(`Authentication methods policy not readable${status}: ${fallback}`, `add Policy.Read.AuthenticationMethod, then ${consentAdvice}`);
    case 'no_token':
      return warn('Authentication methods policy not checked: no Graph token');
    case 'timeout':
      return warn(`Authentication methods policy not read: Graph did not answer in time; ${fallback}`, 'run the doctor again later');
    case 'unavailable':
      return warn(`Authentication methods policy not read: Graph unavailable${status}; ${fallback}`, 'check outbound https to Graph and run the doctor again');
    case 'unreadable':
      return warn(`Authentication methods policy not read: unexpected answer${status}; ${fallback}`, 'check GRAPH_BASE_URL');
  }
}
