import type { Clock } from '../../../src/time/clock';
import { CodeVerifier, type CodeBinding, type CodeChallenge } from '../../../src/verification/code-verifier';

/** A clock the test moves by hand. */
class FakeClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

const SECRET = 'test-secret-0123456789abcdef';
const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const binding: CodeBinding = { conversationId: 'a:conv-1', phoneNumber: '+81 9012345678' };

function setup(): { clock: FakeClock; verifier: CodeVerifier } {
  const clock = new FakeClock(START);
  return { clock, verifier: new CodeVerifier({ secret: SECRET, clock }) };
}

/** A 6-digit string that is not `code`. */
function otherCode(code: string): string {
  return code
    .split('')
    .map((d, i) => (i === 0 ? String((Number(d) + 1) % 10) : d))
    .join('');
}

describe('CodeVerifier.issue', () => {
  it('issues 6 ASCII digits and a challenge that is plain JSON without the code or the number', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    expect(code).toMatch(/^[0-9]{6}$/);
    const json = JSON.stringify(challenge);
    expect(JSON.parse(json)).toEqual(challenge);
    expect(json).not.toContain(code);
    expect(json).not.toContain('9012345678');
    expect(challenge).toMatchObject({
      issuedAt: START,
      expiresAt: START + 600_000,
      attempts: 0,
      resends: 0,
      lastSentAt: START,
      consumed: false,
      dead: false,
    });
    expect(challenge.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('draws every digit in every position, with leading zeros, over 2000 codes', () => {
    const { verifier } = setup();
    const counts = Array.from({ length: 10 }, () => 0);
    const firstDigits = new Set<string>();
    const distinct = new Set<string>();
    let leadingZeros = 0;
    for (let i = 0; i < 2000; i += 1) {
      const { code } = verifier.issue(binding);
      expect(code).toMatch(/^[0-9]{6}$/);
      distinct.add(code);
      firstDigits.add(code[0]);
      if (code.startsWith('0')) leadingZeros += 1;
      for (const d of code) counts[Number(d)] += 1;
    }
    expect(firstDigits.size).toBe(10);
    expect(leadingZeros).toBeGreaterThan(100); // expected ~200
    expect(distinct.size).toBeGreaterThan(1980); // collisions among 2000 draws of 10^6 are rare (~2 expected)
    // 12000 digits, ~1200 each; a uniform source stays far inside these bounds.
    for (const count of counts) {
      expect(count).toBeGreaterThan(1000);
      expect(count).toBeLessThan(1400);
    }
  });

  it('stores a hash that differs from the code and changes with the conversation, the number and the secret', () => {
    const { clock, verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    expect(challenge.hash).not.toBe(code);
    // Recompute what the hash would be under another binding by checking that the same code fails there.
    const otherConversation = { ...binding, conversationId: 'a:conv-2' };
    const otherNumber = { ...binding, phoneNumber: '+81 9012345679' };
    expect(verifier.check(challenge, otherConversation, code).outcome).toBe('wrong_code');
    expect(verifier.check(challenge, otherNumber, code).outcome).toBe('wrong_code');
    const otherSecret = new CodeVerifier({ secret: 'another-secret-0123456789', clock });
    expect(otherSecret.check(challenge, binding, code).outcome).toBe('wrong_code');
    expect(verifier.check(challenge, binding, code).outcome).toBe('verified');
  });

  it('gives two issues for the same binding different hashes', () => {
    const { verifier } = setup();
    const hashes = new Set(Array.from({ length: 20 }, () => verifier.issue(binding).challenge.hash));
    expect(hashes.size).toBeGreaterThan(18);
  });

  it.each([
    [{ secret: 'short' }, /secret/],
    [{ secret: Buffer.alloc(0) }, /secret/],
    [{ secret: SECRET, ttlMs: 0 }, /ttlMs/],
    [{ secret: SECRET, maxAttempts: 1.5 }, /maxAttempts/],
    [{ secret: SECRET, resendCooldownMs: -1 }, /resendCooldownMs/],
    [{ secret: SECRET, codeLength: 3 }, /codeLength/],
  ])('refuses bad options %p', (options, message) => {
    expect(() => new CodeVerifier({ clock: new FakeClock(START), ...options })).toThrow(message);
  });
});

describe('CodeVerifier.check', () => {
  it('verifies the right code once, then answers already_used even for the right code', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    const first = verifier.check(challenge, binding, code);
    expect(first.outcome).toBe('verified');
    expect(first.challenge.consumed).toBe(true);
    expect(challenge.consumed).toBe(false); // the input is not mutated
    expect(verifier.check(first.challenge, binding, code).outcome).toBe('already_used');
    expect(verifier.check(first.challenge, binding, otherCode(code)).outcome).toBe('already_used');
    expect(verifier.check(first.challenge, binding, 'x').outcome).toBe('already_used');
  });

  it('counts attemptsLeft down and kills the code on the 5th wrong guess for good', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    const wrong = otherCode(code);
    let current: CodeChallenge = challenge;
    const seen: Array<[string, number]> = [];
    for (let i = 0; i < 5; i += 1) {
      const result = verifier.check(current, binding, wrong);
      seen.push([result.outcome, result.attemptsLeft]);
      current = result.challenge;
    }
    expect(seen).toEqual([
      ['wrong_code', 4],
      ['wrong_code', 3],
      ['wrong_code', 2],
      ['wrong_code', 1],
      ['too_many_attempts', 0],
    ]);
    expect(current).toMatchObject({ attempts: 5, dead: true });
    const later = verifier.check(current, binding, code);
    expect(later).toMatchObject({ outcome: 'too_many_attempts', attemptsLeft: 0 });
    expect(verifier.check(later.challenge, binding, '12').outcome).toBe('too_many_attempts');
  });

  it('still verifies on the 5th try after 4 wrong ones', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    let current = challenge;
    for (let i = 0; i < 4; i += 1) current = verifier.check(current, binding, otherCode(code)).challenge;
    expect(verifier.check(current, binding, code).outcome).toBe('verified');
  });

  it.each(['', '   ', '12345', '1234567', '12a456', '１２３', '12345#', '*123456', '1'.repeat(100)])('calls %p malformed without using an attempt', (input) => {
    const { verifier } = setup();
    const { challenge } = verifier.issue(binding);
    const result = verifier.check(challenge, binding, input);
    expect(result).toMatchObject({ outcome: 'malformed', attemptsLeft: 5 });
    expect(result.challenge.attempts).toBe(0);
  });

  it('keeps attemptsLeft unchanged on malformed input after wrong guesses', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    const afterWrong = verifier.check(challenge, binding, otherCode(code));
    const afterMalformed = verifier.check(afterWrong.challenge, binding, 'abc');
    expect(afterMalformed).toMatchObject({ outcome: 'malformed', attemptsLeft: 4 });
  });

  it.each([
    ['spaces', (c: string) => ` ${c.slice(0, 3)} ${c.slice(3)} `],
    ['dashes', (c: string) => `${c.slice(0, 3)}-${c.slice(3)}`],
    ['full-width digits', (c: string) => c.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
    [
      'full-width digits, ideographic space and long dash',
      (c: string) => `${c.slice(0, 3)}\u3000ー${c.slice(3)}`.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))),
    ],
  ])('normalizes %s', (_name, form) => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    expect(verifier.check(challenge, binding, form(code)).outcome).toBe('verified');
  });

  it('expires at exactly issuedAt + 10 minutes (inclusive), not 1 ms before', () => {
    const { clock, verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    clock.advance(600_000 - 1);
    expect(verifier.check(challenge, binding, code).outcome).toBe('verified');
    clock.advance(1);
    expect(verifier.check(challenge, binding, code)).toMatchObject({ outcome: 'expired', attemptsLeft: 0 });
    clock.advance(60_000);
    expect(verifier.check(challenge, binding, code).outcome).toBe('expired');
  });

  it('honours a custom ttl and attempt limit', () => {
    const clock = new FakeClock(START);
    const verifier = new CodeVerifier({ secret: SECRET, clock, ttlMs: 1000, maxAttempts: 2 });
    const { code, challenge } = verifier.issue(binding);
    const once = verifier.check(challenge, binding, otherCode(code));
    expect(once).toMatchObject({ outcome: 'wrong_code', attemptsLeft: 1 });
    expect(verifier.check(once.challenge, binding, otherCode(code)).outcome).toBe('too_many_attempts');
    clock.advance(1000);
    expect(verifier.check(challenge, binding, code).outcome).toBe('expired');
  });

  it('never verifies a code bound to another conversation or number, and counts those as wrong', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    const elsewhere = verifier.check(challenge, { ...binding, conversationId: 'a:conv-other' }, code);
    expect(elsewhere).toMatchObject({ outcome: 'wrong_code', attemptsLeft: 4 });
    const otherNumber = verifier.check(elsewhere.challenge, { ...binding, phoneNumber: '+81 8012345678' }, code);
    expect(otherNumber).toMatchObject({ outcome: 'wrong_code', attemptsLeft: 3 });
  });

  it('does not let the separator between binding parts be shifted to forge a match', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue({ conversationId: 'ab', phoneNumber: 'c' });
    expect(verifier.check(challenge, { conversationId: 'a', phoneNumber: 'bc' }, code).outcome).toBe('wrong_code');
  });

  it('treats a corrupt stored hash as a non-match instead of throwing', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    for (const hash of ['', 'zz', challenge.hash.slice(2), `${challenge.hash}00`]) {
      expect(verifier.check({ ...challenge, hash }, binding, code).outcome).toBe('wrong_code');
    }
  });

  it('checks DTMF digits from a call the same way as typed input', () => {
    const { verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    expect(verifier.check(challenge, binding, `${code}#`).outcome).toBe('malformed');
    expect(verifier.check(challenge, binding, code).outcome).toBe('verified');
  });
});

