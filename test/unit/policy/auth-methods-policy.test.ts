import type { Agent } from 'undici';
import type { AccessTokenSource } from '../../../src/graph/access-token-source';
import { DirectoryError } from '../../../src/directory/phone-directory';
import { AuthMethodsPolicyReader } from '../../../src/policy/auth-methods-policy';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { ManualClock } from '../../fakes/manual-clock';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';
import { createCollectingLogger } from '../directory/log-sink';

const TOKEN = 'policy-token-7c21ab';
const SMS_PATH = '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms';
const VOICE_PATH = '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/voice';
const ROOT_PATH = '/v1.0/policies/authenticationMethodsPolicy';
const ALL_ALLOWED_DEFAULT = { smsEnabled: true, voiceEnabled: true, officePhoneAllowed: true, source: 'default', migrationState: 'unknown' };
const COMPLETE = { source: 'graph', migrationState: 'migrationComplete' } as const;

class FixedToken implements AccessTokenSource {
  constructor(private readonly token: string) {}
  async getAccessToken(): Promise<string> {
    return this.token;
  }
}

class FailingToken implements AccessTokenSource {
  async getAccessToken(): Promise<string> {
    throw new DirectoryError('permission_denied', 'Token request failed: invalid_client');
  }
}

describe('AuthMethodsPolicyReader against a local https Graph', () => {
  let tls: TestTls;
  let fake: FakeGraphServer;
  let agent: Agent;
  let clock: ManualClock;
  let log: ReturnType<typeof createCollectingLogger>;

  beforeAll(async () => {
    tls = await createTestTls();
  });

  beforeEach(async () => {
    fake = await FakeGraphServer.start({ tls, expectedToken: TOKEN });
    agent = createTrustingAgent(tls.cert);
    clock = new ManualClock();
    log = createCollectingLogger();
  });

  afterEach(async () => {
    await fake.close();
    await agent.close();
  });

  function reader(options: { token?: AccessTokenSource; timeoutMs?: number } = {}): AuthMethodsPolicyReader {
    return new AuthMethodsPolicyReader({
      tokenProvider: options.token ?? new FixedToken(TOKEN),
      baseUrl: fake.baseUrl,
      fetchOptions: { dispatcher: agent },
      logger: log.logger,
      clock,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  function policyRequests(): string[] {
    return fake.requests.map((r) => `${r.method} ${r.path}`).sort();
  }

  it('reads the SMS and voice configurations and the migration state from the policy root alone, with the bearer token', async () => {
    const state = await reader().read();

    expect(state).toEqual({ smsEnabled: true, voiceEnabled: true, officePhoneAllowed: true, ...COMPLETE });
    expect(policyRequests()).toEqual([`GET ${ROOT_PATH}`]);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
  });

  it('readOnce asks the root and both configurations, as the doctor needs each permission proven', async () => {
    expect(await reader().readOnce()).toMatchObject({ ok: true, state: { smsEnabled: true, voiceEnabled: true, ...COMPLETE } });
    expect(policyRequests()).toEqual([`GET ${ROOT_PATH}`, `GET ${SMS_PATH}`, `GET ${VOICE_PATH}`]);
  });

  it('falls back when the policy root fails, as the configurations come with it', async () => {
    fake.setPhonePolicy({ sms: { state: 'disabled' } });
    fake.failNext({ path: ROOT_PATH, status: 503 });
    expect(await reader().read()).toEqual(ALL_ALLOWED_DEFAULT);
  });

  it.each([
    ['preMigration', 'preMigration'],
    ['migrationInProgress', 'migrationInProgress'],
    ['migrationComplete', 'migrationComplete'],
    ['unknownFutureValue', 'unknown'],
    ['absent', 'unknown'],
  ] as const)('reads policyMigrationState %s as %s', async (served, expected) => {
    fake.setPhonePolicy({ migrationState: served, sms: { state: 'disabled' } });
    expect(await reader().read()).toEqual({ smsEnabled: false, voiceEnabled: true, officePhoneAllowed: true, source: 'graph', migrationState: expected });
  });

  it('keeps the configurations when only the policy root fails, with the migration state unknown', async () => {
    fake.setPhonePolicy({ sms: { state: 'disabled' } });
    fake.failNext({ path: ROOT_PATH, status: 503 });
    const outcome = await reader().readOnce();
    expect(outcome).toMatchObject({ ok: true, state: { smsEnabled: false, source: 'graph', migrationState: 'unknown' } });
    expect(fake.pendingFaults).toBe(0);
  });

  it.each([
    { sms: 'disabled', voice: 'enabled', office: true, expected: { smsEnabled: false, voiceEnabled: true, officePhoneAllowed: true } },
    { sms: 'enabled', voice: 'disabled', office: false, expected: { smsEnabled: true, voiceEnabled: false, officePhoneAllowed: false } },
    { sms: 'enabled', voice: 'enabled', office: false, expected: { smsEnabled: true, voiceEnabled: true, officePhoneAllowed: false } },
  ] as const)('maps sms $sms, voice $voice, office phone $office', async ({ sms, voice, office, expected }) => {
    fake.setPhonePolicy({ sms: { state: sms }, voice: { state: voice, isOfficePhoneAllowed: office } });
    expect(await reader().read()).toEqual({ ...expected, ...COMPLETE });
  });

  it('reuses the policy for 10 minutes, then reads it again', async () => {
    const policy = reader();
    await policy.read();
    fake.setPhonePolicy({ sms: { state: 'disabled' } });

    clock.advance(10 * 60 * 1000 - 1);
    expect((await policy.read()).smsEnabled).toBe(true);
    expect(fake.requests).toHaveLength(1);

    clock.advance(1);
    expect((await policy.read()).smsEnabled).toBe(false);
    expect(fake.requests).toHaveLength(2);
  });

  it('shares one Graph read between concurrent callers', async () => {
    const policy = reader();
    const states = await Promise.all([policy.read(), policy.read(), policy.read(), policy.read()]);
    expect(new Set(states.map((s) => s.source))).toEqual(new Set(['graph']));
    expect(fake.requests).toHaveLength(1);
  });

  it('falls back to everything allowed without Policy.Read.AuthenticationMethod, says so in the log, and asks again after a minute', async () => {
    fake.denyPolicyRead();
    fake.setPhonePolicy({ sms: { state: 'disabled' } });
    const policy = reader();

    expect(await policy.read()).toEqual(ALL_ALLOWED_DEFAULT);
    const log403 = log.lines.join('\n');
    expect(log403).toContain('Policy.Read.AuthenticationMethod');
    expect(log403).toContain('permission_denied');
    expect(log403).not.toContain(TOKEN);

    clock.advance(59_000);
    await policy.read();
    expect(fake.requests).toHaveLength(1);

    fake.denyPolicyRead(false);
    clock.advance(1_000);
    expect(await policy.read()).toEqual({ smsEnabled: false, voiceEnabled: true, officePhoneAllowed: true, ...COMPLETE });
  });

  it('keeps the last policy read from Graph when a later read fails', async () => {
    fake.setPhonePolicy({ voice: { state: 'enabled', isOfficePhoneAllowed: false } });
    const policy = reader();
    await policy.read();

    clock.advance(10 * 60 * 1000);
    fake.failNext({ status: 503 });
    expect(await policy.read()).toEqual({ smsEnabled: true, voiceEnabled: true, officePhoneAllowed: false, ...COMPLETE });
    expect(log.lines.join('\n')).toContain('"reason":"unavailable"');
  });

  it('falls back when Graph answers 500 on the first read', async () => {
    fake.failNext({ status: 500 });
    expect(await reader().read()).toEqual(ALL_ALLOWED_DEFAULT);
  });

  it('gives up after its time limit and falls back', async () => {
    fake.failNext({ hold: true });
    expect(await reader({ timeoutMs: 200 }).read()).toEqual(ALL_ALLOWED_DEFAULT);
    // Gave up while Graph still held its answer.
    expect(fake.held).toBe(1);
    expect(log.lines.join('\n')).toContain('"reason":"timeout"');
  });

  it('falls back when no token can be acquired, without calling Graph', async () => {
    expect(await reader({ token: new FailingToken() }).read()).toEqual(ALL_ALLOWED_DEFAULT);
    expect(fake.requests).toHaveLength(0);
  });

  describe('readOnce', () => {
    it('summarises the targets of each configuration', async () => {
      fake.setPhonePolicy({
        sms: {
          state: 'enabled',
          includeTargets: [
            { targetType: 'group', id: 'a1b2c3d4-0000-4000-8000-000000000001' },
            { targetType: 'group', id: 'a1b2c3d4-0000-4000-8000-000000000002' },
          ],
        },
        voice: {
          state: 'disabled',
          isOfficePhoneAllowed: false,
          excludeTargets: [{ targetType: 'group', id: 'a1b2c3d4-0000-4000-8000-000000000003' }],
        },
      });
      const outcome = await reader().readOnce();
      expect(outcome).toEqual({
        ok: true,
        state: { smsEnabled: true, voiceEnabled: false, officePhoneAllowed: false, ...COMPLETE },
        sms: { enabled: true, allUsers: false, includedGroups: 2, excludedGroups: 0 },
        voice: { enabled: false, allUsers: true, includedGroups: 0, excludedGroups: 1 },
      });
    });

    it('names a refused read permission_denied with the status and request id', async () => {
      fake.denyPolicyRead();
      const outcome = await reader().readOnce();
      expect(outcome).toMatchObject({ ok: false, reason: 'permission_denied', status: 403, graphCode: 'accessDenied' });
      expect(outcome.ok === false && typeof outcome.requestId).toBe('string');
    });

    it('reports a Graph without a token as permission_denied (401)', async () => {
      const outcome = await reader({ token: new FixedToken('some-other-token') }).readOnce();
      expect(outcome).toMatchObject({ ok: false, reason: 'permission_denied', status: 401 });
    });

    it('reports a closed port as unavailable', async () => {
      const baseUrl = fake.baseUrl;
      await fake.close();
      const policy = new AuthMethodsPolicyReader({
        tokenProvider: new FixedToken(TOKEN),
        baseUrl,
        fetchOptions: { dispatcher: agent },
        logger: log.logger,
        clock,
      });
      expect(await policy.readOnce()).toEqual({ ok: false, reason: 'unavailable' });
      fake = await FakeGraphServer.start({ tls, expectedToken: TOKEN });
    });
  });
});

describe('FakeGraphServer policy endpoints', () => {
  it('answers case-insensitive ids, 404 for unknown configurations and 405 for writes', async () => {
    const tls = await createTestTls();
    const fake = await FakeGraphServer.start({ tls, expectedToken: TOKEN });
    const agent = createTrustingAgent(tls.cert);
    try {
      const get = async (path: string, method = 'GET') => {
        const response = await fetch(`${fake.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${TOKEN}` },
          dispatcher: agent,
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const base = '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations';
      expect((await get(`${base}/Sms`)).body.id).toBe('Sms');
      expect((await get(`${base}/fido2`)).status).toBe(404);
      expect((await get(`${base}/voice`, 'PATCH')).status).toBe(405);
    } finally {
      await fake.close();
      await agent.close();
    }
  });
});
