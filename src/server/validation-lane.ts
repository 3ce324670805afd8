import { AuthenticationError } from 'botframework-connector';
import type { Logger } from '../logging/logger';
import type { Scheduler } from '../time/scheduler';
import type { Clock } from '../time/clock';
import { KeysUnavailableError } from './keys-unavailable-error';
import { RetryBackoff, type BackoffPolicy } from './retry-backoff';

/** The errors jsonwebtoken throws once it holds the key: botbuilder has that key cached. */
const KEY_FOUND_ERROR_NAMES: ReadonlySet<string> = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

export interface ValidationLaneOptions {
  /** Longest wait for one botbuilder validation. */
  readonly timeoutMs: number;
  readonly backoff: BackoffPolicy;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly logger?: Logger;
}

class ValidationTimeout extends Error {
  override readonly name = 'ValidationTimeout';
}

/**
 * Runs botbuilder's validation of tokens for one OpenID metadata URL. botbuilder keeps its own copy
 * of the keys and fetches it itself, without a time limit, when it lacks a token's key id (at the
 * start, after a key rotation). So a key id botbuilder has not yet used goes through one call at a
 * time (the others wait for it and then find the key cached), every call has a time limit, and
 * after a failed load the lane answers 503 until the back-off ends instead of letting each request
 * start another unbounded fetch.
 */
export class ValidationLane {
  private readonly cachedKids = new Set<string>();
  private warming?: Promise<unknown>;
  private readonly backoff: RetryBackoff;
  private outageSince?: number;

  constructor(private readonly options: ValidationLaneOptions) {
    this.backoff = new RetryBackoff(options.backoff);
  }

  async run<T>(kid: string, validate: () => Promise<T>): Promise<T> {
    if (this.cachedKids.has(kid)) return this.attempt(kid, validate);
    while (this.warming) {
      // Only waiting for the call ahead to finish; its own caller handles its outcome.
      await this.warming.catch(() => undefined);
      if (this.cachedKids.has(kid)) return this.attempt(kid, validate);
    }
    const now = this.options.clock.now();
    if (this.backoff.isWaiting(now)) throw new KeysUnavailableError(this.backoff.retryAfterSeconds(now));
    const run = this.attempt(kid, validate);
    this.warming = run;
    try {
      return await run;
    } finally {
      if (this.warming === run) this.warming = undefined;
    }
  }

  private async attempt<T>(kid: string, validate: () => Promise<T>): Promise<T> {
    try {
      const result = await this.bounded(validate());
      this.cachedKids.add(kid);
      this.loaded();
      return result;
    } catch (error) {
      if (isKeyLoadFailure(error)) {
        this.cachedKids.delete(kid);
        throw this.failed(error);
      }
      if (error instanceof Error && KEY_FOUND_ERROR_NAMES.has(error.name)) this.cachedKids.add(kid);
      throw error;
    }
  }

  /** The validation, or a ValidationTimeout once the time limit passes (the call itself cannot be stopped). */
  private bounded<T>(work: Promise<T>): Promise<T> {
    const { scheduler, timeoutMs } = this.options;
    return new Promise<T>((resolve, reject) => {
      const cancel = scheduler.schedule(() => reject(new ValidationTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
      work.then(
        (value) => {
          cancel();
          resolve(value);
        },
        (error: unknown) => {
          cancel();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private failed(error: unknown): KeysUnavailableError {
    const now = this.options.clock.now();
    const retryInMs = this.backoff.fail(now);
    const reason = error instanceof Error ? error.message : String(error);
    if (this.outageSince === undefined) {
      this.outageSince = now;
      this.options.logger?.warn({ reason, retryInMs }, 'botbuilder could not load the signing keys: requests that need them are answered 503');
    } else {
      this.options.logger?.debug({ reason, retryInMs }, 'botbuilder still cannot load the signing keys');
    }
    return new KeysUnavailableError(this.backoff.retryAfterSeconds(now));
  }

  private loaded(): void {
    this.backoff.succeed();
    if (this.outageSince === undefined) return;
    this.options.logger?.info({ outageMs: this.options.clock.now() - this.outageSince }, 'botbuilder loaded the signing keys again');
    this.outageSince = undefined;
  }
}

/**
 * botbuilder's signs that it could not fetch the keys, not a verdict on the token: its
 * AuthenticationError with a 5xx status ("Failed to load openID config: 503"), node-fetch's
 * FetchError (refused, reset, invalid JSON), or our time limit.
 */
function isKeyLoadFailure(error: unknown): boolean {
  if (error instanceof ValidationTimeout) return true;
  if (error instanceof AuthenticationError) return error.statusCode >= 500;
  return error instanceof Error && error.name === 'FetchError';
}
