import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../time/clock';

/** What a code is bound to: it verifies only in this conversation and for this number. */
export interface CodeBinding {
  readonly conversationId: string;
  readonly phoneNumber: string;
}

/**
 * The stored state of one verification. Plain JSON (it lives in bot Storage inside dialog state):
 * it never holds the code or the number in clear, only a keyed hash of both plus the conversation.
 */
export interface CodeChallenge {
  /** HMAC-SHA256(secret, conversationId \0 phoneNumber \0 code), hex. */
  readonly hash: string;
  /** When the current code was issued (epoch ms). */
  readonly issuedAt: number;
  /** First instant at which the current code is expired (epoch ms): valid while `now < expiresAt`. */
  readonly expiresAt: number;
  /** Wrong guesses against the current code. */
  readonly attempts: number;
  /** How many times a new code was sent for this challenge (the first send is not a resend). */
  readonly resends: number;
  /** When the current code was last sent (epoch ms); the resend cooldown counts from here. */
  readonly lastSentAt: number;
  /** True once the code verified: it can never verify again. */
  readonly consumed: boolean;
  /** True once the attempt limit was reached: the code can never verify again. */
  readonly dead: boolean;
}

type CheckOutcome = 'verified' | 'wrong_code' | 'expired' | 'too_many_attempts' | 'already_used' | 'malformed';

/** Result of one check; `challenge` is the updated copy to store (the input is never mutated). */
export interface CheckResult {
  readonly outcome: CheckOutcome;
  readonly challenge: CodeChallenge;
  /** Further checks that could still verify the current code; 0 once it is used, dead or expired. */
  readonly attemptsLeft: number;
}

export type ResendResult =
  | { readonly ok: true; readonly code: string; readonly challenge: CodeChallenge }
  | { readonly ok: false; readonly reason: 'cooldown'; readonly retryInSeconds: number }
  | { readonly ok: false; readonly reason: 'resend_limit' }
  /** The challenge already verified: there is nothing left to prove. */
  | { readonly ok: false; readonly reason: 'already_used' };

export interface CodeVerifierOptions {
  /** HMAC key for the stored hashes; at least 16 bytes. Rotating it invalidates pending codes. */
  readonly secret: Buffer | string;
  readonly clock: Clock;
  /** How long a code is valid; default 10 minutes. */
  readonly ttlMs?: number;
  /** Wrong guesses that kill a code; default 5. */
  readonly maxAttempts?: number;
  /** Minimum time between two sends of a challenge; default 30 s. */
  readonly resendCooldownMs?: number;
  /** New codes a challenge may get after the first; default 3. */
  readonly maxResends?: number;
  /** Digits per code; default 6. */
  readonly codeLength?: number;
}

const MIN_SECRET_BYTES = 16;
/** Longer input cannot be a code; cut it off before normalizing so junk costs nothing. */
const MAX_INPUT_CHARS = 64;
/** Spaces and every dash-like character a user or an IME may type between digits. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30fc\uff0d]/gu;

/**
 * Issues and checks one-time phone verification codes (CSPRNG digits, keyed hash, expiry, attempt and
 * resend limits). Pure apart from the clock and the random source; state travels in `CodeChallenge`.
 *
 * Voice: the call path uses the same challenge. `issue()` gives the code shown in the card and passed
 * to the call (`CallRequest.code`); the DTMF digits the callee keys arrive as a `CallOutcome` of kind
 * `digits` and go through `check(challenge, binding, outcome.digits)` exactly like typed input, so
 * wrong digits use up attempts and keys such as `*` or `#` count as malformed.
 */
export class CodeVerifier {
  private readonly secret: Buffer;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxAttempts: number;
  private readonly resendCooldownMs: number;
  private readonly maxResends: number;
  private readonly codeLength: number;

