/**
 * What must never appear in a log line: full phone numbers, codes, tokens and secrets. The list of
 * literal values holds every token and secret the tests hand to the code; the patterns catch the
 * numbers and codes the tests generate.
 */
const TEST_SECRETS: readonly string[] = [
  'e2e-graph-token-7d1f',
  'eyJ0eXAiOiJKV1QifQ.app-only-graph-token.sig',
  'fake-graph-token',
  'fixed-outbound-token-51c9',
  'graph-token-5f1c9e',
  'policy-token-7c21ab',
  'client-secret-value-Qx7~',
  'test-secret-0123456789abcdef',
  'not-a-real-secret',
  'msi-graph-token-value',
  'bm90LWEtcmVhbC1rZXk=',
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
];

const PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['a full phone number (international)', /\+\d{1,3} ?\d{7,14}(?![\dX])/],
  ['a full phone number (national, dialled form)', /(?<![\w-])0\d{1,4}-\d{2,4}-\d{4}(?!\d)/],
  ['the text of a code message', /is your sign-in verification code|サインイン確認コードは/],
  ['a code or digits field in clear', /"(code|digits|otp)":"\d{4,8}"/],
  ['a bearer token', /Bearer (?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/],
  ['a JSON web token', /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}/],
  ['an ACS access key', /accesskey=[A-Za-z0-9+/=]{8,}/i],
];

/** Names what sensitive thing each offending line holds; an empty list means the log is clean. */
export function findSensitive(log: string): string[] {
  const found: string[] = [];
  for (const line of log.split('\n')) {
    if (line.trim() === '') continue;
    for (const [what, pattern] of PATTERNS) {
      if (pattern.test(line)) found.push(`${what}: ${line.slice(0, 300)}`);
    }
    for (const secret of TEST_SECRETS) {
      if (line.includes(secret)) found.push(`a test token or secret: ${line.slice(0, 300)}`);
    }
  }
  return found;
}
