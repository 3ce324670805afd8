import { parseRetirementDate, telephonyNotice } from '../../src/policy/telephony-notice';
import { fail, ok, warn, type CheckResult } from './check-result';

const DAY_MS = 24 * 60 * 60 * 1000;
const STRONGER = 'recommend passkeys or Microsoft Authenticator to users';

/** Reports where the tenant stands with Microsoft's retirement of its own SMS and voice MFA delivery. */
export function checkTelephony(options: { readonly today: Date; readonly retirementDate: string; readonly providerConfigured: boolean }): CheckResult[] {
  let retirement: number;
  try {
    retirement = parseRetirementDate(options.retirementDate);
  } catch (error) {
    void error; // the message only repeats the value
    return [fail(`PHONE_MFA_RETIREMENT_DATE "${options.retirementDate}" is not a calendar date`, 'use YYYY-MM-DD, e.g. 2027-02-01')];
  }
  const date = options.retirementDate;
  switch (telephonyNotice(options)) {
    case 'none':
      return [
        ok(`Phone MFA after ${date}: a customer-managed telecom provider is configured (TELEPHONY_PROVIDER_CONFIGURED=true; the doctor trusts the setting)`),
      ];
    case 'before_retirement': {
      const days = Math.ceil((retirement - options.today.getTime()) / DAY_MS);
      return [
        warn(
          `Microsoft stops delivering SMS and voice MFA on ${date} (in ${days} days); after that a phone works for sign-in only through a customer-managed telecom provider`,
          `configure one in Entra and set TELEPHONY_PROVIDER_CONFIGURED=true, and ${STRONGER}`,
        ),
      ];
    }
    case 'after_retirement_no_provider':
      return [
        fail(
          `Microsoft no longer delivers SMS and voice MFA (since ${date}) and no telecom provider is configured: registered phones cannot be used to sign in`,
          `configure a customer-managed telecom provider in Entra and set TELEPHONY_PROVIDER_CONFIGURED=true, or ${STRONGER}`,
        ),
      ];
  }
}