  constructor(options: CodeVerifierOptions) {
    this.secret = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : Buffer.from(options.secret);
    if (this.secret.length < MIN_SECRET_BYTES) {
      throw new RangeError(`CodeVerifier secret must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    this.clock = options.clock;
    this.ttlMs = positiveInteger('ttlMs', options.ttlMs ?? 600_000);
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 5);
    this.resendCooldownMs = nonNegativeInteger('resendCooldownMs', options.resendCooldownMs ?? 30_000);
    this.maxResends = nonNegativeInteger('maxResends', options.maxResends ?? 3);
    this.codeLength = positiveInteger('codeLength', options.codeLength ?? 6);
    if (this.codeLength < 4 || this.codeLength > 12) throw new RangeError('codeLength must be between 4 and 12');
  }

  /** Creates a fresh code for the binding; send `code`, store only `challenge`. */
  issue(binding: CodeBinding): { code: string; challenge: CodeChallenge } {
    return this.newCode(binding, 0);
  }

  /**
   * Checks user input (or DTMF digits) against the challenge. Order: already used, dead, expired,
   * malformed, then the comparison. Expiry is inclusive at `expiresAt`: a check at exactly
   * `issuedAt + ttlMs` is expired. Malformed input does not use an attempt; a wrong code (including
   * a right code for another conversation or number) does.
   */
  check(challenge: CodeChallenge, binding: CodeBinding, input: string): CheckResult {
    if (challenge.consumed) return { outcome: 'already_used', challenge: { ...challenge }, attemptsLeft: 0 };
    if (challenge.dead) return { outcome: 'too_many_attempts', challenge: { ...challenge }, attemptsLeft: 0 };
    if (this.clock.now() >= challenge.expiresAt) return { outcome: 'expired', challenge: { ...challenge }, attemptsLeft: 0 };

    const left = Math.max(0, this.maxAttempts - challenge.attempts);
    const code = this.normalize(input);
    if (code === undefined) return { outcome: 'malformed', challenge: { ...challenge }, attemptsLeft: left };

    if (this.hashMatches(challenge.hash, this.hash(binding, code))) {
      return { outcome: 'verified', challenge: { ...challenge, consumed: true }, attemptsLeft: 0 };
    }
    const attempts = challenge.attempts + 1;
    if (attempts >= this.maxAttempts) {
      return { outcome: 'too_many_attempts', challenge: { ...challenge, attempts, dead: true }, attemptsLeft: 0 };
    }
    return { outcome: 'wrong_code', challenge: { ...challenge, attempts }, attemptsLeft: this.maxAttempts - attempts };
  }

  /**
   * Replaces the code with a new one (the old one stops verifying) when the cooldown since the last
   * send has passed and the resend limit is not reached. Attempts start again for the new code; the
   * resend count carries over. A dead code may be replaced: the resend limit bounds total guesses.
   */
  resend(challenge: CodeChallenge, binding: CodeBinding): ResendResult {
    if (challenge.consumed) return { ok: false, reason: 'already_used' };
    if (challenge.resends >= this.maxResends) return { ok: false, reason: 'resend_limit' };
    const wait = this.secondsUntilResend(challenge);
    if (wait > 0) return { ok: false, reason: 'cooldown', retryInSeconds: wait };
    return { ok: true, ...this.newCode(binding, challenge.resends + 1) };
  }

  /** Whole seconds until the cooldown allows a resend (rounded up); 0 when allowed now. Ignores the resend limit. */
  secondsUntilResend(challenge: CodeChallenge): number {
    const remainingMs = challenge.lastSentAt + this.resendCooldownMs - this.clock.now();
    return remainingMs > 0 ? Math.ceil(remainingMs / 1000) : 0;
  }

  /** Resends still allowed for this challenge (0 = the resend button should go). */
  resendsLeft(challenge: CodeChallenge): number {
    return Math.max(0, this.maxResends - challenge.resends);
  }

  private newCode(binding: CodeBinding, resends: number): { code: string; challenge: CodeChallenge } {
    let code = '';
    for (let i = 0; i < this.codeLength; i += 1) code += String(randomInt(10));
    const now = this.clock.now();
    const challenge: CodeChallenge = {
      hash: this.hash(binding, code),
      issuedAt: now,
      expiresAt: now + this.ttlMs,
      attempts: 0,
      resends,
      lastSentAt: now,
      consumed: false,
      dead: false,
    };
    return { code, challenge };
  }

  private hash(binding: CodeBinding, code: string): string {
    return createHmac('sha256', this.secret).update(`${binding.conversationId}\0${binding.phoneNumber}\0${code}`, 'utf8').digest('hex');
  }

  /** Constant-time comparison; a stored hash of the wrong shape (corrupt state) simply never matches. */
  private hashMatches(storedHex: string, computedHex: string): boolean {
    const computed = Buffer.from(computedHex, 'hex');
    const stored = /^[0-9a-f]+$/u.test(storedHex) ? Buffer.from(storedHex, 'hex') : Buffer.alloc(0);
    if (stored.length !== computed.length) return false;
    return timingSafeEqual(stored, computed);
  }

  /** Trims, removes separators, maps full-width digits to ASCII (NFKC); undefined unless exactly codeLength digits. */
  private normalize(input: string): string | undefined {
    if (typeof input !== 'string' || input.length > MAX_INPUT_CHARS) return undefined;
    const digits = input.normalize('NFKC').trim().replace(SEPARATORS, '');
    return new RegExp(`^[0-9]{${this.codeLength}}$`, 'u').test(digits) ? digits : undefined;
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}
