import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { ConnectorSink } from '../fakes/connector-sink';
import { ConversationDriver, demoCode, type Poster } from '../support/conversation-driver';
import { E2E_USER, E2eBot } from '../support/e2e-bot';
import { ensureFreshDist } from '../support/fresh-dist';
import { InstanceProcess } from '../support/instance-process';
import { poster, sharedEnv, uniqueContainer } from '../support/shared-deployment';

const SENT = 'We sent a 6-digit code by text message to +81 XXXXXX5678';
const REGISTERED = 'Your phone is registered';
const NUMBER = { region: 'JP', number: '090-1234-5678' };

describe('two instances sharing one blob container (Azurite)', () => {
  let sink: ConnectorSink;
  let directory: DemoPhoneDirectory;
  let a: E2eBot;
  let b: E2eBot;

  beforeEach(async () => {
    sink = await ConnectorSink.start();
    // The demo directory lives in memory: both instances get the same one, as they would share Entra ID.
    directory = new DemoPhoneDirectory();
    const env = sharedEnv(uniqueContainer(), randomBytes(32).toString('base64'));
    a = new E2eBot(sink, env, { directory });
    b = new E2eBot(sink, env, { directory });
    await a.start();
    await b.start();
  });
  afterEach(async () => {
    await a.stop();
    await b.stop();
    await sink.close();
  });

  function registrationsLogged(): number {
    return [a, b].map((bot) => bot.log.split('\n').filter((line) => line.includes('"msg":"phone method added"')).length).reduce((x, y) => x + y, 0);
  }

  it('continues one conversation on the other instance at every step', async () => {
    const user = new ConversationDriver(sink, 'a:alternating');
    const onA = poster(a, user.conversationId);
    const onB = poster(b, user.conversationId);

    expect(await onA({ type: 'message', text: 'hi' })).toBe(200);
    expect(user.lastCardText()).toContain('You have no phone registered yet');
    await user.press(onB, 'welcome.add');
    expect(user.lastCardText()).toContain('Which phone do you want to add?');
    await user.press(onA, 'type.next', { phoneType: 'mobile' });
    await user.press(onB, 'number.next', NUMBER);
    await user.press(onA, 'method.sms');
    await user.waitForCard(SENT);
    await user.press(onB, 'code.verify', { code: await demoCode(a.url) });

    expect(user.lastCardText()).toContain(REGISTERED);
    expect(await directory.listPhoneMethods(E2E_USER)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 9012345678' })]);
    expect(registrationsLogged()).toBe(1);
    expect(user.texts()).toEqual([]);
  });

  it('completes a verification started on A when the code arrives at B', async () => {
    const user = new ConversationDriver(sink, 'a:code-on-b');
    const onA = poster(a, user.conversationId);
    await onA({ type: 'message', text: 'add phone' });
    await user.press(onA, 'type.next', { phoneType: 'mobile' });
    await user.press(onA, 'number.next', NUMBER);
    await user.press(onA, 'method.sms');
    await user.waitForCard(SENT);

    await user.press(poster(b, user.conversationId), 'code.verify', { code: await demoCode(a.url) });

    expect(user.lastCardText()).toContain(REGISTERED);
    expect(b.log).toContain('"msg":"phone method added"');
    expect(a.log).not.toContain('"msg":"phone method added"');
  });

  it('counts a wrong code on A against the same challenge checked on B', async () => {
    const user = new ConversationDriver(sink, 'a:attempts');
    const onA = poster(a, user.conversationId);
    const onB = poster(b, user.conversationId);
    await onA({ type: 'message', text: 'add phone' });
    await user.press(onA, 'type.next', { phoneType: 'mobile' });
    await user.press(onA, 'number.next', NUMBER);
    await user.press(onA, 'method.sms');
    await user.waitForCard(SENT);
    const code = await demoCode(a.url);
    const wrong = code === '000000' ? '111111' : '000000';

    await user.press(onA, 'code.verify', { code: wrong });
    expect(user.lastCardText()).toContain('4 tries left');
    await user.press(onB, 'code.verify', { code: wrong });
    expect(user.lastCardText()).toContain('3 tries left');
  });

  // Each card submit is claimed in the shared storage with an eTag before the bot acts on it, so of
  // two identical submits landing on two instances exactly one goes through.
  it('registers once when the same code submit lands on both instances at once', async () => {
    const user = new ConversationDriver(sink, 'a:double-submit');
    const onA = poster(a, user.conversationId);
    const onB = poster(b, user.conversationId);
    await onA({ type: 'message', text: 'add phone' });
    await user.press(onA, 'type.next', { phoneType: 'mobile' });
    await user.press(onA, 'number.next', NUMBER);
    await user.press(onA, 'method.sms');
    await user.waitForCard(SENT);
    const submit = user.submit('code.verify', { code: await demoCode(a.url) });

    const statuses = await Promise.all([onA(submit), onB(submit)]);

    expect(statuses).toEqual([200, 200]);
    expect(await directory.listPhoneMethods(E2E_USER)).toHaveLength(1);
    // One add reached the directory; the other submit was recognised as a repeat, not attempted.
    expect(registrationsLogged()).toBe(1);
    expect([a, b].some((bot) => bot.log.includes('"msg":"phone method not added"'))).toBe(false);
    const registeredCards = user.replies().filter((r) => JSON.stringify(r.attachments ?? []).includes(REGISTERED));
    expect(registeredCards).toHaveLength(1);
    // The user is never told that something went wrong: a repeat is "already handled" or "try again".
    expect(user.texts().join('\n')).not.toMatch(/went wrong/i);
    expect([a, b].some((bot) => bot.log.includes('"msg":"turn failed"'))).toBe(false);
  });
});

describe('an instance killed mid-dialog (real processes)', () => {
  const rootDir = join(__dirname, '..', '..');
  let main: string;
  let sink: ConnectorSink;
  const running: InstanceProcess[] = [];

  beforeAll(() => {
    main = ensureFreshDist(rootDir);
  }, 120_000);
  beforeEach(async () => {
    sink = await ConnectorSink.start();
  });
  afterEach(async () => {
    for (const instance of running.splice(0)) await instance.kill('SIGKILL');
    await sink.close();
  });

  async function startInstance(env: Record<string, string>): Promise<InstanceProcess> {
    const instance = await InstanceProcess.start({ main, sink, env: { ...env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'test' } });
    running.push(instance);
    return instance;
  }

  it('lets the user continue where they were after SIGKILL and a restart', async () => {
    const env = sharedEnv(uniqueContainer(), randomBytes(32).toString('base64'));
    const user = new ConversationDriver(sink, 'a:killed');
    const first = await startInstance(env);
    const onFirst: Poster = (activity) => first.post(activity, { conversationId: user.conversationId });
    await first.waitForLog('bot state is kept in blob storage');

    await onFirst({ type: 'message', text: 'add phone' });
    await user.press(onFirst, 'type.next', { phoneType: 'mobile' });
    await user.press(onFirst, 'number.next', NUMBER);
    await user.press(onFirst, 'method.sms');
    await user.waitForCard(SENT);
    const code = await demoCode(first.url);

    await first.kill('SIGKILL');
    const second = await startInstance(env);
    await user.press((activity) => second.post(activity, { conversationId: user.conversationId }), 'code.verify', { code });

    expect(user.lastCardText()).toContain(REGISTERED);
    expect(second.log).toContain('"msg":"phone method added"');
  }, 60_000);

  it('starts a second process on the same container and hands the conversation over', async () => {
    const env = sharedEnv(uniqueContainer(), randomBytes(32).toString('base64'));
    const user = new ConversationDriver(sink, 'a:two-processes');
    const [one, two] = [await startInstance(env), await startInstance(env)];
    const onOne: Poster = (activity) => one.post(activity, { conversationId: user.conversationId });
    const onTwo: Poster = (activity) => two.post(activity, { conversationId: user.conversationId });

    await onOne({ type: 'message', text: 'add phone' });
    await user.press(onTwo, 'type.next', { phoneType: 'mobile' });
    await user.press(onOne, 'number.next', NUMBER);
    await user.press(onTwo, 'method.sms');
    await user.waitForCard(SENT);
    await user.press(onOne, 'code.verify', { code: await demoCode(two.url) });

    expect(user.lastCardText()).toContain(REGISTERED);
  }, 60_000);
});
