import { FakeTwilioServer } from '../../fakes/fake-twilio-server';
import { memoryLogger } from '../acs/log-sink';
import { createTwilioClient } from '../../../src/verification/twilio/twilio-connection';
import { TwilioSmsDelivery } from '../../../src/verification/twilio/twilio-sms-delivery';

const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'auth-token-not-real-7c1d9e';
const API_KEY = { sid: `SK${'2'.repeat(32)}`, secret: 'api-secret-not-real-3b8a' };
const SERVICE_SID = `MG${'3'.repeat(32)}`;

describe('TwilioSmsDelivery against a local Twilio', () => {
  let twilio: FakeTwilioServer;
  beforeEach(async () => {
    twilio = await FakeTwilioServer.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKey: API_KEY });
  });
  afterEach(async () => {
    await twilio.close();
  });

  function delivery(options: { from?: string; authToken?: string; apiKey?: boolean; timeoutMs?: number } = {}): { sms: TwilioSmsDelivery; lines: string[] } {
    const { logger, lines } = memoryLogger();
    const client = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: options.authToken ?? AUTH_TOKEN,
      ...(options.apiKey ? { apiKey: API_KEY.sid, apiSecret: API_KEY.secret } : {}),
      apiBaseUrl: twilio.url,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    return { sms: new TwilioSmsDelivery({ client, from: options.from ?? '+15005550006', logger }), lines };
  }

  it('sends the text once, form-encoded with Basic auth, and returns the message SID', async () => {
    const { sms, lines } = delivery();
    const result = await sms.sendSms({ to: '+819012345678', text: '123 456 is your code' });
    expect(result).toEqual({ ok: true, providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    const [request] = twilio.requestsTo('Messages');
    expect(twilio.requests).toHaveLength(1);
    expect(request!.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request!.form).toEqual({ To: ['+819012345678'], Body: ['123 456 is your code'], From: ['+15005550006'] });
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(lines.join('\n')).not.toMatch(/9012345678|123 456/);
    expect(lines.join('\n')).toContain('"provider":"twilio"');
  });

  it('sends from a Messaging Service and authenticates with an API key', async () => {
    const { sms } = delivery({ from: SERVICE_SID, apiKey: true });
    expect((await sms.sendSms({ to: '+14155550123', text: 'x' })).ok).toBe(true);
    const [request] = twilio.requestsTo('Messages');
    expect(request!.form.MessagingServiceSid).toEqual([SERVICE_SID]);
    expect(request!.form.From).toBeUndefined();
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${API_KEY.sid}:${API_KEY.secret}`).toString('base64')}`);
  });

  it.each([
    ['a region not enabled (21408): another provider may try', 'geo', { ok: false, reason: 'unavailable', nothingSent: true }],
    ['an unsubscribed recipient (21610): no other provider may text them', 'stop', { ok: false, reason: 'rejected' }],
    ['wrong credentials (20003): another provider may try', 'auth', { ok: false, reason: 'unavailable', nothingSent: true }],
  ])('maps %s', async (_name, kind, expected) => {
    twilio.geoBlocked.add('+81');
    twilio.unsubscribed.add('+14155550123');
    const { sms } = delivery(kind === 'auth' ? { authToken: 'wrong-token' } : {});
    const to = kind === 'stop' ? '+14155550123' : '+819012345678';
    expect(await sms.sendSms({ to, text: 'x' })).toEqual(expected);
    expect(twilio.requests[0]!.status).toBe(kind === 'auth' ? 401 : 400);
  });

  it('refuses a number Twilio calls invalid (21211) without failover', async () => {
    const { sms } = delivery();
    twilio.scriptedErrors.push({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    expect(await sms.sendSms({ to: '+819012345678', text: 'x' })).toEqual({ ok: false, reason: 'rejected' });
  });

  it('never resends when the answer is lost after the request left, and says it may have gone out', async () => {
    const { sms } = delivery();
    twilio.dropAfterReceipt = 1;
    expect(await sms.sendSms({ to: '+819012345678', text: 'x' })).toEqual({ ok: false, reason: 'failed' });
    twilio.scriptedErrors.push({ status: 503, code: 20503, message: 'Service unavailable' });
    expect(await sms.sendSms({ to: '+819012345678', text: 'x' })).toEqual({ ok: false, reason: 'failed' });
    twilio.scriptedErrors.push({ status: 429, code: 20429, message: 'Too Many Requests' });
    expect(await sms.sendSms({ to: '+819012345678', text: 'x' })).toEqual({ ok: false, reason: 'failed' });
    expect(twilio.requestsTo('Messages')).toHaveLength(3);
  });

  it('treats a timeout after the request left as ambiguous: failed, not "nothing sent", and sent once', async () => {
    const { sms } = delivery({ timeoutMs: 200 });
    twilio.holdAfterReceipt = 1;
    expect(await sms.sendSms({ to: '+819012345678', text: 'x' })).toEqual({ ok: false, reason: 'failed' });
    expect(twilio.requestsTo('Messages')).toHaveLength(1);
  });
});
