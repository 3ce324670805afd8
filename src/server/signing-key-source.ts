import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Logger } from '../logging/logger';
import type { Scheduler } from '../time/scheduler';
import type { Clock } from '../time/clock';
import { KeysUnavailableError } from './keys-unavailable-error';
import { RetryBackoff, type BackoffPolicy } from './retry-backoff';

/** A signing key as the JWKS publishes it. */
export interface PublishedKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
  /** Channels the key may sign for (Bot Framework keys carry these; Entra ID keys do not). */
  readonly endorsements?: readonly string[];
}

/** When to fetch and how long to wait; every value in milliseconds. */
export interface KeyTiming {
  /** Longest wait for the OpenID metadata and the keys together. */
  readonly fetchTimeoutMs: number;
  /** Age after which known keys are refreshed in the background (they keep working meanwhile). */
  readonly refreshAfterMs: number;
  /** Shortest gap between fetches asked for by an unknown key id while the host answers. */
  readonly unknownKidRefreshMs: number;
  /** Pause after a failed fetch, doubled per consecutive failure up to `maxMs`. */
  readonly backoff: BackoffPolicy;
}

export interface SigningKeySourceOptions {
  readonly metadataUrl: string;
  readonly timing: KeyTiming;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly logger?: Logger;
}

/**
 * The signing keys behind one OpenID metadata URL, fetched with a time limit, one fetch shared by
 * every request waiting for it, a back-off after a failure, and the last good keys kept while a
 * refresh fails. botbuilder's own fetch has none of these: during an outage it fetches again for
 * every request and waits for an answer without limit.
 */
export class SigningKeySource {
  private keys?: ReadonlyMap<string, PublishedKey>;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<void>;
  private readonly backoff: RetryBackoff;
  private outageSince?: number;
  private readonly log?: Logger;

  constructor(private readonly options: SigningKeySourceOptions) {
    this.backoff = new RetryBackoff(options.timing.backoff);
    this.log = options.logger?.child({ metadataUrl: options.metadataUrl });
  }

  /**
   * The published key with this id, or undefined when the host's current keys do not include it.
   * Throws KeysUnavailableError when the keys cannot be fetched and this id is not among the last good ones.
   */
  async lookup(kid: string): Promise<PublishedKey | undefined> {
    const { clock, timing } = this.options;
    const now = clock.now();
    const known = this.keys?.get(kid);
    if (known) {
      if (now - this.fetchedAt >= timing.refreshAfterMs) this.refreshInBackground(now);
      return known;
    }
    // Anyone can put any key id in a token: an unknown one does not get a fetch each time.
    if (this.keys && now - this.fetchedAt < timing.unknownKidRefreshMs) return undefined;
    if (!this.inFlight && this.backoff.isWaiting(now)) throw new KeysUnavailableError(this.backoff.retryAfterSeconds(now));
    await this.refresh();
    return this.keys?.get(kid);
  }

  private refreshInBackground(now: number): void {
    if (this.inFlight || this.backoff.isWaiting(now)) return;
    // The failure is logged once per outage by fetchKeys; the request goes on with the key it has.
    this.refresh().catch(() => undefined);
  }

  /** One fetch at a time; every caller waits for the same one. */
  private refresh(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.fetchKeys().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    const { metadataUrl, timing, scheduler, clock } = this.options;
    const abort = new AbortController();
    const cancelTimer = scheduler.schedule(() => abort.abort(new Error(`no answer within ${timing.fetchTimeoutMs} ms`)), timing.fetchTimeoutMs);
    try {
      const metadata = await getJson(metadataUrl, 'OpenID metadata', abort.signal);
      const jwksUri = typeof metadata === 'object' && metadata !== null ? (metadata as { jwks_uri?: unknown }).jwks_uri : undefined;
      if (typeof jwksUri !== 'string') throw new Error('OpenID metadata has no jwks_uri');
      const keys = publishedKeys(await getJson(jwksUri, 'signing keys', abort.signal));
      if (keys.size === 0) throw new Error('the key set holds no usable RSA key');
      this.keys = keys;
      this.fetchedAt = clock.now();
      this.backoff.succeed();
      if (this.outageSince !== undefined) {
        this.log?.info({ outageMs: clock.now() - this.outageSince }, 'Bot Framework signing keys available again');
        this.outageSince = undefined;
      }
    } catch (error) {
      const now = clock.now();
      const retryInMs = this.backoff.fail(now);
      const reason = abort.signal.aborted ? String((abort.signal.reason as Error | undefined)?.message ?? 'aborted') : describe(error);
      if (this.outageSince === undefined) {
        this.outageSince = now;
        this.log?.warn(
          { reason, retryInMs, lastGoodKeys: this.keys?.size ?? 0 },
          'Bot Framework signing keys unavailable: requests that need them are answered 503 until they can be fetched',
        );
      } else {
        this.log?.debug({ reason, retryInMs }, 'Bot Framework signing keys still unavailable');
      }
      throw new KeysUnavailableError(this.backoff.retryAfterSeconds(now));
    } finally {
      cancelTimer();
    }
  }
}

async function getJson(url: string, what: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' }, redirect: 'error' });
  if (!response.ok) {
    // Drain so the connection can be reused; the body itself is not needed.
    await response.arrayBuffer().catch(() => undefined);
    throw new Error(`${what} answered ${response.status}`);
  }
  return response.json();
}

/** The usable RSA keys of a JWKS by key id (others are left out, as botbuilder leaves them out). */
function publishedKeys(jwks: unknown): Map<string, PublishedKey> {
  const keys = new Map<string, PublishedKey>();
  const list = typeof jwks === 'object' && jwks !== null ? (jwks as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(list)) throw new Error('the key set has no keys array');
  for (const entry of list as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { kid, n, e, endorsements } = entry as Record<string, unknown>;
    if (typeof kid !== 'string' || typeof n !== 'string' || typeof e !== 'string') continue;
    try {
      const publicKey = createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' });
      const endorsed = Array.isArray(endorsements) ? endorsements.filter((x): x is string => typeof x === 'string') : undefined;
      keys.set(kid, { kid, publicKey, ...(endorsed ? { endorsements: endorsed } : {}) });
    } catch {
      // A malformed modulus or exponent: that key cannot verify anything, the others still can.
      continue;
    }
  }
  return keys;
}

/** A fetch failure in a few words, with the network error code when there is one (ECONNREFUSED…). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? `${error.message} (${cause.code})` : error.message;
}
