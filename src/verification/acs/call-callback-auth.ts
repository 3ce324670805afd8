import { createHash, createPublicKey, randomBytes, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../../time/clock';
import type { CallSession } from './call-session-store';

const ACS_CALLBACK_ISSUER = 'https://acscallautomation.communication.azure.com';
const ACS_CALLBACK_JWKS_URL = 'https://acscallautomation.communication.azure.com/calling/keys';

/** Optional second check: the signed JWT ACS puts in each callback's Authorization header. */
export interface AcsCallbackJwtOptions {
  /** The ACS resource's immutable resource id (the token audience). */
  readonly audience: string;
  /** Where the signing keys are; default the public ACS JWKS. */
  readonly jwksUrl?: string;
  /** Expected issuer; default `https://acscallautomation.communication.azure.com`. */
  readonly issuer?: string;
  /** Tolerated clock difference; default 300 s. */
  readonly clockSkewSeconds?: number;
  /** How long fetched keys are trusted before a refetch; default 24 h. */
  readonly keysMaxAgeMs?: number;
}

export interface CallCallbackAuthOptions {
  readonly sessions: { get(callId: string): Promise<CallSession | undefined> };
  readonly clock: Clock;
  readonly jwt?: AcsCallbackJwtOptions;
}

/** What a callback request presents: the query parameters of its URL and its Authorization header. */
export interface CallbackCredentials {
  readonly callId?: string;
  readonly token?: string;
  readonly authorization?: string;
}

export type CallbackAuthResult =
  { readonly ok: true; readonly session: CallSession } | { readonly ok: false; readonly reason: 'missing_token' | 'unknown_call' | 'bad_token' | 'bad_jwt' };

/** A fresh unguessable callback token (256 bits, URL-safe). */
export function newCallbackToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a callback token. */
export function hashCallbackToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const MIN_KEY_REFETCH_MS = 5 * 60_000;

/**
 * Decides whether a POST to the calls endpoint really comes from ACS for a call we started: the
 * per-call token from the callback URL must match (constant-time), and when configured the ACS JWT
 * must verify too.
 */
export class CallCallbackAuth {
  private readonly sessions: CallCallbackAuthOptions['sessions'];
  private readonly clock: Clock;
  private readonly jwt?: Required<AcsCallbackJwtOptions>;
  private keys = new Map<string, KeyObject>();
  private keysFetchedAt = Number.NEGATIVE_INFINITY;

  constructor(options: CallCallbackAuthOptions) {
    this.sessions = options.sessions;
    this.clock = options.clock;
    if (options.jwt) {
      this.jwt = {
        audience: options.jwt.audience,
        jwksUrl: options.jwt.jwksUrl ?? ACS_CALLBACK_JWKS_URL,
        issuer: options.jwt.issuer ?? ACS_CALLBACK_ISSUER,
        clockSkewSeconds: options.jwt.clockSkewSeconds ?? 300,
        keysMaxAgeMs: options.jwt.keysMaxAgeMs ?? 24 * 60 * 60_000,
      };
    }
  }

  /** Checks the credentials; the session is returned only for a genuine callback. */
  async authenticate(credentials: CallbackCredentials): Promise<CallbackAuthResult> {
    if (!credentials.callId || !credentials.token) return { ok: false, reason: 'missing_token' };
    const session = await this.sessions.get(credentials.callId);
    // Hash the presented token even for unknown calls so both paths cost the same.
    const presented = Buffer.from(hashCallbackToken(credentials.token), 'hex');
    if (!session) return { ok: false, reason: 'unknown_call' };
    const wellFormed = /^[0-9a-f]{64}$/u.test(session.tokenHash);
    const stored = wellFormed ? Buffer.from(session.tokenHash, 'hex') : Buffer.alloc(presented.length);
    if (!timingSafeEqual(presented, stored) || !wellFormed) return { ok: false, reason: 'bad_token' };
    if (this.jwt && !(await this.verifyJwt(credentials.authorization, this.jwt))) return { ok: false, reason: 'bad_jwt' };
    return { ok: true, session };
  }

  private async verifyJwt(authorization: string | undefined, options: Required<AcsCallbackJwtOptions>): Promise<boolean> {
    const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/u.exec(authorization ?? '');
    if (!match) return false;
    const [, headerPart, payloadPart, signaturePart] = match;
    const header = parseJsonObject(Buffer.from(headerPart, 'base64url').toString('utf8'));
    const claims = parseJsonObject(Buffer.from(payloadPart, 'base64url').toString('utf8'));
    if (!header || !claims || header.alg !== 'RS256' || typeof header.kid !== 'string') return false;

    const key = await this.keyFor(header.kid, options);
    if (!key) return false;
    const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'utf8');
    if (!verify('sha256', signed, key, Buffer.from(signaturePart, 'base64url'))) return false;

    const now = this.clock.now() / 1000;
    const skew = options.clockSkewSeconds;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== options.issuer || !audiences.includes(options.audience)) return false;
    if (typeof claims.exp !== 'number' || claims.exp + skew < now) return false;
    if (typeof claims.nbf === 'number' && claims.nbf - skew > now) return false;
    return true;
  }

  /** Key by id; refetches the key set when it is old, or (rate-limited) when the id is unknown (key rotation). */
  private async keyFor(kid: string, options: Required<AcsCallbackJwtOptions>): Promise<KeyObject | undefined> {
    const age = this.clock.now() - this.keysFetchedAt;
    const stale = age > options.keysMaxAgeMs;
    if (stale || (!this.keys.has(kid) && age > MIN_KEY_REFETCH_MS)) await this.fetchKeys(options.jwksUrl);
    return this.keys.get(kid);
  }

  private async fetchKeys(jwksUrl: string): Promise<void> {
    this.keysFetchedAt = this.clock.now();
    const response = await fetch(jwksUrl, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`JWKS request failed with HTTP ${response.status}`);
    const body = parseJsonObject(await response.text());
    const keys = new Map<string, KeyObject>();
    for (const jwk of Array.isArray(body?.keys) ? body.keys : []) {
      if (!isRsaJwk(jwk)) continue;
      keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
    }
    this.keys = keys;
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : undefined;
  } catch (error) {
    // Not JSON means not a token or key set we accept; the caller treats undefined as a failed check.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function isRsaJwk(value: unknown): value is JsonWebKey & { kid: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kty' in value &&
    value.kty === 'RSA' &&
    'kid' in value &&
    typeof value.kid === 'string' &&
    'n' in value &&
    typeof value.n === 'string' &&
    'e' in value &&
    typeof value.e === 'string'
  );
}
