import { ConversationDriver, type Poster } from '../support/conversation-driver';
import { FakeAcsServer, type FakeCall } from '../fakes/fake-acs-server';
import type { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import type { ConnectorSink } from '../fakes/connector-sink';
import type { LoadBalancer } from '../fakes/load-balancer';
import { E2E_USER, type E2eBot } from '../support/e2e-bot';
import { poster } from '../support/shared-deployment';
import { blobNames as containerBlobNames, loggedByBoth, useTwoInstanceDeployment, waitUntil } from '../support/two-instance-deployment';

const REGISTERED = 'Your phone is registered';
const WRONG_DIGITS = 'The digits typed on the keypad did not match the code';
const NUMBER = { region: 'JP', number: '090-1234-5678' };

/**
 * A verification call is placed by the instance that handled "Call me now", but ACS posts the call's
 * events to the deployment's public address, and the load balancer may hand them to any instance.
 * Whichever gets them must drive the call and finish the conversation from the shared container.
 * Real delivery runs only in production mode (demo mode refuses ACS settings), behind an https front.
 */
describe('a verification call placed by one instance and answered through another (Azurite, fake ACS)', () => {
  const deployment = useTwoInstanceDeployment({
    startFake: (tls) => FakeAcsServer.start({ callbackCa: tls.cert }),
    env: (fake) => ({
      ACS_CONNECTION_STRING: fake.connectionString,
      ACS_SMS_FROM: '+18005550100',
      ACS_CALLER_ID: '+18005550101',
      ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
    }),
  });
  let sink: ConnectorSink;
  let acs: FakeAcsServer;
  let balancer: LoadBalancer;
  let directory: DemoPhoneDirectory;
  let a: E2eBot;
  let b: E2eBot;
  beforeEach(() => {
    ({ sink, fake: acs, balancer, directory, a, b } = deployment());
  });

  const logged = (message: string): number => loggedByBoth(deployment(), message);
  const blobNames = (): Promise<string[]> => containerBlobNames(deployment().container);

  const registeredCards = (user: ConversationDriver): number => user.replies().filter((r) => JSON.stringify(r.attachments ?? []).includes(REGISTERED)).length;

  /** Presses "Call me now" (or "Call again") on the instance and returns the call ACS got and the code on the card. */
  async function placeCall(user: ConversationDriver, on: Poster, action: 'call.start' | 'method.call'): Promise<{ call: FakeCall; code: string }> {
    const callsBefore = acs.calls.size;
    await user.press(on, action);
    await sink.waitFor(() => acs.calls.size === callsBefore + 1);
    // The calling card is the only place the code exists in clear.
    const code = /(\d{3}) (\d{3})/.exec(user.lastCardText());
    if (!code) throw new Error('no code on the calling card');
    return { call: [...acs.calls.values()].at(-1)!, code: code[1]! + code[2]! };
  }

  async function toCallCard(user: ConversationDriver, on: Poster): Promise<void> {
    await on({ type: 'message', text: 'add phone' });
    await user.press(on, 'type.next', { phoneType: 'mobile' });
    await user.press(on, 'number.next', NUMBER);
    await user.press(on, 'method.call');
  }

  it('registers once when A places the call and the keyed digits reach B; repeated callbacks to either change nothing', async () => {
    const user = new ConversationDriver(sink, 'a:voice-on-b');
    const onA = poster(a, user.conversationId);
    await toCallCard(user, onA);
    const { call, code } = await placeCall(user, onA, 'call.start');
    expect(call.to).toBe('+819012345678');
    // A gave ACS the shared address, not its own: the balancer decides who hears back.
    expect(call.callbackUri.startsWith(`${balancer.url}/api/calls?`)).toBe(true);

    balancer.routeTo(b.url);
    const keyed = await acs.answerAndKey(call.callConnectionId, code);

    expect(keyed.status).toBe(200);
    await user.waitForCard(REGISTERED);
    expect(await directory.listPhoneMethods(E2E_USER)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 9012345678' })]);
    // B drove the call (keypad prompt, outcome, registration); A only placed it.
    expect(balancer.forwarded.map((f) => [f.pathname, f.backend, f.status])).toEqual([
      ['/api/calls', b.url, 200],
      ['/api/calls', b.url, 200],
    ]);
    expect(call.recognizeRequests).toHaveLength(1);
    expect(b.log).toContain('"msg":"Call outcome"');
    expect(b.log).toContain('"msg":"phone method added"');
    expect(a.log).not.toContain('"msg":"Call outcome"');
    expect(a.log).not.toContain('"msg":"phone method added"');

    // ACS retries resend the same events, and may deliver them to any instance.
    balancer.routeTo(a.url);
    expect((await acs.repost(keyed)).status).toBe(200);
    balancer.routeTo(b.url);
    expect((await acs.repost(keyed)).status).toBe(200);
    // A late RecognizeCompleted with a new event id, after the call has finished, is ignored as well.
    balancer.routeTo(a.url);
    expect((await acs.keyDigits(call.callConnectionId, code)).status).toBe(200);

    // A repeated event starts no turn, so there is nothing to wait for.
    expect(await directory.listPhoneMethods(E2E_USER)).toHaveLength(1);
    expect(logged('phone method added')).toBe(1);
    expect(logged('Call outcome')).toBe(1);
    expect(registeredCards(user)).toBe(1);
    expect(user.texts()).toEqual([]);
    expect(logged('turn failed')).toBe(0);

    // Once the call is over nothing about it is left in the container, and a late retry (to either instance) is refused.
    balancer.routeTo(b.url);
    await acs.completePlay(call.callConnectionId);
    balancer.routeTo(a.url);
    expect((await acs.disconnect(call.callConnectionId)).status).toBe(200);
    await waitUntil(async () => (await blobNames()).every((name) => !name.startsWith('acsCalls/')), 'the call record to be deleted');
    expect((await blobNames()).filter((name) => name.startsWith('acsCalls/') || name.startsWith('pending-call/'))).toEqual([]);
    balancer.routeTo(b.url);
    expect((await acs.repost(keyed)).status).toBe(401);
    expect(logged('phone method added')).toBe(1);
  });

  it('says the digits were wrong when they reach B, registers nothing, and a call again from B completes through A', async () => {
    const user = new ConversationDriver(sink, 'a:voice-wrong-on-b');
    const onA = poster(a, user.conversationId);
    const onB = poster(b, user.conversationId);
    await toCallCard(user, onA);
    const first = await placeCall(user, onA, 'call.start');

    balancer.routeTo(b.url);
    const wrong = first.code === '000000' ? '111111' : '000000';
    expect((await acs.answerAndKey(first.call.callConnectionId, wrong)).status).toBe(200);

    await user.waitForCard(WRONG_DIGITS);
    expect(user.lastCardText()).toContain('Call again');
    expect(await directory.listPhoneMethods(E2E_USER)).toEqual([]);
    expect(logged('phone method added')).toBe(0);
    expect(b.log).toContain('"msg":"Call outcome"');
    expect(a.log).not.toContain('"msg":"Call outcome"');

    // The other way round: B places the next call (with a new code), A hears back.
    const second = await placeCall(user, onB, 'method.call');
    expect(second.call.callConnectionId).not.toBe(first.call.callConnectionId);
    balancer.routeTo(a.url);
    expect((await acs.answerAndKey(second.call.callConnectionId, second.code)).status).toBe(200);

    await user.waitForCard(REGISTERED);
    expect(await directory.listPhoneMethods(E2E_USER)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 9012345678' })]);
    expect(a.log).toContain('"msg":"phone method added"');
    expect(logged('phone method added')).toBe(1);
    expect(registeredCards(user)).toBe(1);
    expect(logged('turn failed')).toBe(0);
  });
});
