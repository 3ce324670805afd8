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
import { stripTrailing } from '../text/strip-trailing';
import { findRuleViolation } from './graph-phone-rules';
import {
  DirectoryError,
  UNREADABLE_METHOD_KIND,
  type DirectoryErrorCode,
  type AddedPhoneMethod,
  type AuthMethodSummary,
  type DirectoryWriteResult,
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
/** Extra write attempts after a failure that may or may not have been committed. */
const MAX_AMBIGUOUS_RETRIES = 1;
/** Extra write attempts after 429s, so `Retry-After: 0` forever cannot loop forever. */
const MAX_THROTTLE_RETRIES = 3;
/** Graph's error code for a missing directory object (the user); a missing method answers another code. */
const USER_NOT_FOUND_GRAPH_CODE = 'request_resourcenotfound';
const ODATA_TYPE_PREFIX = '#microsoft.graph.';
/** Largest page Graph serves for a user's memberships (the default is 100). */
const MEMBERSHIP_PAGE_SIZE = 999;
/** Pages of memberships read before giving up (fail closed): about 20,000 groups and roles. */
const MAX_MEMBERSHIP_PAGES = 20;

/** What one Graph call came back with, already read. */
type GraphOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly body: unknown;
      readonly requestId?: string;
      readonly graphCode?: string;
      /** Graph's error message: matched, never logged (it may echo the number). */
      readonly graphMessage?: string;
      readonly retryAfterSeconds?: number;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly detail: string };

type ResponseOutcome = Extract<GraphOutcome, { kind: 'response' }>;

type Operation = 'list' | 'create' | 'update' | 'delete';

interface GraphCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly userId: string;
  /** `methods` lists every kind of method; everything else works on `phoneMethods`. */
  readonly collection?: 'phoneMethods' | 'methods';
  /** Another resource instead: a path below the version root, or Graph's own absolute `@odata.nextLink`. */
  readonly path?: string;
  /** Graph version when not v1.0 (hardware OATH tokens are listed in beta only). */
  readonly version?: 'beta';
  /** Addresses one phone method (PATCH, DELETE). */
  readonly methodId?: string;
  readonly body?: unknown;
  readonly attempt?: number;
}

/** A change or removal of one phone method: both are safe to repeat. */
interface WriteCall extends GraphCall {
  readonly method: 'PATCH' | 'DELETE';
  readonly methodId: string;
}

/** {@link PhoneDirectory} backed by Microsoft Graph v1.0 (`/users/{id}/authentication/phoneMethods`), app-only. */
export class GraphPhoneDirectory implements PhoneDirectory {
  private readonly client: Client;
  private readonly tokenProvider: AccessTokenSource;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxThrottleWaitMs: number;
  private readonly baseUrl: string;

