import {
  AuthenticationHandlerOptions,
  Client,
  ResponseType,
  RetryHandlerOptions,
  type FetchOptions,
  type ShouldRetry,
} from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logging/logger';
import { PHONE_TYPES, type PhoneType } from '../phone/phone-types';
import { findRuleViolation } from './graph-phone-rules';
import {
  DirectoryError,
  type DirectoryErrorCode,
  type AddedPhoneMethod,
  type NewPhoneMethod,
  type PhoneDirectory,
  type PhoneMethod,
} from './phone-directory';

/** Anything that hands out a Graph access token (the MSAL-backed provider in production). */
export interface AccessTokenSource {
  getAccessToken(): Promise<string>;
}

/** Options for {@link GraphPhoneDirectory}. */
export interface GraphPhoneDirectoryOptions {
  readonly tokenProvider: AccessTokenSource;
  /** Graph root without version; defaults to `https://graph.microsoft.com`. */
  readonly baseUrl?: string;
  /** Passed to every `fetch`, e.g. `{ dispatcher }` to trust a test certificate. */
  readonly fetchOptions?: FetchOptions;
  readonly logger: Logger;
  /** Per-call time limit in ms (a list including its built-in retries, or one create attempt). Default 10 000. */
  readonly timeoutMs?: number;
  /** Longest total wait in ms spent honouring `Retry-After` within one call. Default 5 000. */
  readonly maxThrottleWaitMs?: number;
}

const DEFAULT_BASE_URL = 'https://graph.microsoft.com';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_THROTTLE_WAIT_MS = 5_000;
/** Wait used when a 429 carries no `Retry-After`. */
const DEFAULT_THROTTLE_WAIT_SECONDS = 1;
/** Extra create attempts after a failure that may or may not have been committed. */
const MAX_AMBIGUOUS_RETRIES = 1;
/** Extra create attempts after 429s, so `Retry-After: 0` forever cannot loop forever. */
const MAX_THROTTLE_RETRIES = 3;

/** What one Graph call came back with, already read. */
type GraphOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly body: unknown;
      readonly requestId?: string;
      readonly graphCode?: string;
      readonly retryAfterSeconds?: number;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly detail: string };

interface GraphCall {
  readonly method: 'GET' | 'POST';
  readonly userId: string;
  readonly body?: unknown;
  readonly attempt?: number;
}

/** {@link PhoneDirectory} backed by Microsoft Graph v1.0 (`/users/{id}/authentication/phoneMethods`), app-only. */
export class GraphPhoneDirectory implements PhoneDirectory {
  private readonly client: Client;
  private readonly tokenProvider: AccessTokenSource;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxThrottleWaitMs: number;

  constructor(options: GraphPhoneDirectoryOptions) {
    const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.tokenProvider = options.tokenProvider;
    this.logger = options.logger.child({ module: 'graph-phone-directory' });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxThrottleWaitMs = options.maxThrottleWaitMs ?? DEFAULT_MAX_THROTTLE_WAIT_MS;
    this.client = Client.initWithMiddleware({
      authProvider: { getAccessToken: () => this.tokenProvider.getAccessToken() },
      baseUrl,
      // The client attaches the bearer token only to Graph hosts and these (hostnames, no port).
      customHosts: new Set([new URL(baseUrl).hostname]),
      ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
    });
  }

  async listPhoneMethods(userId: string): Promise<PhoneMethod[]> {
    const outcome = await this.send({ method: 'GET', userId });
    if (outcome.kind === 'response' && outcome.status === 200) return this.parseList(outcome);
    throw toDirectoryError(outcome, 'list');
  }

