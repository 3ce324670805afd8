import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { StrictBotFrameworkAuthentication } from '../../src/server/strict-bot-framework-authentication';
import { ConnectorSink } from '../fakes/connector-sink';
import { FakeAcsServer } from '../fakes/fake-acs-server';
import { FakeIdentityProvider, newSigningKey } from '../fakes/fake-identity-provider';
import { FixedTokenCredentialFactory } from '../fakes/fixed-token-credential-factory';
import { cardOf, cardText } from '../support/card-helpers';
import { E2E_TENANT, E2E_USER, E2eBot } from '../support/e2e-bot';
import { authLoggingTo } from '../support/e2e-identity';

const APP_ID = '7b0c2f7e-3a51-4f0e-9d3c-1b2a3c4d5e6f';
const OUTBOUND_TOKEN = 'fixed-outbound-token-51c9';
const STACK_TRACE = /\n\s+at |at .+\(.+:\d+:\d+\)|node_modules/;

/** Production settings: a real app id, tenant and secret, and ACS (on a local fake) for delivery. */
function productionEnv(acs: FakeAcsServer): Record<string, string> {
  return {
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'bot-client-secret-not-used-in-tests',
    MICROSOFT_APP_TENANT_ID: E2E_TENANT,
    VERIFICATION_SECRET: 'v'.repeat(24) + 'erification-secret',
    ACS_CONNECTION_STRING: acs.connectionString,
    ACS_SMS_FROM: '+18005550100',
    ACS_CALLER_ID: '+18005550101',
    ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
    PUBLIC_BASE_URL: 'https://bot.example.test',
  };
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

describe('Bot Framework authentication on /api/messages (production config)', () => {
  let idp: FakeIdentityProvider;
  let acs: FakeAcsServer;
  let sink: ConnectorSink;
  let bot: E2eBot;
  let counter = 0;
  const answers: Answer[] = [];
  const authLog: string[] = [];

  beforeAll(async () => {
    // One key pair and one IdP port for the whole file: the connector caches metadata per URL, process-wide.
    idp = await FakeIdentityProvider.start();
    acs = await FakeAcsServer.start();
    sink = await ConnectorSink.start();
    bot = new E2eBot(sink, productionEnv(acs), {
      directory: new DemoPhoneDirectory({ [E2E_USER]: [{ phoneType: 'mobile', phoneNumber: '+81 9012345678' }] }),
      auth: authLoggingTo(idp, APP_ID, OUTBOUND_TOKEN, authLog),
    });
    await bot.start();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
    await acs.close();
    await idp.close();
  });
  afterEach(() => {
    // Whatever a test sent, the service never answered 5xx or showed a stack trace.
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(500);
      expect(answer.body).not.toMatch(STACK_TRACE);
    }
    answers.length = 0;
  });

  function activity(): Record<string, unknown> {
    counter += 1;
    return {
      type: 'message',
      id: `auth-${counter}`,
      channelId: 'msteams',
      serviceUrl: sink.serviceUrl,
      locale: 'en-US',
      text: 'hi',
      from: { id: '29:auth-user', name: 'Auth User', aadObjectId: E2E_USER },
      recipient: { id: `28:${APP_ID}`, name: 'Bot' },
      conversation: { id: `a:auth-conv-${counter}`, conversationType: 'personal', tenantId: E2E_TENANT },
      channelData: { tenant: { id: E2E_TENANT } },
    };
  }

  async function post(body: Record<string, unknown>, authorization?: string): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(body) });
    const answer = { status: response.status, body: await response.text() };
    answers.push(answer);
    return answer;
  }

  function token(options: Partial<Parameters<FakeIdentityProvider['mintToken']>[1]> = {}): string {
    return idp.mintToken(APP_ID, { serviceUrl: sink.serviceUrl, ...options });
  }

  /** A refusal: 401, a body that names no reason, the bot never ran, nothing was sent anywhere. */
  async function expectRefused(authorization: string | undefined, body: Record<string, unknown> = activity()): Promise<void> {
    const before = sink.calls.length;
    const answer = await post(body, authorization);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatch(/^"?Unauthorized"?$/);
    expect(sink.calls.length).toBe(before);
  }

  it('a valid channel token: 200, and the reply reaches the connector signed with the outbound token', async () => {
    const body = activity();
    const answer = await post(body, `Bearer ${token()}`);
    expect(answer.status).toBe(200);
    await sink.waitFor(() => sink.calls.some((c) => c.conversationId === (body.conversation as { id: string }).id));
    const replies = sink.calls.filter((c) => c.conversationId === (body.conversation as { id: string }).id);
    expect(replies.every((c) => c.authorization === `Bearer ${OUTBOUND_TOKEN}`)).toBe(true);
    const welcome = cardText(cardOf(replies.map((c) => c.activity).find((a) => cardOf(a))));
    expect(welcome).toContain('+81 XXXXXX5678');
    // The keys were fetched once by the key gate and once into botbuilder's own cache, then cached.
    expect(idp.requests.filter((p) => p.endsWith('/keys'))).toHaveLength(2);
  });

  it('no Authorization header: 401', async () => {
    await expectRefused(undefined);
  });

  it.each([['Bearer garbage'], ['Bearer '], ['Bearer a.b.c'], ['Basic dXNlcjpwYXNz'], ['garbage'], ['Bearer x Bearer y']])(
    'malformed Authorization "%s": 401',
    async (header) => {
      await expectRefused(header);
    },
  );

  it('a token signed by an unknown key (unknown kid): 401', async () => {
    await expectRefused(`Bearer ${token({ key: newSigningKey() })}`);
  });

  it('a token forged with another key under the published kid: 401, not a 500', async () => {
    await expectRefused(`Bearer ${token({ key: newSigningKey(idp.key.kid) })}`);
    expect(authLog.join('')).toMatch(/"reason":"invalid signature".*inbound request refused/);
  });

  it('an expired token (beyond the clock skew): 401', async () => {
    await expectRefused(`Bearer ${token({ expiresInSeconds: -600 })}`);
  });

  it('a token for another audience: 401', async () => {
    await expectRefused(`Bearer ${token({ audience: '00000000-0000-4000-8000-00000000aaaa' })}`);
  });

  it('a token from another issuer: 401', async () => {
    await expectRefused(`Bearer ${token({ issuer: 'https://evil.example.test' })}`);
  });

  it("a token whose serviceurl is not the activity's service URL: 401", async () => {
    await expectRefused(`Bearer ${token({ serviceUrl: 'https://evil.example.test/' })}`);
  });

  it('an unsigned token (alg none) under the published kid: 401', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: idp.key.kid })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(
      JSON.stringify({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: sink.serviceUrl, exp: now + 600, nbf: now - 10 }),
    ).toString('base64url');
    await expectRefused(`Bearer ${header}.${payload}.`);
  });

  it('an HS256 token keyed with the published public key (algorithm confusion): 401', async () => {
    const pem = idp.key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: idp.key.kid })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: sink.serviceUrl, exp: now + 600 })).toString(
      'base64url',
    );
    const signature = createHmac('sha256', pem).update(`${header}.${payload}`).digest('base64url');
    await expectRefused(`Bearer ${header}.${payload}.${signature}`);
  });

  it('a token that is not valid yet: 401', async () => {
    const signed = jwt.sign({ serviceurl: sink.serviceUrl, nbf: Math.floor(Date.now() / 1000) + 3600 }, idp.key.privateKey, {
      algorithm: 'RS256',
      keyid: idp.key.kid,
      issuer: 'https://api.botframework.com',
      audience: APP_ID,
      expiresIn: 7200,
    });
    await expectRefused(`Bearer ${signed}`);
  });

  it('a valid token cannot be replayed for another service URL', async () => {
    const body = { ...activity(), serviceUrl: 'http://127.0.0.1:9/' };
    await expectRefused(`Bearer ${token()}`, body);
  });

  it('refused requests print nothing to the console or stderr and are logged as one debug line each', async () => {
    const printed: string[] = [];
    const spies = [
      jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
        printed.push(`console.error ${args.join(' ')}`);
      }),
      jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
        printed.push(`console.warn ${args.join(' ')}`);
      }),
      jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(`console.log ${args.join(' ')}`);
      }),
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(`stderr ${String(chunk)}`);
        return true;
      }),
    ];
    const before = authLog.length;
    try {
      await expectRefused(undefined);
      await expectRefused('Bearer garbage');
      await expectRefused(`Bearer ${token({ key: newSigningKey(idp.key.kid) })}`);
      await expectRefused(`Bearer ${token({ expiresInSeconds: -600 })}`);
      await expectRefused(`Bearer ${token({ key: newSigningKey() })}`);
      await expectRefused(`Bearer ${token({ audience: '00000000-0000-4000-8000-00000000aaaa' })}`);
      // The published key is endorsed for msteams only.
      await expectRefused(`Bearer ${token()}`, { ...activity(), channelId: 'webchat' });
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    expect(printed).toEqual([]);
    const refusals = authLog.slice(before).filter((line) => line.includes('inbound request refused'));
    expect(refusals).toHaveLength(7);
    expect(refusals.every((line) => JSON.parse(line).level === 20)).toBe(true);
  });

  it('every refusal is logged with its reason and never with the token', async () => {
    const forged = token({ key: newSigningKey(idp.key.kid) });
    await expectRefused(`Bearer ${forged}`);
    const log = authLog.join('') + bot.log;
    expect(log).toMatch(/inbound request refused/);
    expect(log).not.toContain(forged.split('.')[2]!);
    expect(log).not.toContain(forged.split('.')[1]!);
  });
});

