import type { Activity } from 'botbuilder';
import { backoffMs, RETRYABLE_STATUSES, type Sleep } from './pacing';

/**
 * Teams' documented cap on the members of one "send message to list of users" request
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages,
 * "Send messages in bulk"): larger lists are refused with 400, so a campaign splits its groups.
 */
export const BATCH_MAX_MEMBERS = 100;

/** Where a batch operation stands (GET /v3/batch/conversation/{operationId}). */
export interface BatchOperationState {
  /** NotStarted, InProgress, Completed, Failed or Cancelled. */
  readonly state: string;
  /** Per HTTP status of the messages handled so far, how many (e.g. {"201": 98, "403": 2}). */
  readonly statusMap: Readonly<Record<string, number>>;
  readonly totalEntriesCount: number;
}

/** One member the operation could not reach, with Teams' error code for it. */
export interface BatchFailedEntry {
  readonly id: string;
  readonly error: string;
}

/** A batch request Teams refused (after the retries for throttling and transient answers). */
export class TeamsBatchError extends Error {
  override readonly name = 'TeamsBatchError';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`Teams answered ${status}${code ? ` ${code}` : ''}`);
  }
}

/** Teams' batch messaging API, as the campaign uses it. */
export interface TeamsBatchApi {
  /** Sends one activity to every member; resolves with the operation id Teams gave the batch. */
  submit(activity: Partial<Activity>, memberIds: readonly string[], tenantId: string): Promise<string>;
  state(operationId: string): Promise<BatchOperationState>;
  /** Every failed entry of a finished operation, following the continuation tokens. */
  failedEntries(operationId: string): Promise<BatchFailedEntry[]>;
}

export interface TeamsBatchClientOptions {
  /** Teams' service URL for the tenant, with its trailing slash. */
  readonly serviceUrl: string;
  /** The bot's Bot Framework token; undefined sends none (a local emulator accepts that). */
  readonly token: () => Promise<string | undefined>;
  /** Resolves when `count` more requests may go to Teams (the shared, tenant-wide rate). */
  readonly pace: (count: number) => Promise<void>;
  readonly sleep: Sleep;
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly fetch?: typeof fetch;
}

/**
 * The batch endpoints of the Bot Connector service for Teams, from Microsoft's REST description
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages,
 * "Send messages in bulk") and botframework-connector 4.23.3's `Teams` operations:
 * - POST {serviceUrl}/v3/batch/conversation/users/ with {members:[{id}], activity, tenantId} → 201 {operationId}
 * - GET  {serviceUrl}/v3/batch/conversation/{operationId} → {state, statusMap, totalEntriesCount, retryAfter}
 * - GET  {serviceUrl}/v3/batch/conversation/failedentries/{operationId}[?continuationToken=] →
 *   {continuationToken, failedEntryResponses:[{id, error}]}
 *
 * Called over HTTP rather than through `TeamsInfo.sendMessageToListOfUsers`, because in 4.23.3 that
 * method serializes only the activity's `type` and `text` (its BatchOperationRequest mapper) and so
 * drops the welcome card; `TeamsInfo.getFailedEntries` cannot pass a continuation token; and their
 * retry helper sleeps in real time up to ten times, outside the campaign's rate. The token is the
 * same one botbuilder's connector client sends.
 *
 * Every request takes its place in the shared rate first; a 429 (or 412, 502, 503, 504) is waited
 * out with Retry-After and jitter, as Teams asks (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
 * A submit counts one request per member: Teams fans it out into one message each, and counting
 * it so keeps the campaign inside the per-app, per-tenant limit whatever Teams counts a batch as.
 */
export class TeamsBatchClient implements TeamsBatchApi {
  constructor(private readonly options: TeamsBatchClientOptions) {}

  async submit(activity: Partial<Activity>, memberIds: readonly string[], tenantId: string): Promise<string> {
    if (memberIds.length === 0 || memberIds.length > BATCH_MAX_MEMBERS) throw new RangeError(`a batch holds 1 to ${BATCH_MAX_MEMBERS} members`);
    const body = await this.call('POST', 'v3/batch/conversation/users/', memberIds.length, {
      members: memberIds.map((id) => ({ id })),
      activity,
      tenantId,
    });
    const operationId = typeof body === 'string' ? body : (body as { operationId?: unknown } | undefined)?.operationId;
    if (typeof operationId !== 'string' || operationId === '') throw new TeamsBatchError(201, 'no operationId');
    return operationId;
  }

  async state(operationId: string): Promise<BatchOperationState> {
    const body = (await this.call('GET', `v3/batch/conversation/${encodeURIComponent(operationId)}`, 1)) as Partial<BatchOperationState> | undefined;
    return { state: String(body?.state ?? ''), statusMap: body?.statusMap ?? {}, totalEntriesCount: Number(body?.totalEntriesCount ?? 0) };
  }

  async failedEntries(operationId: string): Promise<BatchFailedEntry[]> {
    const entries: BatchFailedEntry[] = [];
    let token: string | undefined;
    // Bounded: a service that keeps handing out tokens must not hold the campaign forever.
    for (let page = 0; page < 1_000; page++) {
      const path = `v3/batch/conversation/failedentries/${encodeURIComponent(operationId)}${token ? `?continuationToken=${encodeURIComponent(token)}` : ''}`;
      const body = (await this.call('GET', path, 1)) as { continuationToken?: unknown; failedEntryResponses?: unknown } | undefined;
      for (const entry of Array.isArray(body?.failedEntryResponses) ? (body.failedEntryResponses as unknown[]) : []) {
        const e = entry as { id?: unknown; Id?: unknown; error?: unknown };
        const id = typeof e.id === 'string' ? e.id : typeof e.Id === 'string' ? e.Id : undefined;
        if (id) entries.push({ id, error: typeof e.error === 'string' ? e.error : 'unknown' });
      }
      token = typeof body?.continuationToken === 'string' && body.continuationToken !== '' ? body.continuationToken : undefined;
      if (!token) return entries;
    }
    return entries;
  }

  private async call(method: 'GET' | 'POST', path: string, requests: number, body?: unknown): Promise<unknown> {
    const o = this.options;
    const attempts = o.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      await o.pace(requests);
      const token = await o.token();
      const response = await (o.fetch ?? fetch)(new URL(path, o.serviceUrl), {
        method,
        headers: {
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      if (response.ok) return parse(text);
      if (!RETRYABLE_STATUSES.has(response.status) || attempt >= attempts) {
        const code = (parse(text) as { error?: { code?: unknown } } | undefined)?.error?.code;
        throw new TeamsBatchError(response.status, typeof code === 'string' ? code : '');
      }
      const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
      await o.sleep(backoffMs(attempt, Number.isFinite(retryAfter) ? retryAfter : undefined, o.random ?? Math.random));
    }
  }
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The .NET connector answers the operation id as a bare string: keep it as text.
    return text;
  }
}