describe('CodeVerifier.resend', () => {
  it('enforces the 30 s cooldown: 29 s → cooldown with the seconds left, 30 s → a new code', () => {
    const { clock, verifier } = setup();
    const { challenge } = verifier.issue(binding);
    expect(verifier.secondsUntilResend(challenge)).toBe(30);
    clock.advance(29_000);
    expect(verifier.resend(challenge, binding)).toEqual({ ok: false, reason: 'cooldown', retryInSeconds: 1 });
    expect(verifier.secondsUntilResend(challenge)).toBe(1);
    clock.advance(500);
    expect(verifier.secondsUntilResend(challenge)).toBe(1); // rounded up, never 0 while refused
    clock.advance(500);
    expect(verifier.secondsUntilResend(challenge)).toBe(0);
    const result = verifier.resend(challenge, binding);
    expect(result.ok).toBe(true);
  });

  it('issues a new code that verifies while the old one stops, resetting attempts and the expiry', () => {
    const { clock, verifier } = setup();
    const first = verifier.issue(binding);
    const wrong = verifier.check(first.challenge, binding, otherCode(first.code));
    clock.advance(30_000);
    const result = verifier.resend(wrong.challenge, binding);
    if (!result.ok) throw new Error(`resend refused: ${result.reason}`);
    expect(result.code).toMatch(/^[0-9]{6}$/);
    expect(result.challenge).toMatchObject({
      attempts: 0,
      resends: 1,
      issuedAt: START + 30_000,
      expiresAt: START + 630_000,
      lastSentAt: START + 30_000,
      dead: false,
    });
    if (result.code !== first.code) {
      expect(verifier.check(result.challenge, binding, first.code).outcome).toBe('wrong_code');
    }
    expect(verifier.check(result.challenge, binding, result.code).outcome).toBe('verified');
  });

  it('allows 3 resends per challenge, then resend_limit', () => {
    const { clock, verifier } = setup();
    let { challenge } = verifier.issue(binding);
    for (let i = 1; i <= 3; i += 1) {
      clock.advance(30_000);
      const result = verifier.resend(challenge, binding);
      if (!result.ok) throw new Error(`resend ${i} refused: ${result.reason}`);
      expect(result.challenge.resends).toBe(i);
      expect(verifier.resendsLeft(result.challenge)).toBe(3 - i);
      challenge = result.challenge;
    }
    clock.advance(30_000);
    expect(verifier.resend(challenge, binding)).toEqual({ ok: false, reason: 'resend_limit' });
    clock.advance(3_600_000);
    expect(verifier.resend(challenge, binding)).toEqual({ ok: false, reason: 'resend_limit' });
  });

  it('reports resend_limit before the cooldown', () => {
    const { verifier } = setup();
    const { challenge } = verifier.issue(binding);
    expect(verifier.resend({ ...challenge, resends: 3 }, binding)).toEqual({ ok: false, reason: 'resend_limit' });
  });

  it('replaces a dead code with a live one', () => {
    const { clock, verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    let current = challenge;
    for (let i = 0; i < 5; i += 1) current = verifier.check(current, binding, otherCode(code)).challenge;
    expect(current.dead).toBe(true);
    clock.advance(30_000);
    const result = verifier.resend(current, binding);
    if (!result.ok) throw new Error(`resend refused: ${result.reason}`);
    expect(result.challenge).toMatchObject({ dead: false, attempts: 0 });
    expect(verifier.check(result.challenge, binding, result.code).outcome).toBe('verified');
  });

  it('refuses to resend a challenge that already verified', () => {
    const { clock, verifier } = setup();
    const { code, challenge } = verifier.issue(binding);
    const verified = verifier.check(challenge, binding, code).challenge;
    clock.advance(30_000);
    expect(verifier.resend(verified, binding)).toEqual({ ok: false, reason: 'already_used' });
  });

  it('binds the resent code to the binding given at resend time', () => {
    const { clock, verifier } = setup();
    const { challenge } = verifier.issue(binding);
    clock.advance(30_000);
    const result = verifier.resend(challenge, binding);
    if (!result.ok) throw new Error('resend refused');
    expect(verifier.check(result.challenge, { ...binding, conversationId: 'a:other' }, result.code).outcome).toBe('wrong_code');
  });

  it('honours a custom cooldown', () => {
    const clock = new FakeClock(START);
    const verifier = new CodeVerifier({ secret: Buffer.alloc(32, 7), clock, resendCooldownMs: 60_000, maxResends: 0 });
    const { challenge } = verifier.issue(binding);
    expect(verifier.secondsUntilResend(challenge)).toBe(60);
    expect(verifier.resend(challenge, binding)).toEqual({ ok: false, reason: 'resend_limit' });
  });
});
