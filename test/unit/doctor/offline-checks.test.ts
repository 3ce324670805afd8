import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Agent } from 'undici';
import { checkAcs } from '../../../tools/doctor/acs-check';
import { checkConfig } from '../../../tools/doctor/config-check';
import { checkMode } from '../../../tools/doctor/mode-check';
import { checkPublicUrl } from '../../../tools/doctor/public-url-check';
import { checkTelephony } from '../../../tools/doctor/telephony-check';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';

const ACS_KEY = Buffer.from('acs-access-key-0123456789').toString('base64');
const ACS = `endpoint=https://contoso.communication.azure.com/;accesskey=${ACS_KEY}`;
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  MICROSOFT_APP_ID: '9a3c1d0e-1111-4222-8333-444455556666',
  MICROSOFT_APP_PASSWORD: 'client-secret-value-Qx7~',
  MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  VERIFICATION_SECRET: 'v'.repeat(40),
  ACS_CONNECTION_STRING: ACS,
  ACS_SMS_FROM: '+18005550100',
  ACS_CALLER_ID: '+18005550101',
  ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
  PUBLIC_BASE_URL: 'https://mfa-bot.contoso.com',
  DEFAULT_REGION: 'JP',
};

const lines = (results: readonly { status: string; title: string }[]) => results.map((r) => `${r.status} ${r.title}`);

describe('checkConfig', () => {
  it('passes a valid production environment and returns the config', () => {
    const check = checkConfig(PRODUCTION_ENV);
    expect(lines(check.results)).toEqual(['ok Configuration is valid (NODE_ENV=production)']);
    expect(check.config?.bot.appId).toBe(PRODUCTION_ENV.MICROSOFT_APP_ID);
  });

  it('prints every problem, the fix after the first colon', () => {
    const check = checkConfig({ ...PRODUCTION_ENV, MICROSOFT_APP_TENANT_ID: 'contoso', VERIFICATION_SECRET: 'short', ACS_CALLER_ID: '' });
    expect(check.config).toBeUndefined();
    expect(check.results.map((r) => r.title)).toEqual([
      'MICROSOFT_APP_TENANT_ID is missing or not a GUID',
      'VERIFICATION_SECRET is missing or shorter than 32 characters',
      'ACS_CALLER_ID is missing or invalid',
    ]);
    expect(check.results.every((r) => r.status === 'fail' && (r.fix ?? '').length > 0)).toBe(true);
    expect(JSON.stringify(check.results)).not.toContain(PRODUCTION_ENV.MICROSOFT_APP_PASSWORD);
  });
});

describe('checkMode', () => {
  it('fails demo mode', () => {
    const config = checkConfig({}).config;
    if (!config) throw new Error('the empty environment should load as the demo');
    expect(checkMode(config)).toEqual([expect.objectContaining({ status: 'fail', title: expect.stringMatching(/^Demo mode: not production-ready/) })]);
  });

  it('passes production and warns when NODE_ENV is not production', () => {
    const production = checkConfig(PRODUCTION_ENV).config;
    const development = checkConfig({ ...PRODUCTION_ENV, NODE_ENV: 'development' }).config;
    if (!production || !development) throw new Error('both environments should load');
    expect(checkMode(production).map((r) => r.status)).toEqual(['ok']);
    expect(checkMode(development).map((r) => r.status)).toEqual(['ok', 'warn']);
  });
});

