import { AcsSmsDelivery, type MessagingConnectRoute } from '../../../src/verification/acs/acs-sms-delivery';
import { FakeAcsServer } from '../../fakes/fake-acs-server';
import { memoryLogger } from './log-sink';

const TO = '+447700900123';
const JP = '+819012345678';
const MC_KEY = 'infobip-key-not-real-0123456789';
const FROM = '+18005550100';
const TEXT = 'Your verification code: 123 456. It expires in 10 minutes. Do not share this code.';

describe('AcsSmsDelivery against the fake ACS', () => {
  let fake: FakeAcsServer;
  beforeEach(async () => {
    fake = await FakeAcsServer.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  function delivery(options: { connectionString?: string; from?: string; timeoutMs?: number; messagingConnect?: MessagingConnectRoute } = {}) {
    const { logger, lines } = memoryLogger();
    const sms = new AcsSmsDelivery({
      connection: options.connectionString ?? fake.connectionString,
      from: options.from ?? FROM,
      logger,
      clientOptions: { allowInsecureConnection: true },
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.messagingConnect ? { messagingConnect: options.messagingConnect } : {}),
    });
    return { sms, lines };
  }

  it('sends one signed request with the exact body and reports the message id', async () => {
    const { sms, lines } = delivery();
    const result = await sms.sendSms({ to: TO, text: TEXT });

    const sent = fake.requestsTo('/sms');
    expect(sent).toHaveLength(1);
    expect(sent[0].status).toBe(202);
    expect(sent[0].path).toBe('/sms?api-version=2025-05-29-preview');
    expect(sent[0].headers.authorization).toMatch(/^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=/);
    expect(sent[0].body).toEqual({
      from: FROM,
      smsRecipients: [{ to: TO, repeatabilityRequestId: expect.any(String), repeatabilityFirstSent: expect.any(String) }],
      message: TEXT,
      smsSendOptions: { enableDeliveryReport: false, tag: 'phone-verification' },
    });
    expect(result).toEqual({ ok: true, providerId: expect.stringMatching(/^Outgoing_/) });
    const log = lines.join('\n');
    expect(log).toContain('+44 XXXXXX0123');
    expect(log).not.toContain('7700900123');
    expect(log).not.toContain('123 456');
  });

  it('accepts an alphanumeric sender id', async () => {
    const { sms } = delivery({ from: 'Contoso' });
    await expect(sms.sendSms({ to: TO, text: TEXT })).resolves.toMatchObject({ ok: true });
    expect(fake.requestsTo('/sms')[0].body).toMatchObject({ from: 'Contoso' });
  });

  it.each(['', '12345', 'ContosoBankLtd', '+0123'])('refuses the sender %p at construction', (from) => {
    expect(() => delivery({ from })).toThrow(/sender/);
  });

  it('treats a recipient ACS refused as rejected even though the request succeeded', async () => {
    fake.smsFailures.set(TO, { httpStatusCode: 400, errorMessage: `Invalid To phone number format ${TO}.` });
    const { sms, lines } = delivery();
    await expect(sms.sendSms({ to: TO, text: TEXT })).resolves.toEqual({ ok: false, reason: 'rejected' });
    expect(lines.join('\n')).not.toContain(TO);
  });

  it('reports a 5xx as failed and sends exactly once (no SDK retry)', async () => {
    fake.smsStatusQueue.push(500);
    const { sms } = delivery();
    await expect(sms.sendSms({ to: TO, text: TEXT })).resolves.toEqual({ ok: false, reason: 'failed' });
    expect(fake.requestsTo('/sms')).toHaveLength(1);
  });

  it('reports a wrong access key as unavailable (the fake checks the signature)', async () => {
    const wrongKey = Buffer.alloc(32, 7).toString('base64');
    const { sms } = delivery({ connectionString: `endpoint=${fake.endpoint};accesskey=${wrongKey}` });
    await expect(sms.sendSms({ to: TO, text: TEXT })).resolves.toEqual({ ok: false, reason: 'unavailable' });
    expect(fake.requestsTo('/sms')[0].status).toBe(401);
  });

  it('waits for a slow service within the timeout', async () => {
    fake.holdSms();
    const { sms } = delivery({ timeoutMs: 5_000 });
    const sent = sms.sendSms({ to: TO, text: TEXT });
    await fake.smsHeld();
    fake.releaseSms();
    await expect(sent).resolves.toMatchObject({ ok: true });
  });

  it('gives up on a service slower than the timeout', async () => {
    fake.holdSms();
    const { sms } = delivery({ timeoutMs: 100 });
    // The fake holds the reply until the test releases it: giving up is the only way this resolves.
    await expect(sms.sendSms({ to: TO, text: TEXT })).resolves.toEqual({ ok: false, reason: 'failed' });
    expect(fake.heldSms).toBe(1);
    expect(fake.requestsTo('/sms')).toEqual([]);
    fake.releaseSms();
  });

  it('does not contact ACS for a number that is not E.164', async () => {
    const { sms } = delivery();
    await expect(sms.sendSms({ to: '090-1234-5678', text: TEXT })).resolves.toEqual({ ok: false, reason: 'rejected' });
    expect(fake.requests).toHaveLength(0);
  });

  describe('Messaging Connect (Japan)', () => {
    const route: MessagingConnectRoute = { partner: 'infobip', apiKey: MC_KEY, countries: ['jp'], from: '+818012340000' };

    it('is refused by ACS with 400 when a Japanese number is texted without it', async () => {
      const { sms } = delivery();
      await expect(sms.sendSms({ to: JP, text: TEXT })).resolves.toEqual({ ok: false, reason: 'rejected' });
      const [sent] = fake.requestsTo('/sms');
      expect(sent?.status).toBe(400);
    });

    it('carries the partner and key for a Japanese number and is delivered, without logging the key', async () => {
      fake.messagingConnectKeys.set('infobip', MC_KEY);
      const { sms, lines } = delivery({ messagingConnect: route });
      await expect(sms.sendSms({ to: JP, text: TEXT })).resolves.toMatchObject({ ok: true });
      const [sent] = fake.requestsTo('/sms');
      expect(sent?.status).toBe(202);
      expect(sent?.body).toMatchObject({
        from: '+818012340000',
        smsRecipients: [{ to: JP }],
        smsSendOptions: { enableDeliveryReport: false, tag: 'phone-verification', messagingConnect: { apiKey: MC_KEY, partner: 'infobip' } },
      });
      const log = lines.join('\n');
      expect(log).toContain('infobip');
      expect(log).not.toContain(MC_KEY);
    });

    it('leaves other countries on the ACS number, without the partner key', async () => {
      const { sms } = delivery({ messagingConnect: route });
      await expect(sms.sendSms({ to: TO, text: TEXT })).resolves.toMatchObject({ ok: true });
      const body = fake.requestsTo('/sms')[0]?.body as { from: string; smsSendOptions: Record<string, unknown> };
      expect(body.from).toBe(FROM);
      expect(body.smsSendOptions).not.toHaveProperty('messagingConnect');
    });

    it('is refused when the key does not match the partner', async () => {
      fake.messagingConnectKeys.set('infobip', 'another-key');
      const { sms } = delivery({ messagingConnect: route });
      await expect(sms.sendSms({ to: JP, text: TEXT })).resolves.toEqual({ ok: false, reason: 'rejected' });
      expect(fake.requestsTo('/sms')[0]?.status).toBe(400);
    });
  });
});
