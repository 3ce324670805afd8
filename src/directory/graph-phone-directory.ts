import type { FetchOptions } from '@microsoft/microsoft-graph-client';
import type { AccessTokenSource } from '../graph/access-token-source';
import { DEFAULT_THROTTLE_WAIT_SECONDS, GraphHttp } from '../graph/graph-http';
import type { GraphThrottleGate } from '../graph/graph-throttle-gate';
import { errorSummary as graphErrorSummary, isAmbiguous, type GraphOutcome, type GraphResponse } from '../graph/graph-outcome';
import { RetryAllowance } from '../graph/retry-allowance';
import type { Logger } from '../logging/logger';
import { systemClock, type Clock } from '../time/clock';
import type { Scheduler } from '../time/scheduler';
import { PHONE_TYPES, type PhoneType } from '../phone/phone-types';
import { findRuleViolation } from './graph-phone-rules';
import { RecentReads } from './recent-reads';
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
  /** Waits out `Retry-After`; Node timers unless a test drives time. */
  readonly scheduler?: Scheduler;
  /** Shares Graph's 429s with the other instances, so all of them hold their writes until `Retry-After`. */
  readonly throttleGate?: Pick<GraphThrottleGate, 'delayBeforeWrite' | 'noteThrottled'>;
  /** Ages the remembered method lists; Node's clock unless a test drives time. */
  readonly clock?: Clock;
  /** How long a user's method list answers again in this process, in ms (0: read every time). Default 60 000. */
  readonly recentReadMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_THROTTLE_WAIT_MS = 5_000;
/** Graph's error code for a missing directory object (the user); a missing method answers another code. */
const USER_NOT_FOUND_GRAPH_CODE = 'request_resourcenotfound';
const ODATA_TYPE_PREFIX = '#microsoft.graph.';
/** Largest page Graph serves for a user's memberships (the default is 100). */
const MEMBERSHIP_PAGE_SIZE = 999;
/** Pages of memberships read before giving up (fail closed): about 20,000 groups and roles. */
const MAX_MEMBERSHIP_PAGES = 20;
/**
 * A user's method list answers again for this long: the welcome and the "Add a phone" press that
 * follows it share one read. The registration gate decides on it, and the gate's answer already
 * stands for minutes (until the proof of possession ends in the write), so a minute more changes
 * little; a write by this instance forgets the list at once, and Graph refuses a second phone of a type.
 */
const DEFAULT_RECENT_READ_MS = 60_000;
/** Users whose list is remembered at once (about 1 KB each). */
const RECENT_READ_USERS = 10_000;
const PHONE_METHOD_KIND = 'phoneAuthenticationMethod';

type Operation = 'list' | 'create' | 'update' | 'delete';

/** One read of a user's methods: every method for the gate, and the phones among them. */
interface MethodList {
  readonly summaries: readonly AuthMethodSummary[];
  readonly phones: readonly PhoneMethod[];
}

interface GraphCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly userId: string;
  /** `methods` lists every kind of method; everything else works on `phoneMethods`. */
  readonly collection?: 'phoneMethods' | 'methods';
  /** Another resource instead: a path below the version root, or Graph's own absolute `@odata.nextLink`. */
  readonly path?: string;
  /** Graph version when not v1.0 (the method list that holds hardware OATH tokens is beta's). */
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

/**
 * {@link PhoneDirectory} backed by Microsoft Graph, app-only: one read of the user's methods (beta
 * `/users/{id}/authentication/methods`) answers both the phones and the gate's "any MFA method", and
 * phone methods are written through v1.0 `/users/{id}/authentication/phoneMethods`.
 */
export class GraphPhoneDirectory implements PhoneDirectory {
  private readonly graph: GraphHttp;
  private readonly tokenProvider: AccessTokenSource;
  private readonly logger: Logger;
  private readonly maxThrottleWaitMs: number;
  private readonly scheduler: Scheduler | undefined;
  private readonly throttleGate: GraphPhoneDirectoryOptions['throttleGate'];
  private readonly recent: RecentReads<MethodList>;

  constructor(options: GraphPhoneDirectoryOptions) {
    this.tokenProvider = options.tokenProvider;
    this.logger = options.logger.child({ module: 'graph-phone-directory' });
    this.maxThrottleWaitMs = options.maxThrottleWaitMs ?? DEFAULT_MAX_THROTTLE_WAIT_MS;
    this.scheduler = options.scheduler;
    this.throttleGate = options.throttleGate;
    this.recent = new RecentReads({
      clock: options.clock ?? systemClock,
      maxAgeMs: options.recentReadMs ?? DEFAULT_RECENT_READ_MS,
      maxEntries: RECENT_READ_USERS,
    });
    this.graph = new GraphHttp({
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      logger: this.logger,
    });
  }

  /** The phones of the user's method list (see {@link readMethods}). */
  async listPhoneMethods(userId: string): Promise<PhoneMethod[]> {
    return (await this.readMethods(userId)).phones.map((m) => ({ ...m }));
  }

  addPhoneMethod(userId: string, method: NewPhoneMethod): Promise<AddedPhoneMethod> {
    return this.changing(userId, () => this.createPhoneMethod(userId, method));
  }

