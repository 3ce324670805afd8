import type { GraphCall, GraphHttp } from '../../src/graph/graph-http';
import type { GraphOutcome, GraphResponse } from '../../src/graph/graph-outcome';
import { backoffMs, RETRYABLE_STATUSES, type Sleep } from './pacing';

/** Graph calls of a campaign: every throttling or transient answer waited out (Retry-After + jitter), bounded. */
export class CampaignGraph {
  constructor(
    private readonly options: {
      readonly http: GraphHttp;
      readonly token: () => Promise<string>;
      readonly sleep: Sleep;
      readonly random?: () => number;
      readonly maxAttempts?: number;
    },
  ) {}

  /** Sends with retries; the last outcome when every try failed. */
  async send(call: Omit<GraphCall, 'token' | 'attempt'>): Promise<GraphOutcome> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    let outcome: GraphOutcome = { kind: 'network', detail: 'not sent' };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      outcome = await this.options.http.send({ ...call, token: await this.options.token(), attempt });
      const retryable = outcome.kind !== 'response' || RETRYABLE_STATUSES.has(outcome.status);
      if (!retryable || attempt === maxAttempts) return outcome;
      const retryAfter = outcome.kind === 'response' ? outcome.retryAfterSeconds : undefined;
      await this.options.sleep(backoffMs(attempt, retryAfter, this.options.random ?? Math.random));
    }
    return outcome;
  }

  /** Every item of a paged collection, following `@odata.nextLink` only within this Graph root. */
  async listAll(path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let next: string | undefined = path;
    while (next) {
      const outcome = await this.send({ method: 'GET', path: next });
      const page = okBody(outcome, next);
      const value = page['value'];
      if (Array.isArray(value)) items.push(...(value as unknown[]));
      const link = page['@odata.nextLink'];
      next = typeof link === 'string' && this.options.http.isOwnLink(link) ? link : undefined;
    }
    return items;
  }
}

/** The body of a 2xx answer; an error naming the path and status otherwise. */
export function okBody(outcome: GraphOutcome, path: string): Record<string, unknown> {
  if (outcome.kind !== 'response') throw new Error(`Graph did not answer ${path.split('?')[0]} (${outcome.kind})`);
  if (outcome.status >= 300) throw new GraphCallError(path, outcome);
  return typeof outcome.body === 'object' && outcome.body !== null ? (outcome.body as Record<string, unknown>) : {};
}

/** A Graph answer the campaign cannot go on from. */
class GraphCallError extends Error {
  override readonly name = 'GraphCallError';
  constructor(
    path: string,
    readonly response: GraphResponse,
  ) {
    super(`Graph answered ${response.status}${response.graphCode ? ` ${response.graphCode}` : ''} for ${path.split('?')[0]}`);
  }
}