  async addPhoneMethod(userId: string, method: NewPhoneMethod): Promise<AddedPhoneMethod> {
    const body = { phoneNumber: method.phoneNumber, phoneType: method.phoneType };
    let throttleWaitMs = 0;
    let throttleRetries = 0;
    let ambiguousFailures = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.send({ method: 'POST', userId, body, attempt });
      if (outcome.kind === 'response' && outcome.status === 201) {
        const created = parseMethod(outcome.body) ?? this.fail('graph_error', 'Graph created a phone method but answered an unreadable body', outcome);
        return outcome.requestId ? { ...created, requestId: outcome.requestId } : created;
      }
      if (outcome.kind === 'response' && outcome.status === 429) {
        // A 429 means the create was refused, so retrying cannot add a second phone.
        const waitMs = (outcome.retryAfterSeconds ?? DEFAULT_THROTTLE_WAIT_SECONDS) * 1000;
        if (throttleRetries >= MAX_THROTTLE_RETRIES || throttleWaitMs + waitMs > this.maxThrottleWaitMs) {
          throw toDirectoryError(outcome, 'create');
        }
        throttleRetries++;
        throttleWaitMs += waitMs;
        await sleep(waitMs);
        continue;
      }
      if (isAmbiguous(outcome)) {
        // The create may have been committed before the failure: look before trying again.
        ambiguousFailures++;
        const created = await this.findExisting(userId, method);
        if (created) {
          this.logger.info({ userId, phoneType: method.phoneType, attempt }, 'graph create reconciled: the phone method exists');
          return created;
        }
        if (ambiguousFailures > MAX_AMBIGUOUS_RETRIES) throw toDirectoryError(outcome, 'create');
        // A 503 may say when to come back; honour it while it fits the same budget as 429s.
        const waitMs = outcome.kind === 'response' ? (outcome.retryAfterSeconds ?? 0) * 1000 : 0;
        if (throttleWaitMs + waitMs > this.maxThrottleWaitMs) throw toDirectoryError(outcome, 'create');
        throttleWaitMs += waitMs;
        if (waitMs > 0) await sleep(waitMs);
        continue;
      }
      if (outcome.kind === 'response' && (outcome.status === 400 || outcome.status === 409)) {
        const explained = await this.explainRejection(userId, method, outcome, ambiguousFailures > 0);
        if (explained instanceof DirectoryError) throw explained;
        return explained;
      }
      throw toDirectoryError(outcome, 'create');
    }
  }

  /**
   * Graph documents no error codes for its phone rules, so a refused create is explained by
   * re-reading the list: the status says only that it was refused, the list says why.
   */
  private async explainRejection(
    userId: string,
    method: NewPhoneMethod,
    outcome: Extract<GraphOutcome, { kind: 'response' }>,
    afterAmbiguousFailure: boolean,
  ): Promise<PhoneMethod | DirectoryError> {
    let existing: PhoneMethod[];
    try {
      existing = await this.listPhoneMethods(userId);
    } catch (error) {
      this.logger.warn({ userId, err: errorSummary(error) }, 'could not re-read phone methods to explain a refused create');
      return toDirectoryError(outcome, 'create');
    }
    const same = existing.find((m) => m.phoneType === method.phoneType && m.phoneNumber === method.phoneNumber);
    // Our own earlier attempt went through after all; a retry then trips the one-per-type rule.
    if (same && afterAmbiguousFailure) return same;
    const violation = findRuleViolation(existing, method);
    if (violation) {
      return new DirectoryError(violation, `Graph refused the phone method: ${violation}`, responseDetails(outcome));
    }
    return toDirectoryError(outcome, 'create');
  }

  private async findExisting(userId: string, method: NewPhoneMethod): Promise<PhoneMethod | undefined> {
    try {
      const existing = await this.listPhoneMethods(userId);
      return existing.find((m) => m.phoneType === method.phoneType && m.phoneNumber === method.phoneNumber);
    } catch (error) {
      // Unknown whether the create happened; the caller retries once, and a refusal is explained by a new read.
      this.logger.warn({ userId, err: errorSummary(error) }, 'could not re-read phone methods after a failed create');
      return undefined;
    }
  }

  private async send(call: GraphCall): Promise<GraphOutcome> {
    // Fetched here rather than inside the client so a token failure keeps its DirectoryError;
    // the client would flatten it into a GraphError.
    const token = await this.tokenProvider.getAccessToken();
    const path = `/users/${encodeURIComponent(call.userId)}/authentication/phoneMethods`;
    const controller = new AbortController();
    const request = this.client
      .api(path)
      .responseType(ResponseType.RAW)
      .option('signal', controller.signal)
      .middlewareOptions([
        new AuthenticationHandlerOptions({ getAccessToken: async () => token }),
        // The client's RetryHandler would resend a POST on 429/503/504 even if the create was committed.
        call.method === 'POST' ? new RetryHandlerOptions(0, 0, () => false) : this.boundedRetry(),
      ]);
    const started = Date.now();
    const pending: Promise<unknown> = call.method === 'POST' ? request.post(call.body) : request.get();
    // catch after then: a body read cut off by the abort must not become an unhandled rejection.
    const answered = pending.then(readOutcome).catch(networkOutcome);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<GraphOutcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ kind: 'timeout' });
      }, this.timeoutMs);
    });
    const outcome = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    this.logCall(call, path, outcome, Date.now() - started);
    return outcome;
  }

  /** Lets the client retry a GET only while the server's wait fits the throttle budget. */
  private boundedRetry(): RetryHandlerOptions {
    const maxWaitSeconds = this.maxThrottleWaitMs / 1000;
    const shouldRetry: ShouldRetry = (_delay, _attempt, _request, _options, response) => {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      return (retryAfter ?? DEFAULT_THROTTLE_WAIT_SECONDS) <= maxWaitSeconds;
    };
    return new RetryHandlerOptions(DEFAULT_THROTTLE_WAIT_SECONDS, 2, shouldRetry);
  }

  private logCall(call: GraphCall, path: string, outcome: GraphOutcome, durationMs: number): void {
    // Path and ids only: the number travels in the body and never reaches the log.
    const fields = { graphMethod: call.method, path, attempt: call.attempt, durationMs };
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

  private parseList(outcome: Extract<GraphOutcome, { kind: 'response' }>): PhoneMethod[] {
    const body = outcome.body;
    if (!isRecord(body) || !Array.isArray(body.value)) {
      return this.fail('graph_error', 'Graph answered the phone method list with an unreadable body', outcome);
    }
    const methods: PhoneMethod[] = [];
    for (const item of body.value) {
      const method = parseMethod(item);
      // A phone type Graph adds later is not ours to show or manage: skip it, but say so.
      if (method) methods.push(method);
      else this.logger.warn({ requestId: outcome.requestId }, 'skipped an unreadable phone method in the list');
    }
    return methods;
  }

  private fail(code: DirectoryErrorCode, message: string, outcome: Extract<GraphOutcome, { kind: 'response' }>): never {
    throw new DirectoryError(code, message, responseDetails(outcome));
  }
}

