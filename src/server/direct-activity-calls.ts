import {
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  defaultRetryPolicy,
  proxyPolicy,
  redirectPolicy,
  RestError,
  setClientRequestIdPolicy,
  userAgentPolicy,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import type { Activity, ResourceResponse } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { ConnectorHttpClient } from './connector-http-client';

/** What a connector client's credentials offer: they add the Authorization header when there is one. */
interface SigningCredentials {
  signRequest(request: { headers: { set(name: string, value: string): void; get(name: string): string | undefined } }): Promise<unknown>;
}

/** The parts of a connector client this module reads; both are set by its constructor. */
interface ClientInternals {
  readonly baseUri?: string;
  readonly credentials?: SigningCredentials;
  readonly options?: { readonly userAgent?: unknown };
}

type Conversations = ConnectorClient['conversations'];
type ActivityCall = 'sendToConversation' | 'replyToActivity' | 'updateActivity' | 'deleteActivity';

/** One HTTP client (and its keep-alive connections) for every connector the process talks to. */
let sharedHttpClient: HttpClient | undefined;

/**
 * Returns `client` with its four activity calls (send, reply, update, delete: every call a turn
 * makes) sent as one JSON request each through a short @azure/core-rest-pipeline pipeline.
 *
 * The stock client runs each activity through @azure/core-client's mapper serializer, tracing and a
 * compatibility layer, which cost three to four times the CPU of the request itself and was the
 * largest share of a turn. The pipeline here keeps what the service relies on: the same retries
 * (throttling with Retry-After, exponential back-off on 5xx and network errors), proxy settings,
 * redirects, a client request id and the credentials' bearer token, signed again on every attempt.
 * Errors are RestErrors with the status code and the connector's error code, as before.
 * Every other call goes to the stock client unchanged.
 */
export function withDirectActivityCalls(client: ConnectorClient): ConnectorClient {
  const internals = client as unknown as ClientInternals;
  const baseUri = internals.baseUri;
  if (!baseUri) return client;
  const send = activitySender(baseUri, internals);
  const stock = client.conversations;
  const viaStock = (name: ActivityCall, args: unknown[]): unknown => (stock[name] as (...a: unknown[]) => unknown).apply(stock, args);
  const conversations: Conversations = Object.create(stock);
  // Calls with options or a callback (the adapter makes none) keep the stock behaviour.
  Object.assign(conversations, {
    sendToConversation: (...args: [string, Partial<Activity>, ...unknown[]]) =>
      args.length > 2 ? viaStock('sendToConversation', args) : send('POST', activitiesPath(args[0]), args[1]),
    replyToActivity: (...args: [string, string, Partial<Activity>, ...unknown[]]) =>
      args.length > 3 ? viaStock('replyToActivity', args) : send('POST', activitiesPath(args[0], args[1]), args[2], { 'x-ms-conversation-id': args[0] }),
    updateActivity: (...args: [string, string, Partial<Activity>, ...unknown[]]) =>
      args.length > 3 ? viaStock('updateActivity', args) : send('PUT', activitiesPath(args[0], args[1]), args[2]),
    deleteActivity: (...args: [string, string, ...unknown[]]) =>
      args.length > 2 ? viaStock('deleteActivity', args) : send('DELETE', activitiesPath(args[0], args[1])),
  });
  const direct: ConnectorClient = Object.create(client);
  Object.defineProperty(direct, 'conversations', { value: conversations, enumerable: true });
  return direct;
}

function activitiesPath(conversationId: string, activityId?: string): string {
  const base = `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  return activityId === undefined ? base : `${base}/${encodeURIComponent(activityId)}`;
}

type Send = (method: 'POST' | 'PUT' | 'DELETE', path: string, activity?: Partial<Activity>, headers?: Record<string, string>) => Promise<ResourceResponse>;

function activitySender(baseUri: string, internals: ClientInternals): Send {
  const root = baseUri.endsWith('/') ? baseUri : `${baseUri}/`;
  const pipeline = connectorPipeline(internals);
  return async (method, path, activity, headers = {}) => {
    const request = createPipelineRequest({
      url: root + path,
      method,
      headers: createHttpHeaders({ accept: 'application/json', ...headers, ...(activity ? { 'content-type': 'application/json; charset=utf-8' } : {}) }),
      body: activity ? JSON.stringify(activity) : undefined,
      allowInsecureConnection: root.startsWith('http:'),
    });
    sharedHttpClient ??= new ConnectorHttpClient();
    const response = await pipeline.sendRequest(sharedHttpClient, request);
    const body = parseJson(response.bodyAsText);
    if (response.status < 200 || response.status >= 300) {
      const error = errorBody(body);
      throw new RestError(error.message ?? `The connector answered ${response.status}.`, { statusCode: response.status, code: error.code });
    }
    return (body && typeof body === 'object' ? body : {}) as ResourceResponse;
  };
}

function connectorPipeline(internals: ClientInternals): Pipeline {
  const pipeline = createEmptyPipeline();
  const userAgent = internals.options?.userAgent;
  pipeline.addPolicy(proxyPolicy());
  pipeline.addPolicy(redirectPolicy());
  pipeline.addPolicy(userAgentPolicy(typeof userAgent === 'string' ? { userAgentPrefix: userAgent.trim() } : {}));
  pipeline.addPolicy(setClientRequestIdPolicy());
  pipeline.addPolicy(defaultRetryPolicy(), { phase: 'Retry' });
  const credentials = internals.credentials;
  if (credentials) pipeline.addPolicy(signingPolicy(credentials), { phase: 'Sign' });
  return pipeline;
}

/** Asks the connector client's own credentials to sign each attempt (they cache and refresh tokens). */
function signingPolicy(credentials: SigningCredentials): PipelinePolicy {
  return {
    name: 'connectorCredentials',
    async sendRequest(request, next) {
      await credentials.signRequest({ headers: { set: (name, value) => request.headers.set(name, value), get: (name) => request.headers.get(name) } });
      return next(request);
    },
  };
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorBody(body: unknown): { code?: string; message?: string } {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (!error || typeof error !== 'object') return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) };
}
