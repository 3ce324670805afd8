import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type * as restify from 'restify';
import { createLogger } from '../../../src/logging/logger';
import { createServer } from '../../../src/server/create-server';
import type { InboundAnswer } from '../../../src/server/inbound-cloud-adapter';
import { KeysUnavailableError } from '../../../src/server/keys-unavailable-error';

const ACTIVITY = {
  type: 'invoke',
  id: 'in-1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/amer/',
  name: 'adaptiveCard/action',
  from: { id: '29:user' },
  recipient: { id: '28:bot' },
  conversation: { id: 'a:answers' },
};

describe('the messages endpoint answers what the adapter answered', () => {
  let server: restify.Server;
  let next: () => Promise<InboundAnswer>;
  const log: string[] = [];

  beforeAll(async () => {
    server = createServer({
      adapter: { answer: () => next() },
      bot: { run: async () => undefined },
      logger: createLogger({
        level: 'debug',
        pretty: false,
        destination: new Writable({
          write: (chunk, _enc, done) => {
            log.push(String(chunk));
            done();
          },
        }),
      }),
      maxBodyBytes: 64 * 1024,
      isReady: () => true,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function post(): Promise<{ status: number; body: string }> {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ACTIVITY),
    });
    return { status: response.status, body: await response.text() };
  }

  it('passes a status and body through', async () => {
    next = async () => ({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'ok' } });
    const answer = await post();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'ok' });
  });

  it('answers a bare status with an empty body and nothing logged', async () => {
    log.length = 0;
    next = async () => ({ status: 202 });
    expect(await post()).toEqual({ status: 202, body: '' });
    expect(log.join('')).not.toMatch(/failed/);
  });

  it("answers botbuilder's bare 501 for an invoke nobody takes as 400: the sender's mistake, not a fault of the service", async () => {
    next = async () => ({ status: 501 });
    expect(await post()).toEqual({ status: 400, body: '' });
  });

  it('replaces a 5xx body with a generic one', async () => {
    next = async () => ({ status: 500, body: 'connect ECONNREFUSED https://internal.example/secret-path' });
    const answer = await post();
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ error: 'internal_error' });
  });

  it('answers 503 with Retry-After when the signing keys cannot be had, and logs no error per request', async () => {
    log.length = 0;
    next = async () => {
      throw new KeysUnavailableError(7);
    };
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ACTIVITY),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ error: 'service_unavailable' });
    expect(log.join('')).not.toMatch(/"level":(40|50)/);
  });

  it('answers 500 with a generic body when the turn throws, and logs it', async () => {
    log.length = 0;
    next = async () => {
      throw new Error('turn failed at https://internal.example/');
    };
    const answer = await post();
    expect(answer).toEqual({ status: 500, body: JSON.stringify({ error: 'internal_error' }) });
    expect(log.join('')).toMatch(/message processing failed/);
  });
});
