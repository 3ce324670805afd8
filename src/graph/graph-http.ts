import {
  AuthenticationHandlerOptions,
  Client,
  ResponseType,
  RetryHandlerOptions,
  type FetchOptions,
  type ShouldRetry,
} from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logging/logger';
import { stripTrailing } from '../text/strip-trailing';
import { networkOutcome, parseRetryAfter, readOutcome, type GraphOutcome } from './graph-outcome';

/** Options for {@link GraphHttp}. */
export interface GraphHttpOptions {
  /** Graph root without version; defaults to `https://graph.microsoft.com`. */
  readonly baseUrl?: string;
  /** Passed to every `fetch`, e.g. `{ dispatcher }` to trust a test certificate. */
  readonly fetchOptions?: FetchOptions;
  /** Time limit in ms for one call, including any retries the client makes. */
  readonly timeoutMs: number;
  /** Receives one line per call (path, status, request id; never a body or a token). Silent without one. */
  readonly logger?: Logger;
}

/** One Graph request. */
export interface GraphCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** A path below the version root (a query string is allowed), or Graph's own absolute `@odata.nextLink`. */
  readonly path: string;
  /** The bearer token; the caller decides how often to ask for one and what a failure to get one means. */
  readonly token: string;
  /** Graph version when not v1.0. */
  readonly version?: 'beta';
  readonly body?: unknown;
  /**
   * For a GET: lets the client retry 429, 503 and 504 while the server's `Retry-After` fits this many
   * ms. Absent: no retry in the client. Writes never retry here (the client's default would retry a
   * POST too, and a create that timed out may have been committed): the caller re-reads, reconciles
   * and decides.
   */
  readonly retryWithinMs?: number;
  /** The caller's own attempt number, for the log. */
  readonly attempt?: number;
}

const DEFAULT_BASE_URL = 'https://graph.microsoft.com';
/** Wait used when a 429 carries no `Retry-After`. */
export const DEFAULT_THROTTLE_WAIT_SECONDS = 1;
/** Retries the client may make for one GET. */
const CLIENT_RETRIES = 2;

/**
 * Every Graph request goes through here, on `@microsoft/microsoft-graph-client`: the token attached
 * only to the Graph root it was given, a time limit per call, bounded `Retry-After` handling, and
 * the answer read into a {@link GraphOutcome} (status, Graph's error code and request id) instead of
 * a thrown error, so each caller maps it to its own domain errors.
 */
export class GraphHttp {
  private readonly client: Client;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;
  /** The Graph root, without a trailing slash. */
  readonly baseUrl: string;

  constructor(options: GraphHttpOptions) {
    const baseUrl = stripTrailing(options.baseUrl ?? DEFAULT_BASE_URL, '/');
    this.baseUrl = baseUrl;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
    this.client = Client.initWithMiddleware({
      // Never asked: every request brings its own token (see send).
      authProvider: { getAccessToken: () => Promise.reject(new Error('every Graph request carries its own token')) },
      baseUrl,
      // The client attaches the bearer token only to Graph hosts and these (hostnames, no port).
      customHosts: new Set([new URL(baseUrl).hostname]),
      ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
    });
  }

  /** Sends one request; never throws: a failure is an outcome too. */
  async send(call: GraphCall): Promise<GraphOutcome> {
    const controller = new AbortController();
    const versioned = this.client.api(call.path);
    const token = call.token;
    const request = (call.version ? versioned.version(call.version) : versioned)
      .responseType(ResponseType.RAW)
      .option('signal', controller.signal)
      .middlewareOptions([
        // The token given here rather than through the client's provider, so a failure to get one
        // stays the caller's own error instead of being flattened into a GraphError.
        new AuthenticationHandlerOptions({ getAccessToken: async () => token }),
        call.method === 'GET' && call.retryWithinMs !== undefined ? boundedRetry(call.retryWithinMs) : new RetryHandlerOptions(0, 0, () => false),
      ]);
    const started = Date.now();
    // catch after then: a body read cut off by the abort must not become an unhandled rejection.
    const answered = dispatch(request, call).then(readOutcome).catch(networkOutcome);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<GraphOutcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ kind: 'timeout' });
      }, this.timeoutMs);
    });
    const outcome = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    this.logCall(call, outcome, Date.now() - started);
    return outcome;
  }

  /** True for a link below this Graph root, the only place a token may follow (e.g. `@odata.nextLink`). */
  isOwnLink(url: string): boolean {
    return url.startsWith(`${this.baseUrl}/`);
  }

  private logCall(call: GraphCall, outcome: GraphOutcome, durationMs: number): void {
    if (!this.logger) return;
    // Path and ids only: a phone number travels in the body and never reaches the log.
    const fields = { graphMethod: call.method, graphVersion: call.version ?? 'v1.0', path: call.path, attempt: call.attempt, durationMs };
    if (outcome.kind === 'response') {
      const entry = { ...fields, status: outcome.status, requestId: outcome.requestId, graphCode: outcome.graphCode };
      if (outcome.status < 400) this.logger.debug(entry, 'graph call');
      else this.logger.warn(entry, 'graph call failed');
    } else if (outcome.kind === 'timeout') {
      this.logger.warn({ ...fields, timeoutMs: this.timeoutMs }, 'graph call timed out');
    } else {
      this.logger.warn({ ...fields, detail: outcome.detail }, 'graph call failed without a response');
    }
  }
}

/** Lets the client retry while the server's wait fits the budget. */
function boundedRetry(maxWaitMs: number): RetryHandlerOptions {
  const maxWaitSeconds = maxWaitMs / 1000;
  const shouldRetry: ShouldRetry = (_delay, _attempt, _request, _options, response) => {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    return (retryAfter ?? DEFAULT_THROTTLE_WAIT_SECONDS) <= maxWaitSeconds;
  };
  return new RetryHandlerOptions(DEFAULT_THROTTLE_WAIT_SECONDS, CLIENT_RETRIES, shouldRetry);
}

/** The part of the client's request builder this file calls. */
interface RequestVerbs {
  get(): Promise<unknown>;
  post(content: unknown): Promise<unknown>;
  patch(content: unknown): Promise<unknown>;
  delete(): Promise<unknown>;
}

function dispatch(request: RequestVerbs, call: GraphCall): Promise<unknown> {
  switch (call.method) {
    case 'GET':
      return request.get();
    case 'POST':
      return request.post(call.body);
    case 'PATCH':
      return request.patch(call.body);
    case 'DELETE':
      return request.delete();
  }
}