describe('the production composition (no test auth injected)', () => {
  let acs: FakeAcsServer;
  let sink: ConnectorSink;
  let bot: E2eBot;

  beforeAll(async () => {
    acs = await FakeAcsServer.start();
    sink = await ConnectorSink.start();
    bot = new E2eBot(sink, productionEnv(acs), { directory: new DemoPhoneDirectory() });
    await bot.start();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
    await acs.close();
  });

  it.each([[undefined], ['Bearer garbage']])('refuses Authorization %p with a generic 401 and no network', async (authorization) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        type: 'message',
        id: 'p1',
        channelId: 'msteams',
        serviceUrl: sink.serviceUrl,
        text: 'hi',
        from: { id: '29:u', aadObjectId: E2E_USER },
        recipient: { id: '28:b' },
        conversation: { id: 'a:p1', tenantId: E2E_TENANT },
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/^"?Unauthorized"?$/);
    expect(sink.calls).toHaveLength(0);
  });
});

describe('when the signing keys cannot be fetched', () => {
  let acs: FakeAcsServer;
  let sink: ConnectorSink;
  let bot: E2eBot;
  let unreachableIdp: string;

  beforeAll(async () => {
    acs = await FakeAcsServer.start();
    sink = await ConnectorSink.start();
    // A fresh IdP that is stopped at once: its metadata URL refuses connections.
    const idp = await FakeIdentityProvider.start();
    unreachableIdp = idp.baseUrl;
    const settings = idp.botFrameworkSettings(APP_ID, E2E_TENANT);
    await idp.close();
    bot = new E2eBot(sink, productionEnv(acs), {
      directory: new DemoPhoneDirectory(),
      auth: new StrictBotFrameworkAuthentication(settings, { credentialsFactory: new FixedTokenCredentialFactory(APP_ID, E2E_TENANT, OUTBOUND_TOKEN) }),
    });
    await bot.start();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
    await acs.close();
  });

  it('answers 503 with Retry-After and a generic body that names no internal URL, and runs no bot code', async () => {
    const forged = jwt.sign({ serviceurl: sink.serviceUrl }, newSigningKey().privateKey, {
      algorithm: 'RS256',
      keyid: 'any',
      issuer: 'https://api.botframework.com',
      audience: APP_ID,
      expiresIn: 600,
    });
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
      body: JSON.stringify({
        type: 'message',
        id: 'k1',
        channelId: 'msteams',
        serviceUrl: sink.serviceUrl,
        text: 'hi',
        from: { id: '29:u', aadObjectId: E2E_USER },
        recipient: { id: '28:b' },
        conversation: { id: 'a:k1', tenantId: E2E_TENANT },
      }),
    });
    const body = await response.text();
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(body)).toEqual({ error: 'service_unavailable' });
    expect(body).not.toContain(unreachableIdp.replace('http://', ''));
    expect(sink.calls).toHaveLength(0);
  });
});
