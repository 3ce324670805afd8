import type { ServerResponse } from 'node:http';
import type { Activity } from 'botbuilder';

/** One batch operation the fake accepted. */
export interface FakeBatchOperation {
  readonly operationId: string;
  readonly tenantId: string;
  readonly memberIds: readonly string[];
  readonly activity: Partial<Activity>;
  /** NotStarted, InProgress, Completed or Cancelled. */
  state: string;
  /** How many times its state was asked for. */
  polls: number;
  /** Member id → Teams' error code, for the members it could not reach. */
  readonly failed: Map<string, string>;
}

/**
 * Teams' batch messaging endpoints on the local connector, after Microsoft's description
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages,
 * "Send messages in bulk") and botframework-connector 4.23.3's `Teams` operations and mappers
 * (BatchOperationRequest, BatchOperationResponse, GetTeamsOperationStateResponse,
 * GetTeamsFailedEntriesResponse):
 * - POST /v3/batch/conversation/users/ {members:[{id}], activity, tenantId} → 201 {operationId};
 *   400 BadSyntax without members, activity or tenantId, or with more than `maxMembers` members.
 * - GET /v3/batch/conversation/{operationId} → {state, statusMap, totalEntriesCount}; 404 when unknown.
 *   The operation runs as it is polled: NotStarted, then InProgress for `pollsUntilDone` polls, then
 *   Completed; it delivers to its members when it completes.
 * - GET /v3/batch/conversation/failedentries/{operationId}[?continuationToken=] →
 *   {continuationToken, failedEntryResponses:[{id, error}]}, `failedPageSize` entries a page.
 * - DELETE /v3/batch/conversation/{operationId} → 200; an operation not yet completed is Cancelled.
 * Throttling (429 with Retry-After) is the connector's `throttle` hook, as for every other request.
 */
export class FakeTeamsBatch {
  readonly operations = new Map<string, FakeBatchOperation>();
  maxMembers = 100;
  pollsUntilDone = 1;
  failedPageSize = 50;
  /** Members Teams cannot reach, with the error code it reports for each (e.g. the app is not installed). */
  readonly unreachable = new Map<string, string>();
  private counter = 0;

  constructor(private readonly deliver: (memberId: string, tenantId: string, activity: Partial<Activity>) => void) {}

  /** Answers a batch request; false when the path is not a batch endpoint. */
  handle(method: string, url: string, body: string, res: ServerResponse): boolean {
    const path = url.split('?')[0]!;
    const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    let m: RegExpExecArray | null;
    if (method === 'POST' && /^\/v3\/batch\/conversation\/users\/?$/.test(path)) return this.submit(body, res);
    if (method === 'GET' && (m = /^\/v3\/batch\/conversation\/failedentries\/([^/]+)$/.exec(path))) {
      return this.failedEntries(decodeURIComponent(m[1]!), query.get('continuationToken'), res);
    }
    if ((m = /^\/v3\/batch\/conversation\/([^/]+)$/.exec(path)) && (method === 'GET' || method === 'DELETE')) {
      const operation = this.operations.get(decodeURIComponent(m[1]!));
      if (!operation) return json(res, 404, { error: { code: 'NotFound', message: 'Operation not found' } });
      if (method === 'DELETE') {
        if (operation.state !== 'Completed') operation.state = 'Cancelled';
        return json(res, 200, {});
      }
      return json(res, 200, this.poll(operation));
    }
    return false;
  }

  private submit(body: string, res: ServerResponse): boolean {
    const request = JSON.parse(body) as { members?: Array<{ id?: unknown }>; activity?: Partial<Activity>; tenantId?: unknown };
    const members = Array.isArray(request.members) ? request.members.map((m) => m.id) : [];
    if (members.length === 0 || members.some((id) => typeof id !== 'string' || id === '')) {
      return json(res, 400, { error: { code: 'BadSyntax', message: 'members is required' } });
    }
    if (members.length > this.maxMembers) return json(res, 400, { error: { code: 'BadSyntax', message: `at most ${this.maxMembers} members` } });
    if (typeof request.tenantId !== 'string' || !request.tenantId) return json(res, 400, { error: { code: 'BadSyntax', message: 'tenantId is required' } });
    if (request.activity?.type !== 'message') return json(res, 400, { error: { code: 'BadSyntax', message: 'activity is required' } });
    const operationId = `amer_op-${++this.counter}`;
    this.operations.set(operationId, {
      operationId,
      tenantId: request.tenantId,
      memberIds: members as string[],
      activity: request.activity,
      state: 'NotStarted',
      polls: 0,
      failed: new Map(),
    });
    return json(res, 201, { operationId });
  }

  private poll(operation: FakeBatchOperation): unknown {
    operation.polls++;
    if (operation.state === 'NotStarted') operation.state = 'InProgress';
    else if (operation.state === 'InProgress' && operation.polls > this.pollsUntilDone) this.complete(operation);
    const statusMap: Record<string, number> = {};
    if (operation.state === 'Completed') {
      for (const id of operation.memberIds) {
        const status = operation.failed.has(id) ? (operation.failed.get(id) === 'NotFound' ? '404' : '403') : '201';
        statusMap[status] = (statusMap[status] ?? 0) + 1;
      }
    }
    return { state: operation.state, statusMap, totalEntriesCount: operation.memberIds.length };
  }

  private complete(operation: FakeBatchOperation): void {
    operation.state = 'Completed';
    for (const id of operation.memberIds) {
      const error = this.unreachable.get(id);
      if (error) operation.failed.set(id, error);
      else this.deliver(id, operation.tenantId, operation.activity);
    }
  }

  private failedEntries(operationId: string, token: string | null, res: ServerResponse): boolean {
    const operation = this.operations.get(operationId);
    if (!operation) return json(res, 404, { error: { code: 'NotFound', message: 'Operation not found' } });
    const all = [...operation.failed.entries()].map(([id, error]) => ({ id, error }));
    const start = token ? Number(token) : 0;
    const page = all.slice(start, start + this.failedPageSize);
    const next = start + this.failedPageSize < all.length ? String(start + this.failedPageSize) : undefined;
    return json(res, 200, { ...(next ? { continuationToken: next } : {}), failedEntryResponses: page });
  }
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return true;
}