function isAmbiguous(outcome: GraphOutcome): boolean {
  return outcome.kind !== 'response' || outcome.status >= 500;
}

function toDirectoryError(outcome: GraphOutcome, operation: 'list' | 'create'): DirectoryError {
  if (outcome.kind === 'timeout') return new DirectoryError('graph_timeout', `Graph ${operation} timed out`);
  if (outcome.kind === 'network') {
    return new DirectoryError('graph_unavailable', `Graph ${operation} failed without a response`);
  }
  const code = codeForStatus(outcome.status);
  const graphCode = outcome.graphCode ? ` (${outcome.graphCode})` : '';
  // Graph's own message is left out: it may echo the number.
  return new DirectoryError(code, `Graph ${operation} answered ${outcome.status}${graphCode}`, responseDetails(outcome));
}

function codeForStatus(status: number): DirectoryErrorCode {
  if (status === 400) return 'invalid_phone_format';
  if (status === 401 || status === 403) return 'permission_denied';
  if (status === 404) return 'user_not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'graph_throttled';
  if (status >= 500) return 'graph_unavailable';
  return 'graph_error';
}

function responseDetails(outcome: Extract<GraphOutcome, { kind: 'response' }>): DirectoryError['details'] {
  return {
    status: outcome.status,
    ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
    ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
  };
}

/** The part of a fetch `Response` this file reads. */
interface RawResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

function isRawResponse(value: unknown): value is RawResponse {
  return isRecord(value) && typeof value.status === 'number' && typeof value.text === 'function' && isRecord(value.headers);
}

async function readOutcome(raw: unknown): Promise<GraphOutcome> {
  if (!isRawResponse(raw)) return { kind: 'network', detail: 'the client returned no HTTP response' };
  const text = await raw.text();
  const body = parseJson(text);
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const innerError = error && isRecord(error.innerError) ? error.innerError : undefined;
  const innerRequestId = innerError?.['request-id'];
  const requestId = raw.headers.get('request-id') ?? (typeof innerRequestId === 'string' ? innerRequestId : undefined);
  const retryAfterSeconds = raw.status === 429 || raw.status === 503 ? parseRetryAfter(raw.headers.get('retry-after')) : undefined;
  return {
    kind: 'response',
    status: raw.status,
    body,
    ...(requestId ? { requestId } : {}),
    ...(typeof error?.code === 'string' ? { graphCode: error.code } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

function networkOutcome(error: unknown): GraphOutcome {
  return { kind: 'network', detail: errorSummary(error) };
}

function parseMethod(value: unknown): PhoneMethod | undefined {
  if (!isRecord(value)) return undefined;
  const { id, phoneType, phoneNumber } = value;
  if (typeof id !== 'string' || typeof phoneNumber !== 'string' || !isPhoneType(phoneType)) return undefined;
  return { id, phoneType, phoneNumber };
}

function isPhoneType(value: unknown): value is PhoneType {
  return PHONE_TYPES.some((t) => t === value);
}

/** `Retry-After` as seconds: either a number of seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    // Gateways sometimes answer HTML; the status alone then decides.
    void error;
    return undefined;
  }
}

/** A short, number-free description of an error for the log. */
function errorSummary(error: unknown): string {
  if (error instanceof DirectoryError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) {
    const code = isRecord(error) && typeof error.code === 'string' ? ` ${error.code}` : '';
    return `${error.name}${code}: ${error.message}`;
  }
  return String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
