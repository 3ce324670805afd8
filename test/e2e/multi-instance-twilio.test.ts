import { ConversationDriver, type Poster } from '../support/conversation-driver';
import { FakeTwilioServer, type FakeTwilioCall } from '../fakes/fake-twilio-server';
import type { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import type { ConnectorSink } from '../fakes/connector-sink';
import type { LoadBalancer } from '../fakes/load-balancer';
import { E2E_USER, type E2eBot } from '../support/e2e-bot';
import { poster } from '../support/shared-deployment';
import { blobNames as containerBlobNames, loggedByBoth, useTwoInstanceDeployment, waitUntil } from '../support/two-instance-deployment';

const REGISTERED = 'Your phone is registered';
const ACCOUNT_SID = `AC${'6'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-auth-token-not-real-88c3';

/**
 * Instance A places the Twilio call; Twilio posts the keyed digits and the final status to the
 * deployment's public address, and the balancer hands them to B. The call's record is in the shared
 * container, so B checks the token, reports the digits and finishes the conversation.
 */
describe('a Twilio call placed by one instance and answered through another (Azurite, fake Twilio)', () => {
  const deployment = useTwoInstanceDeployment({
    startFake: (tls) => FakeTwilioServer.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, webhookCa: tls.cert }),
    env: (fake) => ({
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_SMS_FROM: '+15005550006',
      TWILIO_CALLER_ID: '+15005550007',
      TWILIO_API_BASE_URL: fake.url,
    }),
  });
  let sink: ConnectorSink;
  let twilio: FakeTwilioServer;
  let balancer: LoadBalancer;
  let directory: DemoPhoneDirectory;
  let a: E2eBot;
  let b: E2eBot;
  beforeEach(() => {
    ({ sink, fake: twilio, balancer, directory, a, b } = deployment());
  });

  const logged = (message: string): number => loggedByBoth(deployment(), message);
  const blobNames = (): Promise<string[]> => containerBlobNames(deployment().container);

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