  /**
   * Runs a write of the user's methods with their remembered list forgotten before (a read under way
   * is not kept) and after (whatever the answer, a list read meanwhile may be out of date).
   */
  private async changing<T>(userId: string, write: () => Promise<T>): Promise<T> {
    this.recent.forget(recentKey(userId));
    try {
      return await write();
    } finally {
      this.recent.forget(recentKey(userId));
    }
  }

  private async createPhoneMethod(userId: string, method: NewPhoneMethod): Promise<AddedPhoneMethod> {
    const body = { phoneNumber: method.phoneNumber, phoneType: method.phoneType };
    const retries = new RetryAllowance(this.maxThrottleWaitMs, this.scheduler);
    for (let attempt = 1; ; attempt++) {
      await this.holdWhileThrottled(retries, 'create');
      const outcome = await this.send({ method: 'POST', userId, body, attempt });
      if (outcome.kind === 'response' && outcome.status === 201) {
        const created = parseMethod(outcome.body) ?? this.fail('graph_error', 'Graph created a phone method but answered an unreadable body', outcome);
        return outcome.requestId ? { ...created, requestId: outcome.requestId } : created;
      }
      if (outcome.kind === 'response' && outcome.status === 429) {
        // A 429 means the create was refused, so retrying cannot add a second phone.
        if (await this.afterThrottle(retries, outcome)) continue;
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

  /** Every method of the user's method list, hardware OATH tokens included (see {@link readMethods}). */
  async listAuthenticationMethods(userId: string): Promise<AuthMethodSummary[]> {
    return (await this.readMethods(userId)).summaries.map((m) => ({ ...m }));
  }

  /** The user's method list, as read by this process within the last minute or read now. */
  private readMethods(userId: string): Promise<MethodList> {
    return this.recent.get(recentKey(userId), () => this.fetchMethods(userId));
  }

  /** The phones as Graph has them now, for explaining a write's answer: never a remembered list. */
  private async currentPhones(userId: string): Promise<readonly PhoneMethod[]> {
    this.recent.forget(recentKey(userId));
    return (await this.readMethods(userId)).phones;
  }

  /**
   * GET /beta/users/{id}/authentication/methods: one read for the phones (phoneAuthenticationMethod
   * entries carry `phoneNumber` and `phoneType`,
   * https://learn.microsoft.com/graph/api/resources/phoneauthenticationmethod) and for the gate's
   * "any MFA method". Beta, not v1.0: the list holds the methods its version supports
   * (https://learn.microsoft.com/graph/api/authentication-list-methods?view=graph-rest-beta), and only
   * beta's include hardware OATH tokens
   * (https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview?view=graph-rest-beta),
   * without which a user whose only second factor is a hardware token would look unprotected. The
   * application permission is UserAuthenticationMethod.Read.All (the list's "acting on other users"
   * table), which the v1.0 list needs too. Beta may change: anything in it the bot cannot read counts
   * as a method it cannot check, so a change sends users to the portal rather than past the gate.
   */
  private async fetchMethods(userId: string): Promise<MethodList> {
    const outcome = await this.send({ method: 'GET', userId, collection: 'methods', version: 'beta' });
    if (outcome.kind === 'response' && outcome.status === 200) return this.parseMethodList(outcome);
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
  private nextPage(body: Record<string, unknown>, outcome: GraphResponse): string | undefined {
    const next = body['@odata.nextLink'];
    if (next === undefined || next === null) return undefined;
    if (typeof next !== 'string' || !this.graph.isOwnLink(next)) {
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
  private write(call: WriteCall, operation: 'update' | 'delete'): Promise<DirectoryWriteResult> {
    return this.changing(call.userId, () => this.writeOnce(call, operation));
  }

  private async writeOnce(call: WriteCall, operation: 'update' | 'delete'): Promise<DirectoryWriteResult> {
    const retries = new RetryAllowance(this.maxThrottleWaitMs, this.scheduler);
    for (let attempt = 1; ; attempt++) {
      await this.holdWhileThrottled(retries, operation);
      const outcome = await this.send({ ...call, attempt });
      if (outcome.kind === 'response' && !isAmbiguous(outcome)) {
        if (outcome.status >= 200 && outcome.status < 300) return writeResult(outcome);
        if (outcome.status === 429 && (await this.afterThrottle(retries, outcome))) continue;
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

  /**
   * Before a write: waits while Graph throttles this app (as any instance last heard), from the same
   * budget as the call's other waits. When the wait does not fit, the user is told when to try again
   * instead of the write joining the queue at Graph's door.
   */
  private async holdWhileThrottled(retries: RetryAllowance, operation: 'create' | 'update' | 'delete'): Promise<void> {
    if (!this.throttleGate) return;
    const waitMs = await this.throttleGate.delayBeforeWrite(retries.remainingWaitMs);
    if (waitMs === 0 || (await retries.waitFor(waitMs))) return;
    throw new DirectoryError('graph_throttled', `Graph ${operation} held back while the app is throttled`, {
      retryAfterSeconds: Math.ceil(waitMs / 1000),
    });
  }

  /** A 429: shared with the other instances when there is a gate (which then waits before the next try), else waited out here. */
  private async afterThrottle(retries: RetryAllowance, outcome: GraphResponse): Promise<boolean> {
    if (!this.throttleGate) return retries.afterThrottle(outcome);
    await this.throttleGate.noteThrottled(outcome.retryAfterSeconds ?? DEFAULT_THROTTLE_WAIT_SECONDS);
    return retries.countThrottle();
  }

  /** Graph gives one code (`badRequest`) for both delete rules: its message names the default, the list shows the other. */
  private async explainDeleteRefusal(call: WriteCall, outcome: GraphResponse): Promise<DirectoryError> {
    if (outcome.graphMessage !== undefined && /default authentication method/i.test(outcome.graphMessage)) {
      return new DirectoryError('default_method', 'Graph refused to delete the default authentication method', responseDetails(outcome));
    }
    let existing: readonly PhoneMethod[];
    try {
      existing = await this.currentPhones(call.userId);
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
    outcome: GraphResponse,
    afterAmbiguousFailure: boolean,
  ): Promise<PhoneMethod | DirectoryError> {
    let existing: readonly PhoneMethod[];
    try {
      existing = await this.currentPhones(userId);
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
      const existing = await this.currentPhones(userId);
      return existing.find((m) => m.phoneType === method.phoneType && m.phoneNumber === method.phoneNumber);
    } catch (error) {
      // Unknown whether the create happened; the caller retries once, and a refusal is explained by a new read.
      this.logger.warn({ userId, err: errorSummary(error) }, 'could not re-read phone methods after a failed create');
      return undefined;
    }
  }

  private async send(call: GraphCall): Promise<GraphOutcome> {
    // Asked for here, outside the Graph helper, so a token failure keeps its DirectoryError.
    const token = await this.tokenProvider.getAccessToken();
    return this.graph.send({
      method: call.method,
      path: graphPath(call),
      token,
      ...(call.body !== undefined ? { body: call.body } : {}),
      ...(call.version ? { version: call.version } : {}),
      // Writes retry in this class, not in the client: a POST may have been committed, and a
      // DELETE's retry must know it is one to read a 404 as success.
      ...(call.method === 'GET' ? { retryWithinMs: this.maxThrottleWaitMs } : {}),
      ...(call.attempt !== undefined ? { attempt: call.attempt } : {}),
    });
  }

  private parseMethodList(outcome: GraphResponse): MethodList {
    const body = outcome.body;
    if (!isRecord(body) || !Array.isArray(body.value)) {
      return this.fail('graph_error', 'Graph answered the authentication method list with an unreadable body', outcome);
    }
    const summaries: AuthMethodSummary[] = [];
    const phones: PhoneMethod[] = [];
    for (const item of body.value) {
      const summary = parseMethodSummary(item);
      const phone = summary?.kind === PHONE_METHOD_KIND ? parseMethod(item) : undefined;
      if (summary && (summary.kind !== PHONE_METHOD_KIND || phone)) {
        summaries.push(summary);
        if (phone) phones.push(phone);
        continue;
      }
      // Kept, not skipped: the gate counts it as a method it cannot check, so it fails closed. A phone
      // whose number or type the bot cannot read (a type Graph adds later) is not one it can show,
      // manage or send a step-up code to.
      this.logger.warn({ requestId: outcome.requestId }, 'unreadable authentication method in the list; counted as one the bot cannot check');
      summaries.push({ id: isRecord(item) && typeof item.id === 'string' ? item.id : '', kind: UNREADABLE_METHOD_KIND });
    }
    return { summaries, phones };
  }

  private fail(code: DirectoryErrorCode, message: string, outcome: GraphResponse): never {
    throw new DirectoryError(code, message, responseDetails(outcome));
  }
}

/** Entra object ids are GUIDs, which Graph matches without regard to case. */
function recentKey(userId: string): string {
  return userId.toLowerCase();
}

function graphPath(call: GraphCall): string {
  if (call.path !== undefined) return call.path;
  const collection = `/users/${encodeURIComponent(call.userId)}/authentication/${call.collection ?? 'phoneMethods'}`;
  return call.methodId === undefined ? collection : `${collection}/${encodeURIComponent(call.methodId)}`;
}

function writeResult(outcome: GraphResponse): DirectoryWriteResult {
  return outcome.requestId ? { requestId: outcome.requestId } : {};
}

/** A 404 for the method itself, as opposed to the user (who is a directory object with its own code). */
function isMissingMethod(outcome: GraphResponse): boolean {
  return outcome.status === 404 && outcome.graphCode?.toLowerCase() !== USER_NOT_FOUND_GRAPH_CODE;
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

function codeForResponse(outcome: GraphResponse, operation: Operation): DirectoryErrorCode {
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

function responseDetails(outcome: GraphResponse): DirectoryError['details'] {
  return {
    status: outcome.status,
    ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
    ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
  };
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

/** A short, number-free description of an error for the log. */
function errorSummary(error: unknown): string {
  if (error instanceof DirectoryError) return `${error.code}: ${error.message}`;
  return graphErrorSummary(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
