import { checkActivity } from '../../../src/bot/activity-guard';
import { recognizeCommand } from '../../../src/bot/commands';
import { resolveUserId } from '../../../src/bot/resolve-user-id';
import { readSubmit } from '../../../src/dialogs/submit-value';
import { resolveLocale } from '../../../src/i18n/locale';
import { translate } from '../../../src/i18n/messages';
import { maskPhone } from '../../../src/phone/mask-phone';
import { parsePhone } from '../../../src/phone/parse-phone';
import { stripTrailing } from '../../../src/text/strip-trailing';
import { CallCallbackAuth, hashCallbackToken } from '../../../src/verification/acs/call-callback-auth';
import type { CallSession } from '../../../src/verification/acs/call-session-store';
import { CodeVerifier } from '../../../src/verification/code-verifier';
import { ManualClock } from '../../fakes/manual-clock';
import { measureGrowth } from '../../support/growth-ratio';

/**
 * Every path that applies a regular expression (or libphonenumber-js) to text a user or caller controls
 * must cost time linear in that text, or nothing at all beyond a length cap: a backtracking pattern such
 * as `[.!]+$` on a 60 KB message of dots held the event loop for 15 s.
 *
 * This is a complexity check, not a speed threshold: each path runs on an input and on one 4× as long,
 * and the test compares the two costs on the same machine. Capped work grows ≈ 1×, linear ≈ 4×,
 * quadratic ≈ 16×; failing above 8× leaves a factor of two either way for noise. CPU time of the
 * process is measured (see measureGrowth), so other processes on the machine do not count.
 *
 * Sizes: at 15 K characters every quadratic path found in this code base already costs hundreds of
 * milliseconds, orders of magnitude above its linear part, so 15 K → 60 K shows the 16×; larger sizes
 * would only make a regression take minutes to report. Both sizes also stay below V8's large-object
 * threshold (128 KB of string data: 64 K characters outside Latin-1): a string above it is allocated
 * differently at a higher cost per byte, which would look like super-linear growth where there is
 * none. Each path also gets a 256 KB input once (the body limit), to show what it answers.
 *
 * Paths driven and why (the audit of every regular expression in src/ that sees outside text):
 * - recognizeCommand: every typed message.
 * - parsePhone: the number card's number, extension and region fields (libphonenumber-js behind it).
 * - readSubmit: every card submit, before any dialog sees it.
 * - CodeVerifier.check: the typed code, and the DTMF digits of a call.
 * - maskPhone: Graph's numbers and parsed numbers, shown on cards and written to logs.
 * - resolveLocale, resolveUserId, checkActivity: the activity's locale, sender id and tenant.
 * - translate: messages filled with values such as a country name from a submit.
 * - CallCallbackAuth.authenticate: the calls endpoint's Authorization header and query token.
 * - stripTrailing: what replaced the trailing-run patterns, on URLs from the configuration.
 * The HTTP routes use start-anchored patterns only (the activity's conversation id, /demo/messages?to=);
 * test/e2e/oversized-text.e2e.test.ts drives them, and the message path, with oversized input. Patterns
 * that see only configuration or our own text are read by regex-shapes.test.ts.
 */

const SMALL = 15 * 1024;
const LARGE = 4 * SMALL;
const BODY_LIMIT = 256 * 1024;
const MAX_GROWTH = 8;

/** Pathological text of about `length` UTF-16 units; most end in a character that defeats a trailing `$`. */
const INPUTS: ReadonlyArray<readonly [name: string, make: (length: number) => string]> = [
  ['dots, then a letter', (n) => `${'.'.repeat(n)}x`],
  ['exclamation marks, then a letter', (n) => `${'!'.repeat(n)}x`],
  ['ideographic full stops, then a letter', (n) => `${'。'.repeat(n)}x`],
  ['full-width exclamation marks, then a letter', (n) => `${'！'.repeat(n)}x`],
  ['a command, then dots', (n) => `help${'.'.repeat(n)}`],
  ['dots and digits', (n) => '1.'.repeat(n / 2)],
  ['spaces, then a letter', (n) => `${' '.repeat(n)}x`],
  ['full-width spaces, then a letter', (n) => `${'\u3000'.repeat(n)}x`],
  ['full-width letters', (n) => 'Ａ'.repeat(n)],
  ['full-width digits', (n) => '０'.repeat(n)],
  ['digits', (n) => '9'.repeat(n)],
  ['a plus, then digits and spaces', (n) => `+${'1 '.repeat(n / 2)}`],
  ['mention openings', (n) => `${'<at>'.repeat(n / 4)}x`],
  ['an unclosed mention', (n) => `<at>${'a'.repeat(n)}`],
  ['slashes, then a letter', (n) => `${'/'.repeat(n)}x`],
  ['dash look-alikes', (n) => `${'ー'.repeat(n)}x`],
  ['extension markers', (n) => '; ext'.repeat(n / 5)],
  ['base64url, then a dot', (n) => `${'a'.repeat(n)}.`],
];

const clock = new ManualClock();
const verifier = new CodeVerifier({ secret: 'linear-time-test-secret', clock });
const binding = { conversationId: 'a:conv', phoneNumber: '+81 9012345678' };
const { challenge } = verifier.issue(binding);

