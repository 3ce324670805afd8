/**
 * What one Graph call came back with, already read: an answer (any status), no answer in time, or
 * no answer at all. Graph errors are `{"error":{"code","message","innerError":{"request-id"}}}`
 * (https://learn.microsoft.com/graph/errors); throttling is 429 with `Retry-After`.
 */
export type GraphOutcome = GraphResponse | { readonly kind: 'timeout' } | { readonly kind: 'network'; readonly detail: string };

/** An HTTP answer from Graph. */
export interface GraphResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly body: unknown;
  readonly requestId?: string;
  readonly graphCode?: string;
  /** Graph's error message: matched, never logged (it may echo a phone number). */
  readonly graphMessage?: string;
  readonly retryAfterSeconds?: number;
}

/** The part of a fetch `Response` this file reads. */
interface RawResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Reads a raw response from the Graph client into a {@link GraphOutcome}. */
export async function readOutcome(raw: unknown): Promise<GraphOutcome> {
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

/** The outcome of a request that failed before any answer (DNS, TLS, connection reset). */
export function networkOutcome(error: unknown): GraphOutcome {
  return { kind: 'network', detail: errorSummary(error) };
}

/** The answer when it is a 2xx, else undefined. */
export function successResponse(outcome: GraphOutcome): GraphResponse | undefined {
  return outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300 ? outcome : undefined;
}

/** No answer or a 5xx: a write may or may not have been committed. */
export function isAmbiguous(outcome: GraphOutcome): boolean {
  return outcome.kind !== 'response' || outcome.status >= 500;
}

/** `Retry-After` as seconds: either a number of seconds or an HTTP date. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** A short description of an error for the log; Graph's own message is left out (it may echo a number). */
export function errorSummary(error: unknown): string {
  if (error instanceof Error) {
    const code = isRecord(error) && typeof error.code === 'string' ? ` ${error.code}` : '';
    return `${error.name}${code}: ${error.message}`;
  }
  return String(error);
}

function isRawResponse(value: unknown): value is RawResponse {
  return isRecord(value) && typeof value.status === 'number' && typeof value.text === 'function' && isRecord(value.headers);
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
