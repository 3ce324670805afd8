import type { Agent } from 'undici';
import { GraphHttp } from '../../../src/graph/graph-http';
import { successResponse } from '../../../src/graph/graph-outcome';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';
import { createCollectingLogger } from '../directory/log-sink';

const TOKEN = 'graph-http-token-41d7';
const USER = '0b7c3a55-0000-4a1e-8f00-00000000c0de';
const PHONES = `/users/${USER}/authentication/phoneMethods`;
const REQUEST_ID = /^[0-9a-f-]{36}$/;

describe('GraphHttp against a local https Graph', () => {
  let tls: TestTls;
  let fake: FakeGraphServer;
  let agent: Agent;
  let log: ReturnType<typeof createCollectingLogger>;

  beforeAll(async () => {
    tls = await createTestTls();
  });

  beforeEach(async () => {
    fake = await FakeGraphServer.start({ tls, expectedToken: TOKEN, knownUsersOnly: true });
    fake.seedUser(USER, { phones: [{ phoneType: 'mobile', phoneNumber: '+81 9012345678' }] });
    agent = createTrustingAgent(tls.cert);
    log = createCollectingLogger();
  });

  afterEach(async () => {
    await fake.close();
    await agent.close();
  });

  function graph(timeoutMs = 10_000): GraphHttp {
    return new GraphHttp({ baseUrl: `${fake.baseUrl}/`, fetchOptions: { dispatcher: agent }, timeoutMs, logger: log.logger });
  }

  it('sends the bearer token to its Graph root and reads the answer with its request id', async () => {
    const outcome = await graph().send({ method: 'GET', path: PHONES, token: TOKEN });
    expect(outcome).toMatchObject({ kind: 'response', status: 200, requestId: expect.stringMatching(REQUEST_ID) });
    expect(successResponse(outcome)?.body).toMatchObject({ value: [{ phoneType: 'mobile' }] });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(fake.requests[0]?.path).toBe(`/v1.0${PHONES}`);
  });

  it('asks the beta version when told to', async () => {
    await graph().send({ method: 'GET', path: `/users/${USER}/authentication/hardwareOathMethods`, token: TOKEN, version: 'beta' });
    expect(fake.requests[0]?.path).toBe(`/beta/users/${USER}/authentication/hardwareOathMethods`);
  });

  it('sends no token to another host, even when asked to follow a link there', async () => {
    // Same server, another host name: the client attaches the token to its own root only.
    const elsewhere = fake.baseUrl.replace('127.0.0.1', 'localhost');
    const http = graph();
    expect(http.isOwnLink(`${fake.baseUrl}/v1.0${PHONES}`)).toBe(true);
    expect(http.isOwnLink(`${elsewhere}/v1.0${PHONES}`)).toBe(false);
    const outcome = await http.send({ method: 'GET', path: `${elsewhere}/v1.0${PHONES}`, token: TOKEN });
    expect(outcome).toMatchObject({ kind: 'response', status: 401, graphCode: 'InvalidAuthenticationToken' });
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("reads Graph's error code, request id and Retry-After from a refusal, and keeps the message out of the log", async () => {
    fake.failNext({ status: 429, retryAfter: 7, message: 'Too many requests for +81 9012345678' });
    const outcome = await graph().send({ method: 'GET', path: PHONES, token: TOKEN });
    expect(outcome).toMatchObject({
      kind: 'response',
      status: 429,
      graphCode: 'TooManyRequests',
      retryAfterSeconds: 7,
      requestId: expect.stringMatching(REQUEST_ID),
    });
    expect(successResponse(outcome)).toBeUndefined();
    const all = log.lines.join('\n');
    expect(all).toContain('"status":429');
    expect(all).not.toContain('9012345678');
    expect(all).not.toContain(TOKEN);
  });

  it('retries a throttled GET within its budget, and not at all without one', async () => {
    fake.failNext({ method: 'GET', status: 429, retryAfter: 0 });
    expect(await graph().send({ method: 'GET', path: PHONES, token: TOKEN, retryWithinMs: 1_000 })).toMatchObject({ status: 200 });
    expect(fake.requestsTo('GET')).toHaveLength(2);

    fake.failNext({ method: 'GET', status: 429, retryAfter: 0 });
    expect(await graph().send({ method: 'GET', path: PHONES, token: TOKEN })).toMatchObject({ status: 429 });
    expect(fake.requestsTo('GET')).toHaveLength(3);
  });

  it('does not retry a GET whose Retry-After exceeds the budget', async () => {
    fake.failNext({ method: 'GET', status: 429, retryAfter: 30 });
    expect(await graph().send({ method: 'GET', path: PHONES, token: TOKEN, retryWithinMs: 2_000 })).toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(fake.requestsTo('GET')).toHaveLength(1);
  });

  it('never lets the client repeat a POST, whose first attempt may have been committed', async () => {
    fake.failNext({ method: 'POST', status: 503, retryAfter: 0 });
    const outcome = await graph().send({
      method: 'POST',
      path: PHONES,
      token: TOKEN,
      body: { phoneNumber: '+81 8011112222', phoneType: 'alternateMobile' },
      retryWithinMs: 5_000,
    });
    expect(outcome).toMatchObject({ kind: 'response', status: 503 });
    expect(fake.requestsTo('POST')).toHaveLength(1);
  });

  it('answers timeout when Graph is slower than the limit', async () => {
    fake.failNext({ delayMs: 5_000 });
    expect(await graph(100).send({ method: 'GET', path: PHONES, token: TOKEN })).toEqual({ kind: 'timeout' });
    expect(log.lines.join('\n')).toContain('graph call timed out');
  });

  it('answers network when the connection drops without an answer', async () => {
    fake.failNext({ dropConnection: true });
    expect(await graph().send({ method: 'GET', path: PHONES, token: TOKEN })).toMatchObject({ kind: 'network' });
  });
});
