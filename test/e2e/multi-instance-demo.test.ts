import { randomBytes } from 'node:crypto';
import { ConnectorSink } from '../fakes/connector-sink';
import { ConversationDriver, demoCode } from '../support/conversation-driver';
import { E2eBot } from '../support/e2e-bot';
import { poster, sharedEnv, uniqueContainer } from '../support/shared-deployment';

const SENT = 'We sent a 6-digit code by text message to +81 XXXXXX5678';

/**
 * Two demo instances on one blob container, each with the demo directory and outbox it builds itself
 * (none passed in): with storage shared they must act as one tenant, as production instances share
 * one Entra ID.
 */
describe('two demo instances sharing one blob container (Azurite)', () => {
  let sink: ConnectorSink;
  let a: E2eBot;
  let b: E2eBot;

  beforeEach(async () => {
    sink = await ConnectorSink.start();
    const env = sharedEnv(uniqueContainer(), randomBytes(32).toString('base64'));
    a = new E2eBot(sink, env);
    b = new E2eBot(sink, env);
    await a.start();
    await b.start();
  });
  afterEach(async () => {
    await a.stop();
    await b.stop();
    await sink.close();
  });

  it('shows on B the phone registered through A, and lists on B the text A sent', async () => {
    const user = new ConversationDriver(sink, 'a:demo-shared');
    const onA = poster(a, user.conversationId);
    await onA({ type: 'message', text: 'add phone' });
    await user.press(onA, 'type.next', { phoneType: 'mobile' });
    await user.press(onA, 'number.next', { region: 'JP', number: '090-1234-5678' });
    await user.press(onA, 'method.sms');
    await user.waitForCard(SENT);

    // B's outbox lists the text A sent: the code read from B completes the registration on A.
    const response = await fetch(`${b.url}/demo/messages?to=5678`);
    const { messages } = (await response.json()) as { messages: Array<{ kind: string; to: string }> };
    expect(messages).toEqual([expect.objectContaining({ kind: 'sms', to: expect.stringMatching(/5678$/u) as unknown })]);
    await user.press(onA, 'code.verify', { code: await demoCode(b.url) });
    expect(user.lastCardText()).toContain('Your phone is registered');

    expect(await poster(b, user.conversationId)({ type: 'message', text: 'hi' })).toBe(200);
    const welcome = user.lastCardText();
    expect(welcome).toContain('XXXXXX5678');
    expect(welcome).toContain('Change or remove');
    expect(welcome).not.toContain('You have no phone registered yet');
  });
});