const CALLBACK_TOKEN = 'callback-token';
const session: CallSession = {
  callId: 'call-1',
  seenEventIds: [],
  locale: 'en',
  tokenHash: hashCallbackToken(CALLBACK_TOKEN),
  startedAt: clock.now(),
  reprompted: false,
  finished: false,
};
// Keys are never fetched: every Authorization header here fails before the signature check.
const callbackAuth = new CallCallbackAuth({
  sessions: { get: async (callId) => (callId === session.callId ? session : undefined) },
  clock,
  jwt: { audience: 'acs-resource-id', jwksUrl: 'http://127.0.0.1:9/keys' },
});

/** Each path, and what it must answer for a 256 KB input of any kind above. */
const PATHS: ReadonlyArray<readonly [name: string, work: (text: string) => unknown, expectHuge: (answer: unknown) => unknown]> = [
  ['recognizeCommand', (text) => recognizeCommand(text), (answer) => expect(answer).toBeUndefined()],
  [
    'parsePhone, number field',
    (text) => parsePhone({ number: text, region: 'JP', phoneType: 'office' }),
    (answer) => expect(answer).toEqual({ ok: false, error: 'too_long' }),
  ],
  [
    'parsePhone, extension field',
    (text) => parsePhone({ number: '03-1234-5678', extension: text, region: 'JP', phoneType: 'office', acceptExtension: true }),
    (answer) => expect(answer).toEqual({ ok: false, error: 'invalid_extension' }),
  ],
  [
    'parsePhone, region field',
    (text) => parsePhone({ number: '090-1234-5678', region: text, phoneType: 'mobile' }),
    (answer) => expect(answer).toEqual({ ok: false, error: 'invalid_country' }),
  ],
  [
    'readSubmit',
    (text) => readSubmit({ action: text, nonce: text, phoneType: text, region: text, number: text, extension: text, code: text, methodId: text }).kind,
    (answer) => expect(answer).not.toBe('submit'),
  ],
  ['readSubmit, number only', (text) => readSubmit({ action: 'number.next', nonce: 'n-1', number: text }).kind, (answer) => expect(answer).not.toBe('submit')],
  ['CodeVerifier.check', (text) => verifier.check(challenge, binding, text).outcome, (answer) => expect(answer).toBe('malformed')],
  ['maskPhone', (text) => maskPhone(text), (answer) => expect(String(answer)).not.toMatch(/\d{5}/u)],
  ['maskPhone, international', (text) => maskPhone(`+${text}`), (answer) => expect(String(answer)).not.toMatch(/\d{5}/u)],
  ['resolveLocale', (text) => resolveLocale(text), (answer) => expect(answer).toBe('en')],
  ['resolveUserId', (text) => resolveUserId({ from: { id: '29:x', name: 'x', aadObjectId: text } }, true), (answer) => expect(answer).toBeUndefined()],
  [
    'checkActivity, tenant',
    (text) =>
      checkActivity(
        { channelId: 'msteams', conversation: { id: 'a:1', tenantId: text, isGroup: false, conversationType: 'personal', name: '' } },
        { tenantId: 'contoso', teamsOnly: true },
      ),
    (answer) => expect(answer).toBe('wrong_tenant'),
  ],
  [
    'translate with a submitted value',
    (text) => translate('en', 'phoneError.invalid_for_region', { country: text }),
    (answer) => expect(String(answer)).toMatch(/^That is not a valid number for /u),
  ],
  [
    'calls endpoint Authorization header',
    (text) => callbackAuth.authenticate({ callId: session.callId, token: CALLBACK_TOKEN, authorization: `Bearer ${text}` }),
    (answer) => expect(answer).resolves.toEqual({ ok: false, reason: 'bad_jwt' }),
  ],
  [
    'calls endpoint query token',
    (text) => callbackAuth.authenticate({ callId: session.callId, token: text }),
    (answer) => expect(answer).resolves.toEqual({ ok: false, reason: 'bad_token' }),
  ],
  ['stripTrailing', (text) => stripTrailing(text, '/'), (answer) => expect(String(answer).endsWith('/')).toBe(false)],
];

describe('work on outside text is linear in its length', () => {
  it('the measurement tells a quadratic pattern from a linear one at these sizes', async () => {
    // The shape that stalled the service, and a linear pass over the same text.
    const slashes = (n: number): string => `${'/'.repeat(n)}x`;
    const quadratic = await measureGrowth((text) => text.replace(/\/+$/u, ''), slashes(SMALL), slashes(LARGE));
    const linear = await measureGrowth((text) => stripTrailing(text.normalize('NFKC'), '/'), slashes(SMALL), slashes(LARGE));
    expect(quadratic.ratio).toBeGreaterThan(MAX_GROWTH);
    expect(linear.ratio).toBeLessThan(MAX_GROWTH);
  });

  describe.each(PATHS)('%s', (_name, work, expectHuge) => {
    it.each(INPUTS)('on %s', async (_input, make) => {
      const growth = await measureGrowth(work, make(SMALL), make(LARGE));
      expect(growth.ratio).toBeLessThan(MAX_GROWTH);
      await expectHuge(work(make(BODY_LIMIT)));
    });
  });
});
