import type { Agent } from 'undici';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { ManualClock } from '../../fakes/manual-clock';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';

const TOKEN = 'fake-graph-throttle-token';
const PHONES = '/users/u1/authentication/phoneMethods';

/** The fake's throttling is a test's stand-in for Graph's (https://learn.microsoft.com/graph/throttling), so it is pinned here. */
describe('FakeGraphServer throttling', () => {
  let tls: TestTls;
  let fake: FakeGraphServer;
  let agent: Agent;
  let clock: ManualClock;

  beforeAll(async () => {
    tls = await createTestTls();
  });
  beforeEach(async () => {
    fake = await FakeGraphServer.start({ tls, expectedToken: TOKEN });
    agent = createTrustingAgent(tls.cert);
    clock = new ManualClock();
    fake.throttleAt({ perSecond: 2, now: () => clock.now() });
  });
  afterEach(async () => {
    await fake.close();
    await agent.close();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${fake.baseUrl}/v1.0${path}`, {
      method,
      dispatcher: agent,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  it('answers writes over the budget with 429, Retry-After and TooManyRequests, and changes nothing', async () => {
    expect((await call('POST', PHONES, { phoneType: 'mobile', phoneNumber: '+81 9012345678' })).status).toBe(201);
    expect((await call('POST', PHONES, { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' })).status).toBe(201);
    const refused = await call('POST', PHONES, { phoneType: 'office', phoneNumber: '+81 928022111' });
    expect(refused).toMatchObject({ status: 429, retryAfter: '1', json: { error: { code: 'TooManyRequests' } } });
    expect(fake.phonesOf('u1').map((p) => p.phoneType)).toEqual(['mobile', 'alternateMobile']);
    expect(fake.throttled).toBe(1);
  });

  it('does not count reads against the write budget', async () => {
    await call('POST', PHONES, { phoneType: 'mobile', phoneNumber: '+81 9012345678' });
    await call('POST', PHONES, { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' });
    expect((await call('GET', PHONES)).status).toBe(200);
  });

  it('gives the budget back at the configured rate', async () => {
    await call('POST', PHONES, { phoneType: 'mobile', phoneNumber: '+81 9012345678' });
    await call('POST', PHONES, { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' });
    expect((await call('POST', PHONES, { phoneType: 'office', phoneNumber: '+81 928022111' })).status).toBe(429);
    clock.advance(499);
    expect((await call('POST', PHONES, { phoneType: 'office', phoneNumber: '+81 928022111' })).status).toBe(429);
    clock.advance(1);
    expect((await call('POST', PHONES, { phoneType: 'office', phoneNumber: '+81 928022111' })).status).toBe(201);
    expect(fake.throttled).toBe(2);
  });
});
