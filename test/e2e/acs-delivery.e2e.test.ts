import { MemoryStateStorage } from '../../src/storage/memory-state-storage';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import type { NewPhoneMethod, PhoneMethod } from '../../src/directory/phone-directory';
import { ConnectorSink } from '../fakes/connector-sink';
import { FakeAcsServer, type FakeCall } from '../fakes/fake-acs-server';
import { LoadBalancer } from '../fakes/load-balancer';
import type { TestTls } from '../fakes/test-tls';
import { StaticPolicyReader } from '../../src/policy/static-policy-reader';
import { actionOf, cardOf, cardText, type CardJson } from '../support/card-helpers';
import { lastCardIn, pressLastCard } from '../support/card-press';
import { E2eBot } from '../support/e2e-bot';
import { useProductionIdentity, type E2eIdentity } from '../support/e2e-identity';

/** The demo directory, whose phone method writes can be held until the test releases them (a slow Graph). */
class HeldWriteDirectory extends DemoPhoneDirectory {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  holdWrites(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  releaseWrites(): void {
    this.open?.();
    this.gate = undefined;
  }

  override async addPhoneMethod(userId: string, method: NewPhoneMethod): Promise<PhoneMethod> {
    if (this.gate) await this.gate;
    return super.addPhoneMethod(userId, method);
  }
}

const MC_KEY = 'infobip-api-key-not-real-4f2a';
const MESSAGING_CONNECT = { ACS_MESSAGING_CONNECT_PARTNER: 'infobip', ACS_MESSAGING_CONNECT_API_KEY: MC_KEY, ACS_MESSAGING_CONNECT_COUNTRIES: 'JP' };

/**
 * Real delivery runs only in production mode (demo mode refuses ACS settings): the bot has its identity,
 * activities carry Bot Framework tokens, and ACS reaches the bot through its public https front.
 */
describe('real delivery through Azure Communication Services (local fake), end to end', () => {
  let tls: TestTls;
  let sink: ConnectorSink;
  let identity: E2eIdentity;
  let acs: FakeAcsServer;
  let front: LoadBalancer;
  let bot: E2eBot;
  let directory: HeldWriteDirectory;
  /** Everything the bot stores, by key. */
  let stored: Record<string, string>;

  const production = useProductionIdentity();
  beforeAll(() => {
    ({ tls, identity } = production());
  });

  /** Starts the bot on real delivery; texts to Japan go through Messaging Connect unless `env` says otherwise. */
  async function startBot(env: Record<string, string> = MESSAGING_CONNECT): Promise<void> {
    bot = new E2eBot(
      sink,
      {
        ...identity.env(),
        ACS_CONNECTION_STRING: acs.connectionString,
        ACS_SMS_FROM: '+18005550100',
        ACS_CALLER_ID: '+18005550101',
        ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
        PUBLIC_BASE_URL: front.url,
        ...env,
      },
      { directory, storage: new MemoryStateStorage(stored), policyReader: new StaticPolicyReader(), auth: identity.auth() },
      identity.botOptions(sink),
    );
    await bot.start();
    front.routeTo(bot.url);
  }

  beforeEach(async () => {
    sink = await ConnectorSink.start();
    acs = await FakeAcsServer.start({ callbackCa: tls.cert });
    acs.messagingConnectKeys.set('infobip', MC_KEY);
    front = await LoadBalancer.start({ tls });
    directory = new HeldWriteDirectory();
    stored = {};
    await startBot();
  });
  afterEach(async () => {
    await bot.stop();
    await front.close();
    await acs.close();
    await sink.close();
  });

  const lastCard = (): { id: string; card: CardJson } => lastCardIn(sink);
  const press = (action: string, inputs: Record<string, string> = {}): Promise<void> => pressLastCard(sink, (activity) => bot.post(activity), action, inputs);

  async function toMethodCard(number = '090-1234-5678'): Promise<void> {
    await bot.post({ type: 'message', text: 'add phone' });
    await press('type.next', { phoneType: 'mobile' });
    await press('number.next', { region: 'JP', number });
  }

  async function startCall(): Promise<{ call: FakeCall; code: string }> {
    await toMethodCard();
    await press('method.call');
    await press('call.start');
    await sink.waitFor(() => acs.calls.size === 1);
    const code = /(\d{3}) (\d{3})/.exec(cardText(lastCard().card));
    if (!code) throw new Error('no code on the calling card');
    return { call: [...acs.calls.values()][0]!, code: code[1]! + code[2]! };
  }

  /** Stored keys under a prefix (MemoryStorage leaves deleted keys behind as undefined). */
  const storedUnder = (prefix: string): string[] => Object.keys(stored).filter((key) => key.startsWith(prefix) && stored[key] !== undefined);

  const registeredCount = (): number => sink.replies.filter((r) => cardText(cardOf(r)).includes('Your phone is registered')).length;

  it('answers before the SMS provider does, then updates the card and registers', async () => {
    acs.holdSms();
    await toMethodCard();
    await press('method.sms');
    // The turn has answered while ACS still holds its reply to the send.
    expect(acs.requestsTo('/sms')).toEqual([]);
    expect(cardText(lastCard().card)).toContain('Sending a code to +81 XXXXXX5678');
    await acs.smsHeld();
    acs.releaseSms();
    await sink.waitFor(() => cardText(lastCard().card).includes('We sent a 6-digit code'), 15_000);

    const [send] = acs.requestsTo('/sms');
    const body = send!.body as { from: string; smsRecipients: { to: string }[]; message: string; smsSendOptions: unknown };
    expect(send!.status).toBe(202);
    expect(body.from).toBe('+18005550100');
    expect(body.smsRecipients.map((r) => r.to)).toEqual(['+819012345678']);
    expect(body.smsSendOptions).toMatchObject({ messagingConnect: { partner: 'infobip', apiKey: MC_KEY } });
    expect(body.message).toMatch(/^\d{3} \d{3} is your sign-in verification code .* expires in 10 minutes\. Do not share this code/);
    const code = body.message.slice(0, 7).replace(' ', '');
    await press('code.verify', { code });
    expect(cardText(lastCard().card)).toContain('Your phone is registered');
    expect(bot.log).not.toMatch(/9012345678/);
    expect(bot.log).not.toContain(MC_KEY);
  }, 30_000);

  it('offers only "Call me" for a Japanese mobile when Messaging Connect is not set up', async () => {
    await bot.stop();
    await startBot({});
    await toMethodCard();
    const { card } = lastCard();
    expect(actionOf(card, 'method.sms')).toBeUndefined();
    expect(actionOf(card, 'method.call')).toBeDefined();
    expect(cardText(card)).toContain('Text messages are not available for this number');
    expect(acs.requestsTo('/sms')).toEqual([]);
  });

  it('tells the user when ACS refuses the text and offers "Call me"', async () => {
    acs.smsFailures.set('+819012345678', { httpStatusCode: 400, errorMessage: 'Invalid To phone number format.' });
    await toMethodCard();
    await press('method.sms');
    await sink.waitFor(() => actionOf(lastCard().card, 'method.call') !== undefined);
    expect(cardText(lastCard().card)).toContain('We could not send a text message to +81 XXXXXX5678');
  });

  it('registers by a call: the callee keys the code shown in Teams; a repeated callback changes nothing', async () => {
    const { call, code } = await startCall();
    expect(call.to).toBe('+819012345678');
    expect(call.from).toBe('+18005550101');
    expect(call.callbackUri).toMatch(new RegExp(`^${front.url}/api/calls\\?`));
    const completed = await acs.answerAndKey(call.callConnectionId, code);
    expect(completed.status).toBe(200);
    await sink.waitFor(() => registeredCount() === 1);
    expect((await acs.repost(completed)).status).toBe(200);
    // Stopping lets whatever the repeated callback started finish first.
    await bot.stop();
    expect(registeredCount()).toBe(1);
  });

  it('answers the keyed digits and thanks the callee at once, while the phone is still being registered', async () => {
    directory.holdWrites();
    const { call, code } = await startCall();
    await acs.connect(call.callConnectionId);
    // Graph's write is held until released below: the callback's answer cannot wait for it.
    const keyed = await acs.keyDigits(call.callConnectionId, code);
    expect(keyed.status).toBe(200);
    expect(call.playRequests).toHaveLength(1);
    expect(registeredCount()).toBe(0);
    directory.releaseWrites();
    await sink.waitFor(() => registeredCount() === 1, 10_000);
  });

  it('keeps nothing about the call once it is over: a callback after that is refused and registers nothing', async () => {
    const { call, code } = await startCall();
    const keyed = await acs.answerAndKey(call.callConnectionId, code);
    await sink.waitFor(() => registeredCount() === 1);
    expect(storedUnder('pending-call/')).toEqual([]);
    await acs.completePlay(call.callConnectionId);
    expect(call.terminated).toBe(true);
    expect((await acs.disconnect(call.callConnectionId)).status).toBe(200);
    await sink.waitFor(() => storedUnder('acsCalls/').length === 0);

    expect((await acs.repost(keyed)).status).toBe(401);
    await bot.stop();
    expect(registeredCount()).toBe(1);
    expect(bot.log).not.toContain('"level":50');
  });

  it.each([
    ['wrong digits', (c: FakeCall, code: string) => acs.answerAndKey(c.callConnectionId, code === '000000' ? '111111' : '000000'), 'did not match the code'],
    ['no answer', (c: FakeCall) => acs.noAnswer(c.callConnectionId), 'Nobody answered the call to +81 XXXXXX5678'],
    [
      'failed recognition',
      async (c: FakeCall) => {
        await acs.connect(c.callConnectionId);
        await acs.failRecognition(c.callConnectionId);
        return acs.failRecognition(c.callConnectionId);
      },
      'We did not receive the code from the keypad',
    ],
  ])('says what happened on %s and offers call again, text instead, another number', async (_name, act, message) => {
    const { call, code } = await startCall();
    await act(call, code);
    await sink.waitFor(() => cardText(lastCard().card).includes(message));
    const card = cardText(lastCard().card);
    expect(card).toContain('Call again');
    expect(card).toContain('Receive a code instead');
    expect(card).toContain('Use another number');
    expect(registeredCount()).toBe(0);
  });

  it('refuses forged callbacks with 401', async () => {
    const { call } = await startCall();
    const forged = [
      `${bot.url}/api/calls`,
      `${bot.url}/api/calls?callId=${encodeURIComponent(new URL(call.callbackUri).searchParams.get('callId') ?? '')}&token=forged`,
      `${bot.url}/api/calls?callId=unknown&token=x`,
    ];
    for (const url of forged) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ type: 'Microsoft.Communication.RecognizeCompleted', data: { callConnectionId: call.callConnectionId } }]),
      });
      expect(response.status).toBe(401);
    }
    expect(registeredCount()).toBe(0);
  });
});
