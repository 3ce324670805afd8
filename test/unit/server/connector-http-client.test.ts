import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  defaultRetryPolicy,
  proxyPolicy,
  RestError,
  type HttpClient,
  type PipelineRequest,
} from '@azure/core-rest-pipeline';
import { ConnectorHttpClient } from '../../../src/server/connector-http-client';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

type Answer = 'reset' | { status: number; headers?: Record<string, string>; body?: string | Buffer };

/** A loopback server that records requests and answers from a script (a reset drops the connection). */
async function scriptedServer(): Promise<{ url: (path: string) => string; requests: Recorded[]; script: Answer[]; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  const script: Answer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = script.shift() ?? { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"1"}' };
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    script,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function jsonPost(url: string, body: unknown, extra: Partial<PipelineRequest> = {}): PipelineRequest {
  return createPipelineRequest({
    url,
    method: 'POST',
    headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json; charset=utf-8', 'x-ms-conversation-id': 'a:1' }),
    body: JSON.stringify(body),
    allowInsecureConnection: true,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<RestError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RestError);
  return error as RestError;
}

describe('ConnectorHttpClient', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>>;
  let client: ConnectorHttpClient;
  const stock: HttpClient = createDefaultHttpClient();
  beforeEach(async () => {
    server = await scriptedServer();
    client = new ConnectorHttpClient();
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('sends and answers what the default client sends and answers', async () => {
    const answer = { status: 201, headers: { 'content-type': 'application/json', 'x-ms-request-id': 'r-1' }, body: '{"id":"1:abc","text":"日本語"}' };
    const body = { type: 'message', text: 'こんにちは', attachments: [{ content: { body: ['x'.repeat(5000)] } }] };
    const answers = [];
    for (const http of [stock, client]) {
      server.script.push(answer);
      answers.push(await http.sendRequest(jsonPost(server.url('/v3/conversations/a%3A1/activities'), body)));
    }
    const [fromStock, fromUndici] = server.requests;
    const essentials = (r: Recorded): unknown => ({ method: r.method, url: r.url, body: r.body, type: r.headers['content-type'], accept: r.headers.accept, conversation: r.headers['x-ms-conversation-id'], length: r.headers['content-length'] });
    expect(essentials(fromUndici!)).toEqual(essentials(fromStock!));
    expect(JSON.parse(fromUndici!.body)).toEqual(body);
    const [a, b] = answers;
    expect({ status: b!.status, body: b!.bodyAsText, id: b!.headers.get('X-MS-Request-Id'), type: b!.headers.get('content-type') })
      .toEqual({ status: a!.status, body: a!.bodyAsText, id: a!.headers.get('X-MS-Request-Id'), type: a!.headers.get('content-type') });
  });

  it('hands an error status back as a response, body included, as the default client does', async () => {
    server.script.push({ status: 403, headers: { 'content-type': 'application/json' }, body: '{"error":{"code":"BotNotInConversationRoster"}}' });
    const response = await client.sendRequest(jsonPost(server.url('/'), {}));
    expect({ status: response.status, body: response.bodyAsText }).toEqual({ status: 403, body: '{"error":{"code":"BotNotInConversationRoster"}}' });
  });

  it('reports a refused connection and a dropped one with the codes of the default client', async () => {
    const closed = await scriptedServer();
    const url = closed.url('/');
    await closed.close();
    const refused = [await failure(stock.sendRequest(jsonPost(url, {}))), await failure(client.sendRequest(jsonPost(url, {})))];
    expect(refused.map((e) => e.code)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);

    server.script.push('reset', 'reset');
    const dropped = [await failure(stock.sendRequest(jsonPost(server.url('/'), {}))), await failure(client.sendRequest(jsonPost(server.url('/'), {})))];
    expect(dropped.map((e) => e.code)).toEqual(['ECONNRESET', 'ECONNRESET']);
  });

  it('is retried by the pipeline after a dropped connection, with the same body', async () => {
    const pipeline = createEmptyPipeline();
    pipeline.addPolicy(defaultRetryPolicy({ retryDelayInMs: 5, maxRetryDelayInMs: 10 }), { phase: 'Retry' });
    server.script.push('reset');
    const response = await pipeline.sendRequest(client, jsonPost(server.url('/'), { text: 'once more' }));
    expect(response.status).toBe(200);
    expect(server.requests.map((r) => r.body)).toEqual(['{"text":"once more"}', '{"text":"once more"}']);
  });

  it('leaves what it does not set up to the default client: here a compressed answer', async () => {
    server.script.push({ status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync('{"id":"zipped"}') });
    const request = jsonPost(server.url('/'), {});
    request.headers.set('accept-encoding', 'gzip');
    const response = await client.sendRequest(request);
    expect(response.bodyAsText).toBe('{"id":"zipped"}');
  });

  it('goes through the proxy the pipeline\'s proxy policy sets', async () => {
    const proxy = await scriptedServer();
    try {
      const pipeline = createEmptyPipeline();
      const { port } = new URL(proxy.url('/'));
      pipeline.addPolicy(proxyPolicy({ host: 'http://127.0.0.1', port: Number(port) }));
      const response = await pipeline.sendRequest(client, jsonPost(server.url('/v3/conversations/a%3A1/activities'), { text: 'via proxy' }));
      expect(response.status).toBe(200);
      expect(server.requests).toHaveLength(0);
      expect(proxy.requests.map((r) => [r.method, r.url, r.body])).toEqual([['POST', server.url('/v3/conversations/a%3A1/activities'), '{"text":"via proxy"}']]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses plain http unless the request allows it, as the default client does', async () => {
    await expect(client.sendRequest(jsonPost(server.url('/'), {}, { allowInsecureConnection: false }))).rejects.toThrow(/allowInsecureConnection is false/);
    expect(server.requests).toHaveLength(0);
  });
});
