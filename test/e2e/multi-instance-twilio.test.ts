import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { ConnectorSink } from '../fakes/connector-sink';
import { FakeTwilioServer, type FakeTwilioCall } from '../fakes/fake-twilio-server';
import { LoadBalancer } from '../fakes/load-balancer';
import { createTestTls, type TestTls } from '../fakes/test-tls';
import { StaticPolicyReader } from '../../src/policy/static-policy-reader';
import { azuriteConnectionString } from '../support/azurite';
import { ConversationDriver, type Poster } from '../support/conversation-driver';
import { E2E_USER, E2eBot } from '../support/e2e-bot';
import { E2eIdentity } from '../support/e2e-identity';
import { poster, sharedEnv, uniqueContainer } from '../support/shared-deployment';

const REGISTERED = 'Your phone is registered';
const ACCOUNT_SID = `AC${'6'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-auth-token-not-real-88c3';

/** Polls an async condition (storage reads) until it holds. */
async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Instance A places the Twilio call; Twilio posts the keyed digits and the final status to the
 * deployment's public address, and the balancer hands them to B. The call's record is in the shared
 * container, so B checks the token, reports the digits and finishes the conversation.
 */
describe('a Twilio call placed by one instance and answered through another (Azurite, fake Twilio)', () => {
  let tls: TestTls;
  let identity: E2eIdentity;
  let sink: ConnectorSink;
  let twilio: FakeTwilioServer;
  let balancer: LoadBalancer;
  let directory: DemoPhoneDirectory;
  let a: E2eBot;
  let b: E2eBot;
  let container: string;

  beforeAll(async () => {
    tls = await createTestTls();
    identity = await E2eIdentity.start();
  });
  afterAll(async () => {
    await identity.close();
  });
  beforeEach(async () => {
    sink = await ConnectorSink.start();
    twilio = await FakeTwilioServer.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, webhookCa: tls.cert });
    balancer = await LoadBalancer.start({ tls });
    directory = new DemoPhoneDirectory();
    container = uniqueContainer();
    const env = {
      ...identity.env(),
      ...sharedEnv(container, randomBytes(32).toString('base64')),
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_SMS_FROM: '+15005550006',
      TWILIO_CALLER_ID: '+15005550007',
      TWILIO_API_BASE_URL: twilio.url,
      PUBLIC_BASE_URL: balancer.url,
    };
    const parts = () => ({ directory, policyReader: new StaticPolicyReader(), auth: identity.auth() });
    a = new E2eBot(sink, env, parts(), identity.botOptions(sink));
    b = new E2eBot(sink, env, parts(), identity.botOptions(sink));
    await a.start();
    await b.start();
  });
  afterEach(async () => {
    await a.stop();
    await b.stop();
    await balancer.close();
    await twilio.close();
    await sink.close();
  });

  function logged(message: string): number {
    return [a, b].map((bot) => bot.log.split('\n').filter((line) => line.includes(`"msg":"${message}"`)).length).reduce((x, y) => x + y, 0);
  }

  async function blobNames(): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of BlobServiceClient.fromConnectionString(azuriteConnectionString()).getContainerClient(container).listBlobsFlat()) {
      names.push(decodeURIComponent(blob.name));
    }
    return names;
  }

  async function placeCall(user: ConversationDriver, on: Poster): Promise<{ call: FakeTwilioCall; code: string }> {
    await on({ type: 'message', text: 'add phone' });
    await user.press(on, 'type.next', { phoneType: 'mobile' });
    await user.press(on, 'number.next', { region: 'JP', number: '090-1234-5678' });
    await user.press(on, 'method.call');
    await user.press(on, 'call.start');
    await sink.waitFor(() => twilio.calls.size === 1);
    const code = /(\d{3}) (\d{3})/.exec(user.lastCardText());
    if (!code) throw new Error('no code on the calling card');
    return { call: [...twilio.calls.values()][0]!, code: code[1]! + code[2]! };
  }

  it('registers once when A places the call and the digits reach B; repeated webhooks to either change nothing', async () => {
    const user = new ConversationDriver(sink, 'a:twilio-on-b');
    const { call, code } = await placeCall(user, poster(a, user.conversationId));
    expect(call.statusCallback?.startsWith(`${balancer.url}/api/calls/twilio/status?`)).toBe(true);

    balancer.routeTo(b.url);
    const keyed = await twilio.keyDigits(call.sid, code);
    expect(keyed.status).toBe(200);
    await user.waitForCard(REGISTERED);
    expect(await directory.listPhoneMethods(E2E_USER)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 9012345678' })]);
    expect(b.log).toContain('"msg":"Call outcome"');
    expect(a.log).not.toContain('"msg":"Call outcome"');

    // Twilio may post the same webhook again, to any instance.
    balancer.routeTo(a.url);
    expect((await twilio.postWebhook(keyed.url, { CallSid: call.sid, Digits: code, CallStatus: 'in-progress' })).status).toBe(200);
    expect((await twilio.endCall(call.sid, 'completed')).status).toBe(200);
    await waitUntil(async () => (await blobNames()).every((name) => !name.startsWith('twilioCalls/')), 'the call record to be deleted');
    balancer.routeTo(b.url);
    expect((await twilio.endCall(call.sid, 'completed')).status).toBe(401);

    expect(await directory.listPhoneMethods(E2E_USER)).toHaveLength(1);
    expect(logged('phone method added')).toBe(1);
    expect(logged('Call outcome')).toBe(1);
    expect(logged('turn failed')).toBe(0);
  });
});
