/**
 * Which notice about Microsoft's phone MFA retirement a user or admin should see. What Microsoft says
 * (Entra documentation, "concept-sms-voice-retirement"): Microsoft-provided telecom delivery of SMS and
 * voice codes ends on 1 February 2027, for MFA and SSPR alike, in the public cloud, with no opt-out;
 * customers who still need these methods configure customer-managed providers through the Microsoft
 * Security Store; since 1 September 2026 users enabled for SMS or voice are prompted to register a
 * passkey. The notices say this and nothing more.
 */
export type TelephonyNotice = 'none' | 'before_retirement' | 'after_retirement_no_provider';

/** Inputs of {@link telephonyNotice}. */
export interface TelephonyNoticeInput {
  readonly today: Date;
  /** The day Microsoft stops delivering SMS and voice MFA itself, as YYYY-MM-DD. */
  readonly retirementDate: string;
  /** The tenant routes phone MFA through its own telecom provider. */
  readonly providerConfigured: boolean;
}

/**
 * Decides the notice: none when the tenant has its own telecom provider; a short heads-up before
 * the retirement date; after it, a warning that a phone will not work for sign-in (point to
 * passkeys or Microsoft Authenticator instead). The date starts at 00:00 UTC.
 * PHONE_MFA_RETIREMENT_DATE defaults to 2027-02-01.
 * Throws RangeError when retirementDate is not a real calendar date.
 */
export function telephonyNotice(input: TelephonyNoticeInput): TelephonyNotice {
  const retirement = parseRetirementDate(input.retirementDate);
  if (input.providerConfigured) return 'none';
  return input.today.getTime() < retirement ? 'before_retirement' : 'after_retirement_no_provider';
}

/** Milliseconds since the epoch of 00:00 UTC on a YYYY-MM-DD date; RangeError for anything else (2027-02-30 too). */
export function parseRetirementDate(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const time = Date.UTC(year, month - 1, day);
    const date = new Date(time);
    // Date.UTC rolls 2027-02-30 over to March; a round trip catches it.
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return time;
  }
  throw new RangeError(`Not a calendar date in the form YYYY-MM-DD: "${value}"`);
}