describe('checkAcs', () => {
  const acs = (overrides: Record<string, string> = {}) => {
    const config = checkConfig({ ...PRODUCTION_ENV, ...overrides }).config;
    if (!config) throw new Error('the environment should load');
    return checkAcs({ acs: config.acs, publicBaseUrl: config.publicBaseUrl, demoMode: config.demoMode, allowedCountries: config.phone.allowedCountries });
  };

  it('parses the connection string, builds the clients and says what it did not check', () => {
    const results = acs();
    expect(lines(results)).toEqual([
      'ok ACS connection string parses (resource https://contoso.communication.azure.com); SMS and Call Automation clients built',
      'ok SMS sender +18005550100 (number)',
      'ok Caller id +18005550101',
      'warn Spoken prompts use the Azure AI services endpoint https://contoso-ai.cognitiveservices.azure.com/; its connection to ACS and the role are not checked offline',
      'warn ACS numbers cannot text JP: users with such numbers are offered "Call me" only',
      'warn ACS access key and numbers not checked: the doctor sends no SMS and places no call',
      'ok Voice callbacks go to https://mfa-bot.contoso.com/api/calls (a per-call secret in the URL)',
      "ok Callback JWT check off (optional: set ACS_CALLBACK_JWT_AUDIENCE to the ACS resource's immutable id to add it)",
    ]);
    expect(JSON.stringify(results)).not.toContain(ACS_KEY);
  });

  it('fails an access key that is not base64, without printing it', () => {
    const results = acs({ ACS_CONNECTION_STRING: 'endpoint=https://contoso.communication.azure.com/;accesskey=not base64 at all!' });
    expect(results[0]).toEqual(expect.objectContaining({ status: 'fail', title: 'ACS_CONNECTION_STRING has no valid access key' }));
    expect(JSON.stringify(results)).not.toContain('not base64 at all');
  });

  it('reports a managed identity as not checked', () => {
    const results = acs({ ACS_CONNECTION_STRING: '', ACS_ENDPOINT: 'https://contoso.communication.azure.com' });
    expect(lines(results).slice(0, 2)).toEqual([
      'ok ACS endpoint https://contoso.communication.azure.com with a managed identity (DefaultAzureCredential)',
      'warn ACS managed identity access not checked',
    ]);
  });

  it('shows an alphanumeric sender and the callback JWT audience', () => {
    const results = lines(acs({ ACS_SMS_FROM: 'Contoso', ACS_CALLBACK_JWT_AUDIENCE: 'acs-resource-immutable-id' }));
    expect(results).toContain('ok SMS sender Contoso (alphanumeric sender id; not every country accepts one)');
    expect(results).toContain('ok Callback JWT check on (audience acs-resource-immutable-id)');
  });

  it('fails when calls cannot speak: no AI services endpoint', () => {
    const config = checkConfig({ ...PRODUCTION_ENV, NODE_ENV: 'development', ACS_COGNITIVE_SERVICES_ENDPOINT: '' }).config;
    if (!config) throw new Error('the environment should load outside production');
    const results = checkAcs({ acs: config.acs, publicBaseUrl: config.publicBaseUrl, demoMode: config.demoMode });
    const spoken = results.find((r) => r.title.startsWith('ACS_COGNITIVE_SERVICES_ENDPOINT'));
    expect(spoken).toEqual(expect.objectContaining({ status: 'fail', fix: expect.stringContaining('Cognitive Services User') }));
  });

  it('reports Messaging Connect as public preview without printing its key, and no longer warns about Japan', () => {
    const key = 'infobip-key-not-real-77aa';
    const results = acs({ ACS_MESSAGING_CONNECT_PARTNER: 'infobip', ACS_MESSAGING_CONNECT_API_KEY: key, ACS_MESSAGING_CONNECT_COUNTRIES: 'JP' });
    expect(lines(results)).toContain(
      'warn Messaging Connect (public preview) through infobip for JP (sender +18005550100); the partner key is not checked offline',
    );
    expect(lines(results).some((l) => l.includes('cannot text'))).toBe(false);
    expect(JSON.stringify(results)).not.toContain(key);
  });

  it('does not warn about Japan when only other countries are allowed', () => {
    expect(lines(acs({ DEFAULT_REGION: 'US', ALLOWED_COUNTRIES: 'US' })).some((l) => l.includes('cannot text'))).toBe(false);
  });

  it('warns in demo mode without ACS', () => {
    expect(checkAcs({ acs: undefined, publicBaseUrl: '', demoMode: true }).map((r) => r.status)).toEqual(['warn']);
    expect(checkAcs({ acs: undefined, publicBaseUrl: '', demoMode: false }).map((r) => r.status)).toEqual(['fail']);
  });
});

