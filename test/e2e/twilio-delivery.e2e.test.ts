import { MemoryStateStorage } from '../../src/storage/memory-state-storage';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { ConnectorSink } from '../fakes/connector-sink';
import { FakeAcsServer } from '../fakes/fake-acs-server';
import { FakeTwilioServer, type FakeTwilioCall } from '../fakes/fake-twilio-server';
import { LoadBalancer } from '../fakes/load-balancer';
import type { TestTls } from '../fakes/test-tls';
import { StaticPolicyReader } from '../../src/policy/static-policy-reader';
import { actionOf, cardOf, cardText, type CardJson } from '../support/card-helpers';
import { lastCardIn, pressLastCard } from '../support/card-press';
import { E2eBot } from '../support/e2e-bot';
import { useProductionIdentity, type E2eIdentity } from '../support/e2e-identity';

const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-auth-token-not-real-1e4b';
const TWILIO_ENV = { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_SMS_FROM: '+15005550006', TWILIO_CALLER_ID: '+15005550007' };
const ACS_ENV = {
  ACS_SMS_FROM: '+18005550100',
  ACS_CALLER_ID: '+18005550101',
  ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
};
const MC_KEY = 'infobip-api-key-not-real-4f2a';
/** Texts to Japan go through Twilio; ACS (with Messaging Connect, so it could text Japan too) takes the rest. */
const TWILIO_TEXTS_JAPAN_ACS_BEHIND = {
  withAcs: true,
  env: {
    DELIVERY_ROUTES: 'JP:sms=twilio,*=acs',
    ACS_MESSAGING_CONNECT_PARTNER: 'infobip',
    ACS_MESSAGING_CONNECT_API_KEY: MC_KEY,
    ACS_MESSAGING_CONNECT_COUNTRIES: 'JP',
  },
};
const JP_NUMBER = '+819012345678';

/**
 * Real delivery through Twilio (a local fake speaking Twilio's REST API and posting signed webhooks),
 * in production mode behind an https front, beside ACS (another local fake) where a test routes to both.
 */
