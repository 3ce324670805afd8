import { z } from 'zod';

/** The environment as the CLIs receive it: every value optional, all strings. */
export type Env = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

/** Hint shown whenever a new GUID is needed. */
export const NEW_GUID_HINT = 'node -e "console.log(crypto.randomUUID())"';

/** A `.env` line like `TEAMS_APP_ID=` means "not set", so blanks count as missing. */
function blankToUndefined(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A required GUID; the messages name the variable and the fix. */
export function requiredGuid(name: string, fix: string) {
  return z.preprocess(blankToUndefined, z.string({ required_error: `${name} is missing: ${fix}` }).regex(GUID, `${name} is not a GUID: ${fix}`));
}

/** An optional GUID; blank means unset. */
export function optionalGuid(name: string, fix: string) {
  return z.preprocess(blankToUndefined, z.string().regex(GUID, `${name} is not a GUID: ${fix}`).optional());
}

/** A required absolute https URL, without query or fragment. */
export function requiredHttpsUrl(name: string, fix: string) {
  return z.preprocess(
    blankToUndefined,
    z.string({ required_error: `${name} is missing: ${fix}` }).refine(isHttpsUrl, `${name} is not an absolute https URL without query or fragment: ${fix}`),
  );
}

/** The public base URL of the bot: https, and reachable from Teams (so not a loopback host). */
export function publicBaseUrl(name: string, fix: string) {
  return requiredHttpsUrl(name, fix).refine(
    (value) => typeof value !== 'string' || !isHttpsUrl(value) || !LOCAL_HOSTS.has(new URL(value).hostname),
    `${name} points to this machine, which Teams cannot reach: ${fix}`,
  );
}

/** A required non-blank string of at most `maxLength` characters. */
export function requiredText(name: string, maxLength: number, fix: string) {
  return z.preprocess(
    blankToUndefined,
    z.string({ required_error: `${name} is missing: ${fix}` }).max(maxLength, `${name} is longer than ${maxLength} characters: ${fix}`),
  );
}

/** An optional string; blank means unset. */
export function optionalText() {
  return z.preprocess(blankToUndefined, z.string().optional());
}

/** Turns zod issues into the one-line problems the CLIs print, in field order. */
export function issuesToProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => issue.message);
}

function isHttpsUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
}
