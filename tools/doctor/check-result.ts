/** How one doctor line ends: fine, worth knowing, or blocking production. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One verdict line of the doctor, with the fix when something needs doing. Never holds a secret. */
export interface CheckResult {
  readonly status: CheckStatus;
  readonly title: string;
  readonly fix?: string;
}

/** A titled group of verdicts (one check). */
export interface DoctorSection {
  readonly heading: string;
  readonly results: readonly CheckResult[];
}

/** A passed check. */
export function ok(title: string): CheckResult {
  return { status: 'ok', title };
}

/** Something that works but deserves attention; does not block production. */
export function warn(title: string, fix?: string): CheckResult {
  return fix === undefined ? { status: 'warn', title } : { status: 'warn', title, fix };
}

/** Something production cannot run without. */
export function fail(title: string, fix?: string): CheckResult {
  return fix === undefined ? { status: 'fail', title } : { status: 'fail', title, fix };
}