describe('real delivery through Twilio (local fake), end to end', () => {
  let tls: TestTls;
  let sink: ConnectorSink;
  let identity: E2eIdentity;
  let twilio: FakeTwilioServer;
  let acs: FakeAcsServer;
  let front: LoadBalancer;
  let bot: E2eBot | undefined;
  let directory: DemoPhoneDirectory;
  let stored: Record<string, string>;

  const production = useProductionIdentity();
  beforeAll(() => {
    ({ tls, identity } = production());
  });

  beforeEach(async () => {
    sink = await ConnectorSink.start();
    twilio = await FakeTwilioServer.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, webhookCa: tls.cert });
    acs = await FakeAcsServer.start({ callbackCa: tls.cert });
    acs.messagingConnectKeys.set('infobip', MC_KEY);
    front = await LoadBalancer.start({ tls });
    directory = new DemoPhoneDirectory();
    stored = {};
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await front.close();
    await acs.close();
    await twilio.close();
    await sink.close();
  });

  /** Starts the bot with Twilio, plus ACS when `withAcs`, and the given route table. */
  async function startBot(options: { withAcs?: boolean; env?: Record<string, string> } = {}): Promise<E2eBot> {
    const started = new E2eBot(
      sink,
      {
        ...identity.env(),
        ...TWILIO_ENV,
        TWILIO_API_BASE_URL: twilio.url,
        ...(options.withAcs ? { ...ACS_ENV, ACS_CONNECTION_STRING: acs.connectionString } : {}),
        PUBLIC_BASE_URL: front.url,
        ...options.env,
      },
      { directory, storage: new MemoryStateStorage(stored), policyReader: new StaticPolicyReader(), auth: identity.auth() },
      identity.botOptions(sink),
    );
    await started.start();
    front.routeTo(started.url);
    bot = started;
    return started;
  }

  const lastCard = (): { id: string; card: CardJson } => lastCardIn(sink);
  const press = (action: string, inputs: Record<string, string> = {}): Promise<void> => pressLastCard(sink, (activity) => bot!.post(activity), action, inputs);

  async function toMethodCard(region = 'JP', number = '090-1234-5678'): Promise<void> {
    await bot!.post({ type: 'message', text: 'add phone' });
    await press('type.next', { phoneType: 'mobile' });
    await press('number.next', { region, number });
  }

  async function startCall(): Promise<{ call: FakeTwilioCall; code: string }> {
    await toMethodCard();
    await press('method.call');
    await press('call.start');
    await sink.waitFor(() => twilio.calls.size === 1);
    const code = /(\d{3}) (\d{3})/.exec(cardText(lastCard().card));
    if (!code) throw new Error('no code on the calling card');
    return { call: [...twilio.calls.values()][0]!, code: code[1]! + code[2]! };
  }

  const registeredCount = (): number => sink.replies.filter((r) => cardText(cardOf(r)).includes('Your phone is registered')).length;

  it('registers by text through Twilio: the code, its expiry and "do not share" in one message', async () => {
    await startBot();
    await toMethodCard();
    await press('method.sms');
    await sink.waitFor(() => cardText(lastCard().card).includes('We sent a 6-digit code'), 15_000);
    const [send] = twilio.requestsTo('Messages');
    expect(send!.status).toBe(201);
    expect(send!.form.To).toEqual([JP_NUMBER]);
    expect(send!.form.From).toEqual(['+15005550006']);
    const body = send!.form.Body![0]!;
    expect(body).toMatch(/^\d{3} \d{3} is your sign-in verification code .* expires in 10 minutes\. Do not share this code/);
    await press('code.verify', { code: body.slice(0, 7).replace(' ', '') });
    expect(cardText(lastCard().card)).toContain('Your phone is registered');
    expect(bot!.log).not.toMatch(/9012345678/);
    expect(bot!.log).not.toContain(AUTH_TOKEN);
    expect(bot!.log).toMatch(/"provider":"twilio"/);
  }, 30_000);

  it('routes per country: Japan texts through Twilio while ACS (no Messaging Connect) cannot, the US through ACS', async () => {
    await startBot({ withAcs: true, env: { ALLOWED_COUNTRIES: 'JP,US', DELIVERY_ROUTES: 'JP:sms=twilio,*=acs' } });
    await toMethodCard('JP');
    await press('method.sms');
    await sink.waitFor(() => twilio.requestsTo('Messages').length === 1);
    await bot!.post({ type: 'message', text: 'cancel' });
    await toMethodCard('US', '415-555-0123');
    await press('method.sms');
    await sink.waitFor(() => acs.requestsTo('/sms').length === 1);
    expect(twilio.requestsTo('Messages')).toHaveLength(1);
  }, 30_000);

  it('offers no text where the route goes to ACS without Messaging Connect', async () => {
    await startBot({ withAcs: true, env: { DELIVERY_ROUTES: 'JP:sms=acs,*=twilio' } });
    await toMethodCard();
    expect(actionOf(lastCard().card, 'method.sms')).toBeUndefined();
    expect(actionOf(lastCard().card, 'method.call')).toBeDefined();
  }, 30_000);

  it('fails over to ACS when Twilio refuses before sending (21408, Japan not enabled in geo permissions)', async () => {
    twilio.geoBlocked.add('+81');
    await startBot(TWILIO_TEXTS_JAPAN_ACS_BEHIND);
    await toMethodCard();
    await press('method.sms');
    await sink.waitFor(() => cardText(lastCard().card).includes('We sent a 6-digit code'), 15_000);
    expect(twilio.requestsTo('Messages').map((r) => r.status)).toEqual([400]);
    expect(acs.requestsTo('/sms')).toHaveLength(1);
    expect(bot!.log).toContain('failing over');
  }, 30_000);

  it('does not fail over when Twilio took the request and never answered: the user is told, nothing is resent', async () => {
    twilio.dropAfterReceipt = 1;
    await startBot(TWILIO_TEXTS_JAPAN_ACS_BEHIND);
    await toMethodCard();
    await press('method.sms');
    await sink.waitFor(() => cardText(lastCard().card).includes('We could not send a text message to +81 XXXXXX5678'), 15_000);
    expect(actionOf(lastCard().card, 'method.call')).toBeDefined();
    expect(twilio.requestsTo('Messages')).toHaveLength(1);
    expect(acs.requestsTo('/sms')).toEqual([]);
  }, 30_000);

  it('tells the user when Twilio refuses the text (unsubscribed, 21610) and offers "Call me"', async () => {
    twilio.unsubscribed.add(JP_NUMBER);
    await startBot();
    await toMethodCard();
    await press('method.sms');
    await sink.waitFor(() => cardText(lastCard().card).includes('We could not send a text message to +81 XXXXXX5678'), 15_000);
    expect(actionOf(lastCard().card, 'method.call')).toBeDefined();
  }, 30_000);

  it("registers by a call: the prompt in the user's language, six digits gathered, thanks; a repeated webhook registers nothing more", async () => {
    await startBot();
    const { call, code } = await startCall();
    expect(call.to).toBe(JP_NUMBER);
    expect(call.from).toBe('+15005550007');
    expect(call.statusCallback?.startsWith(`${front.url}/api/calls/twilio/status?`)).toBe(true);
    expect(call.twiml).toMatch(/<Gather [^>]*input="dtmf"[^>]*numDigits="6"|<Gather [^>]*numDigits="6"[^>]*input="dtmf"/);
    expect(call.twiml).toContain('actionOnEmptyResult="true"');
    expect(call.twiml).not.toContain(code);
    expect(twilio.says(call.sid)).toEqual([{ language: 'en-US', text: expect.stringMatching(/keypad|code/i) }]);

    const keyed = await twilio.keyDigits(call.sid, code);
    expect(keyed.status).toBe(200);
    expect(twilio.says(call.sid)).toEqual([{ language: 'en-US', text: expect.stringMatching(/thank/i) }]);
    expect(keyed.body).toContain('<Hangup/>');
    await sink.waitFor(() => registeredCount() === 1, 15_000);

    expect((await twilio.postWebhook(keyed.url, { CallSid: call.sid, Digits: code, CallStatus: 'in-progress' })).status).toBe(200);
    expect((await twilio.endCall(call.sid, 'completed')).status).toBe(200);
    // Stopping lets whatever the repeated webhook started finish first.
    await bot!.stop();
    expect(registeredCount()).toBe(1);
    expect(await directory.listPhoneMethods('00000000-0000-4000-8000-0000000e2e01')).toHaveLength(1);
    expect(bot!.log).not.toContain(code);
    expect(bot!.log).not.toMatch(/9012345678/);
  }, 30_000);

  it('re-prompts once when nothing was keyed, then says goodbye and reports no code', async () => {
    await startBot();
    const { call } = await startCall();
    const first = await twilio.keyDigits(call.sid, '');
    expect(first.status).toBe(200);
    expect(first.body).toContain('<Gather');
    expect(first.body).toContain('attempt=2');
    const second = await twilio.keyDigits(call.sid, '');
    expect(second.body).toContain('<Hangup/>');
    await sink.waitFor(() => cardText(lastCard().card).includes('We did not receive the code from the keypad'), 15_000);
  }, 30_000);

  it.each([
    ['no-answer', 'Nobody answered the call to +81 XXXXXX5678'],
    ['busy', 'The line +81 XXXXXX5678 was busy'],
    ['failed', 'The call to +81 XXXXXX5678 could not be made'],
    ['canceled', 'Nobody answered the call to +81 XXXXXX5678'],
  ] as const)(
    'maps a call that ended %s to the same card as ACS',
    async (status, text) => {
      await startBot();
      const { call } = await startCall();
      expect((await twilio.endCall(call.sid, status)).status).toBe(200);
      await sink.waitFor(() => cardText(lastCard().card).includes(text), 15_000);
    },
    30_000,
  );

  it("refuses webhooks with a bad signature, or without the call's token, with 401 and registers nothing", async () => {
    await startBot();
    const { call, code } = await startCall();
    expect((await twilio.keyDigits(call.sid, code, { signature: 'bm90LWEtc2lnbmF0dXJl' })).status).toBe(401);
    const forgedUrl = `${front.url}/api/calls/twilio/gather?callId=${encodeURIComponent('x')}&token=nope&attempt=1`;
    expect((await twilio.postWebhook(forgedUrl, { CallSid: call.sid, Digits: code })).status).toBe(401);
    // Signed with another account's token.
    const other = await FakeTwilioServer.start({ accountSid: ACCOUNT_SID, authToken: 'another-token', webhookCa: tls.cert });
    try {
      const action = /action="([^"]*)"/.exec(call.twiml)![1]!.replace(/&amp;/g, '&');
      expect((await other.postWebhook(action, { CallSid: call.sid, Digits: code })).status).toBe(401);
    } finally {
      await other.close();
    }
    await bot!.stop();
    expect(registeredCount()).toBe(0);
  }, 30_000);

  it('fails over a call to ACS when Twilio may not call the country (21215)', async () => {
    twilio.geoBlocked.add('+81');
    await startBot({ withAcs: true, env: { DELIVERY_ROUTES: 'JP:voice=twilio,*=acs' } });
    await toMethodCard();
    await press('method.call');
    await press('call.start');
    await sink.waitFor(() => acs.calls.size === 1, 15_000);
    expect(twilio.requestsTo('Calls').map((r) => r.status)).toEqual([400]);
  }, 30_000);
});