describe('checkPublicUrl', () => {
  let tls: TestTls;
  let agent: Agent;
  let server: https.Server;
  let healthStatus = 200;
  let healthDelayMs = 0;
  let base = '';

  beforeAll(async () => {
    tls = await createTestTls();
    agent = createTrustingAgent(tls.cert);
    server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      setTimeout(() => {
        res.writeHead(req.url === '/healthz' ? healthStatus : 404, { 'Content-Type': 'application/json' });
        res.end('{"status":"ok"}');
      }, healthDelayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await agent.close();
  });

  beforeEach(() => {
    healthStatus = 200;
    healthDelayMs = 0;
  });

  it('passes an https URL whose /healthz answers 200', async () => {
    const results = await checkPublicUrl({ publicBaseUrl: base, demoMode: false, fetchOptions: { dispatcher: agent } });
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(results[1]?.title).toMatch(new RegExp(`^GET ${base}/healthz answered 200 in \\d+ ms$`));
  });

  it('warns when /healthz answers something else', async () => {
    healthStatus = 503;
    const results = await checkPublicUrl({ publicBaseUrl: base, demoMode: false, fetchOptions: { dispatcher: agent } });
    expect(lines(results)[1]).toBe(`warn GET ${base}/healthz answered 503`);
  });

  it('warns when /healthz does not answer in time', async () => {
    healthDelayMs = 2_000;
    const results = await checkPublicUrl({ publicBaseUrl: base, demoMode: false, fetchOptions: { dispatcher: agent }, timeoutMs: 200 });
    expect(lines(results)[1]).toBe(`warn GET ${base}/healthz: no answer within 0.2 s`);
  });

  it('warns when the certificate is not trusted', async () => {
    const results = await checkPublicUrl({ publicBaseUrl: base, demoMode: false });
    expect(lines(results)[1]).toMatch(
      new RegExp(`^warn GET ${base}/healthz: not reachable \\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\\)$`),
    );
  });

  it('can skip the probe', async () => {
    const results = await checkPublicUrl({ publicBaseUrl: base, demoMode: false, probe: false });
    expect(lines(results)[1]).toBe(`warn GET ${base}/healthz not checked (skipped)`);
  });

  it('fails a missing URL in production and warns in demo mode', async () => {
    expect((await checkPublicUrl({ publicBaseUrl: '', demoMode: false })).map((r) => r.status)).toEqual(['fail']);
    expect((await checkPublicUrl({ publicBaseUrl: '', demoMode: true })).map((r) => r.status)).toEqual(['warn']);
  });

  it('warns about plain http', async () => {
    const results = await checkPublicUrl({ publicBaseUrl: 'http://127.0.0.1:9', demoMode: true, probe: false });
    expect(results[0]).toEqual(expect.objectContaining({ status: 'warn', title: expect.stringContaining('is not https') }));
  });
});

describe('checkTelephony', () => {
  it.each([
    { today: '2026-11-27T00:00:00Z', provider: false, status: 'warn', text: 'on 2027-02-01 (in 66 days)' },
    { today: '2027-02-01T00:00:00Z', provider: false, status: 'fail', text: 'registered phones cannot be used to sign in' },
    { today: '2027-03-01T00:00:00Z', provider: true, status: 'ok', text: 'customer-managed telecom provider is configured' },
  ])('$today with provider $provider → $status', ({ today, provider, status, text }) => {
    const [result] = checkTelephony({ today: new Date(today), retirementDate: '2027-02-01', providerConfigured: provider });
    expect(result?.status).toBe(status);
    expect(result?.title).toContain(text);
  });

  it('fails a date that does not exist', () => {
    expect(checkTelephony({ today: new Date(), retirementDate: '2027-02-30', providerConfigured: false })).toEqual([
      expect.objectContaining({ status: 'fail', title: 'PHONE_MFA_RETIREMENT_DATE "2027-02-30" is not a calendar date' }),
    ]);
  });
});
