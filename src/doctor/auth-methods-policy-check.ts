import type { MethodConfigurationSummary, PolicyReadOutcome } from '../policy/auth-methods-policy';
import { fail, ok, warn, type CheckResult } from './check-result';

const POLICY_PAGE = 'Entra admin center > Authentication methods > Policies';

/** Reports the tenant's SMS and voice method configurations as the bot will apply them. */
export async function checkAuthMethodsPolicy(options: {
  readonly reader: { readOnce(): Promise<PolicyReadOutcome> };
  readonly consentUrl: string;
}): Promise<CheckResult[]> {
  const outcome = await options.reader.readOnce();
  if (!outcome.ok) return [explainFailure(outcome, options.consentUrl)];

  const results = [methodLine('SMS', outcome.sms, 'the bot offers "Call me" only'), methodLine('Voice call', outcome.voice, 'the bot offers "Receive a code" (SMS) only, and no office or alternate phone')];
  if (!outcome.sms.enabled && !outcome.voice.enabled) {
    results.push(fail('Neither SMS nor voice is enabled: a registered phone cannot be used to sign in', `enable SMS and/or Voice call in ${POLICY_PAGE}`));
  }
  results.push(
    outcome.state.officePhoneAllowed
      ? ok('Office phone: allowed by the voice policy')
      : ok('Office phone: not allowed by the voice policy (isOfficePhoneAllowed=false), so the bot does not offer it'),
  );
  return results;
}

function methodLine(name: string, summary: MethodConfigurationSummary, whenDisabled: string): CheckResult {
  if (!summary.enabled) return warn(`${name}: disabled in the tenant, so ${whenDisabled}`, `enable it in ${POLICY_PAGE} if users should have it`);
  const excluded = summary.excludedGroups > 0 ? `, ${summary.excludedGroups} group(s) excluded` : '';
  if (summary.allUsers && summary.excludedGroups === 0) return ok(`${name}: enabled for all users`);
  const scope = summary.allUsers ? 'all users' : `${summary.includedGroups} group(s)`;
  // The bot does not evaluate group membership: a user outside the groups is still offered the method.
  return warn(
    `${name}: enabled for ${scope}${excluded}; users outside them can register but not use it`,
    `target all users in ${POLICY_PAGE}, or tell the helpdesk`,
  );
}

function explainFailure(outcome: Extract<PolicyReadOutcome, { ok: false }>, consentUrl: string): CheckResult {
  const fallback = 'until it is readable the bot offers SMS, voice and office phone as allowed';
  const status = outcome.status !== undefined ? ` (${outcome.status}${outcome.graphCode ? ` ${outcome.graphCode}` : ''})` : '';
  switch (outcome.reason) {
    case 'permission_denied':
      return fail(`Authentication methods policy not readable${status}: ${fallback}`, `grant Policy.Read.All: ${consentUrl}`);
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