  constructor(options: GraphPhoneDirectoryOptions) {
    const baseUrl = stripTrailing(options.baseUrl ?? DEFAULT_BASE_URL, '/');
    this.baseUrl = baseUrl;
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
    const retries = new RetryAllowance(this.maxThrottleWaitMs);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.send({ method: 'POST', userId, body, attempt });
      if (outcome.kind === 'response' && outcome.status === 201) {
        const created = parseMethod(outcome.body) ?? this.fail('graph_error', 'Graph created a phone method but answered an unreadable body', outcome);
        return outcome.requestId ? { ...created, requestId: outcome.requestId } : created;
      }
      if (outcome.kind === 'response' && outcome.status === 429) {
        // A 429 means the create was refused, so retrying cannot add a second phone.
        if (await retries.afterThrottle(outcome)) continue;
        throw toDirectoryError(outcome, 'create');
      }
      if (isAmbiguous(outcome)) {
        // The create may have been committed before the failure: look before trying again.
        const created = await this.findExisting(userId, method);
        if (created) {
          this.logger.info({ userId, phoneType: method.phoneType, attempt }, 'graph create reconciled: the phone method exists');
          return created;
        }
        if (await retries.afterAmbiguousFailure(outcome)) continue;
        throw toDirectoryError(outcome, 'create');
      }
      if (outcome.kind === 'response' && (outcome.status === 400 || outcome.status === 409)) {
        const explained = await this.explainRejection(userId, method, outcome, retries.hadAmbiguousFailure);
        if (explained instanceof DirectoryError) throw explained;
        return explained;
      }
      throw toDirectoryError(outcome, 'create');
    }
  }

  async listAuthenticationMethods(userId: string): Promise<AuthMethodSummary[]> {
    const outcome = await this.send({ method: 'GET', userId, collection: 'methods' });
    if (outcome.kind === 'response' && outcome.status === 200) return this.parseMethodSummaries(outcome);
    throw toDirectoryError(outcome, 'list');
  }

  /**
   * GET /beta/users/{id}/authentication/hardwareOathMethods. Beta, because v1.0 has no such list and its
   * method list leaves hardware tokens out. Least-privileged application permission: the per-method
   * UserAuthMethod-HardwareOATH.Read.All; UserAuthenticationMethod.Read.All, which the bot already
   * holds for the method list, covers it too, so no new permission is needed
   * (https://learn.microsoft.com/graph/api/authentication-list-hardwareoathmethods?view=graph-rest-beta).
   */
  async listHardwareOathMethods(userId: string): Promise<AuthMethodSummary[]> {
    const path = `/users/${encodeURIComponent(userId)}/authentication/hardwareOathMethods`;
    const outcome = await this.send({ method: 'GET', userId, path, version: 'beta' });
    if (outcome.kind === 'response' && outcome.status === 200) return this.parseMethodSummaries(outcome);
    throw toDirectoryError(outcome, 'list');
  }

  /**
   * Transitive membership, read as GET /users/{id}/transitiveMemberOf?$select=id, page by page. Not
   * the `$filter`/cast form: that needs `ConsistencyLevel: eventual`, whose index can lag behind a
   * change of membership. Least-privileged application permission: User.Read.All (GroupMember.Read.All,
   * Group.Read.All and Directory.Read.All also work)
   * (https://learn.microsoft.com/graph/api/user-list-transitivememberof). Hidden-membership groups
   * are not listed without Member.Read.Hidden: do not scope the bot with one.
   */
  async isGroupMember(userId: string, groupId: string): Promise<boolean> {
    let path: string | undefined = `/users/${encodeURIComponent(userId)}/transitiveMemberOf?$select=id&$top=${MEMBERSHIP_PAGE_SIZE}`;
    for (let page = 1; path !== undefined; page++) {
      if (page > MAX_MEMBERSHIP_PAGES) {
        throw new DirectoryError('graph_error', `Graph listed more than ${MAX_MEMBERSHIP_PAGES} pages of memberships`);
      }
      const outcome = await this.send({ method: 'GET', userId, path });
      if (outcome.kind !== 'response' || outcome.status !== 200) throw toDirectoryError(outcome, 'list');
      const body = outcome.body;
      if (!isRecord(body) || !Array.isArray(body.value)) {
        return this.fail('graph_error', 'Graph answered the membership list with an unreadable body', outcome);
      }
      if (body.value.some((item) => isRecord(item) && typeof item.id === 'string' && item.id.toLowerCase() === groupId.toLowerCase())) return true;
      path = this.nextPage(body, outcome);
    }
    return false;
  }

  /** Graph's `@odata.nextLink`, followed only to the Graph root the bot was given (the token goes with it). */
  private nextPage(body: Record<string, unknown>, outcome: ResponseOutcome): string | undefined {
    const next = body['@odata.nextLink'];
    if (next === undefined || next === null) return undefined;
    if (typeof next !== 'string' || !next.startsWith(`${this.baseUrl}/`)) {
      return this.fail('graph_error', 'Graph answered a next page link outside its own root', outcome);
    }
    return next;
  }

  async updatePhoneMethod(userId: string, methodId: string, phoneNumber: string): Promise<DirectoryWriteResult> {
    return this.write({ method: 'PATCH', userId, methodId, body: { phoneNumber } }, 'update');
  }

  async deletePhoneMethod(userId: string, methodId: string): Promise<DirectoryWriteResult> {
    return this.write({ method: 'DELETE', userId, methodId }, 'delete');
  }

  /** PATCH or DELETE: both leave the same state when repeated, so any unclear failure may be retried once. */
  private async write(call: WriteCall, operation: 'update' | 'delete'): Promise<DirectoryWriteResult> {
    const retries = new RetryAllowance(this.maxThrottleWaitMs);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.send({ ...call, attempt });
      if (outcome.kind === 'response' && !isAmbiguous(outcome)) {
        if (outcome.status >= 200 && outcome.status < 300) return writeResult(outcome);
        if (outcome.status === 429 && (await retries.afterThrottle(outcome))) continue;
        if (call.method === 'DELETE' && retries.hadAmbiguousFailure && isMissingMethod(outcome)) {
          // The earlier attempt removed it and only its answer was lost.
          this.logger.info({ userId: call.userId, methodId: call.methodId, attempt }, 'graph delete reconciled: the phone method is gone');
          return writeResult(outcome);
        }
        if (call.method === 'DELETE' && outcome.status === 400) throw await this.explainDeleteRefusal(call, outcome);
        throw toDirectoryError(outcome, operation);
      }
      // No answer or a 5xx: the write may or may not have happened, and repeating it is harmless.
      if (await retries.afterAmbiguousFailure(outcome)) continue;
      throw toDirectoryError(outcome, operation);
    }
  }

  /** Graph gives one code (`badRequest`) for both delete rules: its message names the default, the list shows the other. */
  private async explainDeleteRefusal(call: WriteCall, outcome: ResponseOutcome): Promise<DirectoryError> {
    if (outcome.graphMessage !== undefined && /default authentication method/i.test(outcome.graphMessage)) {
      return new DirectoryError('default_method', 'Graph refused to delete the default authentication method', responseDetails(outcome));
    }
    let existing: PhoneMethod[];
    try {
      existing = await this.listPhoneMethods(call.userId);
    } catch (error) {
      this.logger.warn({ userId: call.userId, err: errorSummary(error) }, 'could not re-read phone methods to explain a refused delete');
      return toDirectoryError(outcome, 'delete');
    }
    const target = existing.find((m) => m.id === call.methodId);
    if (target?.phoneType === 'mobile' && existing.some((m) => m.phoneType === 'alternateMobile')) {
      return new DirectoryError(
        'mobile_required_by_alternate',
        'Graph refused to delete the mobile phone while an alternate mobile phone exists',
        responseDetails(outcome),
      );
    }
    return toDirectoryError(outcome, 'delete');
  }

  /**
   * Graph documents no error codes for its phone rules, so a refused create is explained by
   * re-reading the list: the status says only that it was refused, the list says why.
   */
  private async explainRejection(
    userId: string,
    method: NewPhoneMethod,
    outcome: ResponseOutcome,
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
    const path = graphPath(call);
    const controller = new AbortController();
    const versioned = this.client.api(path);
    const request = (call.version ? versioned.version(call.version) : versioned)
      .responseType(ResponseType.RAW)
      .option('signal', controller.signal)
      .middlewareOptions([
        new AuthenticationHandlerOptions({ getAccessToken: async () => token }),
        // Writes retry here, not in the client: a POST may have been committed, and a DELETE's
        // retry must know it is one to read a 404 as success.
        call.method === 'GET' ? this.boundedRetry() : new RetryHandlerOptions(0, 0, () => false),
      ]);
    const started = Date.now();
    const pending = dispatch(request, call);
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

  private parseList(outcome: ResponseOutcome): PhoneMethod[] {
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

  private parseMethodSummaries(outcome: ResponseOutcome): AuthMethodSummary[] {
    const body = outcome.body;
    if (!isRecord(body) || !Array.isArray(body.value)) {
      return this.fail('graph_error', 'Graph answered the authentication method list with an unreadable body', outcome);
    }
    const summaries: AuthMethodSummary[] = [];
    for (const item of body.value) {
      const summary = parseMethodSummary(item);
      if (summary) {
        summaries.push(summary);
        continue;
      }
      // Kept, not skipped: the gate counts it as a method it cannot check, so it fails closed.
      this.logger.warn({ requestId: outcome.requestId }, 'unreadable authentication method in the list; counted as one the bot cannot check');
      summaries.push({ id: isRecord(item) && typeof item.id === 'string' ? item.id : '', kind: UNREADABLE_METHOD_KIND });
    }
    return summaries;
  }

  private fail(code: DirectoryErrorCode, message: string, outcome: ResponseOutcome): never {
    throw new DirectoryError(code, message, responseDetails(outcome));
  }
}

/**
 * How much retrying one write may still do: 429s and at most one unclear failure, with all
 * `Retry-After` waits drawn from one budget.
 */
class RetryAllowance {
  private waitedMs = 0;
  private throttleRetries = 0;
  private ambiguousFailures = 0;

  constructor(private readonly maxWaitMs: number) {}

  /** True once an attempt failed without a clear answer, so a later refusal may be our own earlier success. */
  get hadAmbiguousFailure(): boolean {
    return this.ambiguousFailures > 0;
  }

  /** Waits out a 429 and returns true, or returns false at once when the budget does not allow another try. */
  async afterThrottle(outcome: ResponseOutcome): Promise<boolean> {
    const waitMs = (outcome.retryAfterSeconds ?? DEFAULT_THROTTLE_WAIT_SECONDS) * 1000;
    if (this.throttleRetries >= MAX_THROTTLE_RETRIES || !this.spend(waitMs)) return false;
    this.throttleRetries++;
    await sleep(waitMs);
    return true;
  }

  /** Counts an unclear failure and waits any `Retry-After` (503); false when no retry is left. */
  async afterAmbiguousFailure(outcome: GraphOutcome): Promise<boolean> {
    this.ambiguousFailures++;
    if (this.ambiguousFailures > MAX_AMBIGUOUS_RETRIES) return false;
    const waitMs = outcome.kind === 'response' ? (outcome.retryAfterSeconds ?? 0) * 1000 : 0;
    if (!this.spend(waitMs)) return false;
    if (waitMs > 0) await sleep(waitMs);
    return true;
  }

  private spend(waitMs: number): boolean {
    if (this.waitedMs + waitMs > this.maxWaitMs) return false;
    this.waitedMs += waitMs;
    return true;
  }
}

function graphPath(call: GraphCall): string {
  if (call.path !== undefined) return call.path;
  const collection = `/users/${encodeURIComponent(call.userId)}/authentication/${call.collection ?? 'phoneMethods'}`;
  return call.methodId === undefined ? collection : `${collection}/${encodeURIComponent(call.methodId)}`;
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

function writeResult(outcome: ResponseOutcome): DirectoryWriteResult {
  return outcome.requestId ? { requestId: outcome.requestId } : {};
}

/** A 404 for the method itself, as opposed to the user (who is a directory object with its own code). */
function isMissingMethod(outcome: ResponseOutcome): boolean {
  return outcome.status === 404 && outcome.graphCode?.toLowerCase() !== USER_NOT_FOUND_GRAPH_CODE;
}

function isAmbiguous(outcome: GraphOutcome): boolean {
  return outcome.kind !== 'response' || outcome.status >= 500;
}

function toDirectoryError(outcome: GraphOutcome, operation: Operation): DirectoryError {
  if (outcome.kind === 'timeout') return new DirectoryError('graph_timeout', `Graph ${operation} timed out`);
  if (outcome.kind === 'network') {
    return new DirectoryError('graph_unavailable', `Graph ${operation} failed without a response`);
  }
  const code = codeForResponse(outcome, operation);
  const graphCode = outcome.graphCode ? ` (${outcome.graphCode})` : '';
  // Graph's own message is left out: it may echo the number.
  return new DirectoryError(code, `Graph ${operation} answered ${outcome.status}${graphCode}`, responseDetails(outcome));
}

function codeForResponse(outcome: ResponseOutcome, operation: Operation): DirectoryErrorCode {
  const status = outcome.status;
  // A delete sends no number, so its 400 cannot be a format problem.
  if (status === 400) return operation === 'delete' ? 'graph_error' : 'invalid_phone_format';
  if (status === 401 || status === 403) return 'permission_denied';
  if (status === 404) {
    const addressesMethod = operation === 'update' || operation === 'delete';
    return addressesMethod && isMissingMethod(outcome) ? 'method_not_found' : 'user_not_found';
  }
  if (status === 409) return 'conflict';
  if (status === 429) return 'graph_throttled';
  if (status >= 500) return 'graph_unavailable';
  return 'graph_error';
}

function responseDetails(outcome: ResponseOutcome): DirectoryError['details'] {
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
    ...(typeof error?.message === 'string' ? { graphMessage: error.message } : {}),
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

function parseMethodSummary(value: unknown): AuthMethodSummary | undefined {
  if (!isRecord(value)) return undefined;
  const { id } = value;
  const type = value['@odata.type'];
  if (typeof id !== 'string' || id === '' || typeof type !== 'string' || type === '') return undefined;
  // A kind Graph adds later keeps its name: callers decide what an unknown kind means.
  const kind = type.startsWith(ODATA_TYPE_PREFIX) ? type.slice(ODATA_TYPE_PREFIX.length) : type;
  return { id, kind };
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
