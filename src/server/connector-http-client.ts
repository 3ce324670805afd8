import {
  createDefaultHttpClient,
  createHttpHeaders,
  RestError,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { Agent, request as undiciRequest } from 'undici';

/** undici's socket errors under the system codes the pipeline's retry policy knows (Node's own client reports these). */
const SYSTEM_CODES: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
};

/**
 * The HTTP client of the connector calls: plain JSON requests go through undici, everything else
 * through the pipeline's default client.
 *
 * Node's own HTTP client (request and response streams, an abort controller and listeners per
 * request) cost more CPU than anything else in a connector call once the serializer was gone; undici
 * does the same request for about two thirds of it. What this client does not set up (a proxy agent
 * chosen by the proxy policy, TLS settings, time-outs, abort signals, streamed or compressed bodies,
 * progress reports) goes to the default client, so the pipeline behaves exactly as before for it.
 * Network errors are RestErrors with the system code Node's client gives, so they are retried the same.
 */
export class ConnectorHttpClient implements HttpClient {
  private readonly dispatcher = new Agent();
  private readonly fallback = createDefaultHttpClient();

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    if (!isPlain(request)) return this.fallback.sendRequest(request);
    if (!request.allowInsecureConnection && !request.url.startsWith('https:')) {
      throw new Error(`Cannot connect to ${request.url} while allowInsecureConnection is false.`);
    }
    try {
      const response = await undiciRequest(request.url, {
        method: request.method,
        headers: request.headers.toJSON({ preserveCase: true }),
        body: request.body as string | undefined,
        dispatcher: this.dispatcher,
      });
      const headers = createHttpHeaders();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      return { status: response.statusCode, headers, request, bodyAsText: await response.body.text() };
    } catch (error) {
      throw sendError(error, request);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/** A request with nothing but a method, URL, headers and a text body (or none). */
function isPlain(request: PipelineRequest): boolean {
  return (request.body === undefined || typeof request.body === 'string')
    && !request.agent
    && !request.proxySettings
    && !request.tlsSettings
    && !request.abortSignal
    && !(request.timeout > 0)
    && !request.onUploadProgress
    && !request.onDownloadProgress
    && !request.streamResponseStatusCodes?.size
    && !request.multipartBody
    && !request.formData
    && !request.disableKeepAlive
    && !request.requestOverrides
    && !request.headers.has('accept-encoding')
    && request.method !== 'HEAD';
}

function sendError(error: unknown, request: PipelineRequest): RestError {
  const failure = error as { message?: string; code?: string; cause?: { code?: string } };
  const code = systemCode(failure.code) ?? systemCode(failure.cause?.code) ?? RestError.REQUEST_SEND_ERROR;
  return new RestError(failure.message ?? String(error), { code, request });
}

function systemCode(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return SYSTEM_CODES[code] ?? (code.startsWith('UND_') ? undefined : code);
}
