import { checkTwilio } from '../../../tools/doctor/twilio-check';
import { checkTwilioCredentials } from '../../../tools/doctor/twilio-credentials-check';
import { FakeTwilioServer } from '../../fakes/fake-twilio-server';
import { loadConfig } from '../../../src/config/load-config';
import { runDoctor } from '../../../tools/doctor/run-doctor';

const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const API_SECRET = 'api-secret-never-shown-42';
const ENV = {
  NODE_ENV: 'production',
  MICROSOFT_APP_ID: '6f1c1d5e-2b7a-4c58-9c0e-1d2e3f4a5b6c',
  MICROSOFT_APP_PASSWORD: 'not-a-real-secret-value',
  MICROSOFT_APP_TENANT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  VERIFICATION_SECRET: 'v'.repeat(44),
  PUBLIC_BASE_URL: 'https://mfa-bot.contoso.example',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_SMS_FROM: `MG${'1'.repeat(32)}`,
  TWILIO_CALLER_ID: '+15005550007',
};

describe('checkTwilio (offline)', () => {
  it('describes the account, senders, routes and webhook address without secrets, and says what it did not check', () => {
    const results = checkTwilio(loadConfig({ ...ENV, TWILIO_API_KEY: `SK${'2'.repeat(32)}`, TWILIO_API_SECRET: API_SECRET }));
    const text = results.map((r) => `${r.status} ${r.title} ${r.fix ?? ''}`).join('\n');
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'warn']);
    expect(text).toContain('Messaging Service');
    expect(text).toContain('Delivery routes *=twilio');
    expect(text).toContain('https://mfa-bot.contoso.example/api/calls/twilio/');
    expect(text).toContain('geo permissions');
    expect(text).not.toContain(AUTH_TOKEN);
    expect(text).not.toContain(API_SECRET);
  });

  it('says Twilio is not configured when it is not', () => {
    expect(checkTwilio(loadConfig({}))).toEqual([{ status: 'ok', title: 'Twilio not configured (demo delivery)' }]);
  });

  it('runs in the doctor for a Twilio-only deployment without asking for ACS', async () => {
    const report = await runDoctor({
      env: ENV,
      // Sign-in is refused at once: only the delivery sections matter here.
      networkClient: {
        sendGetRequestAsync: async () => ({ status: 404, headers: {}, body: {} as never }),
        sendPostRequestAsync: async () => ({ status: 400, headers: {}, body: { error: 'invalid_client' } as never }),
      },
      probePublicUrl: false,
    });
    const headings = report.sections.map((s) => s.heading);
    expect(headings).toContain('Twilio');
    expect(headings).not.toContain('Azure Communication Services');
    expect(report.sections.find((s) => s.heading === 'Twilio')?.results[0]?.title).toContain(ENV.TWILIO_ACCOUNT_SID);
  });
});

describe('checkTwilioCredentials (online)', () => {
  let fake: FakeTwilioServer;
  beforeEach(async () => {
    fake = await FakeTwilioServer.start({ accountSid: ENV.TWILIO_ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterEach(async () => {
    await fake.close();
  });

  const configWith = (env: Record<string, string>) => loadConfig({ ...ENV, TWILIO_API_BASE_URL: fake.url, ...env });
  const lines = (results: Array<{ status: string; title: string }>) => results.map((r) => `${r.status} ${r.title}`);

  it('reads the account with the credentials and reports it active, sending nothing', async () => {
    expect(lines(await checkTwilioCredentials(configWith({})))).toEqual([`ok Twilio accepted the credentials; account ${ENV.TWILIO_ACCOUNT_SID} is active`]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /2010-04-01/Accounts/${ENV.TWILIO_ACCOUNT_SID}.json`]);
  });

  it('fails when Twilio refuses the credentials, naming the settings but never the secret', async () => {
    const results = await checkTwilioCredentials(configWith({ TWILIO_AUTH_TOKEN: 'e'.repeat(32) }));
    expect(lines(results)).toEqual([`fail Twilio refused the credentials for account ${ENV.TWILIO_ACCOUNT_SID}`]);
    expect(JSON.stringify(results)).toContain('TWILIO_AUTH_TOKEN');
    expect(JSON.stringify(results)).not.toContain('e'.repeat(32));
  });

  it('fails for a suspended account', async () => {
    fake.accountStatus = 'suspended';
    expect(lines(await checkTwilioCredentials(configWith({})))).toEqual([`fail Twilio account ${ENV.TWILIO_ACCOUNT_SID} is suspended`]);
  });

  it('only warns when Twilio cannot be reached', async () => {
    const config = configWith({});
    await fake.close();
    expect((await checkTwilioCredentials(config)).map((r) => r.status)).toEqual(['warn']);
    fake = await FakeTwilioServer.start({ accountSid: ENV.TWILIO_ACCOUNT_SID, authToken: AUTH_TOKEN });
  });

  it('is part of an online doctor run, and left out with --no-probe', async () => {
    const run = (probePublicUrl: boolean) =>
      runDoctor({
        env: { ...ENV, TWILIO_API_BASE_URL: fake.url },
        networkClient: {
          sendGetRequestAsync: async () => ({ status: 404, headers: {}, body: {} as never }),
          sendPostRequestAsync: async () => ({ status: 400, headers: {}, body: { error: 'invalid_client' } as never }),
        },
        probePublicUrl,
      });
    const titles = async (probe: boolean) => ((await run(probe)).sections.find((s) => s.heading === 'Twilio')?.results ?? []).map((r) => r.title);
    expect(await titles(false)).not.toContainEqual(expect.stringContaining('accepted the credentials'));
    expect(fake.requests).toEqual([]);
    expect(await titles(true)).toContainEqual(expect.stringContaining('accepted the credentials'));
  });
});
