import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type * as restify from 'restify';
import { createLogger } from '../../../src/logging/logger';
import { createServer } from '../../../src/server/create-server';

const ACTIVITY = {
  type: 'message',
  id: 'in-1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/amer/',
  locale: 'en-US',
  text: 'hi',
  from: { id: '29:user', aadObjectId: '00000000-0000-4000-8000-000000000001' },
  recipient: { id: '28:bot' },
  conversation: { id: 'a:shape', tenantId: '22222222-2222-4222-8222-222222222222', conversationType: 'personal' },
};

describe("the messages endpoint's shape check", () => {
  let server: restify.Server;
  let answered = 0;

  beforeAll(async () => {
    server = createServer({
      adapter: {
        answer: async () => {
          answered += 1;
          return { status: 200 };
        },
      },
      bot: { run: async () => undefined },
      logger: createLogger({ level: 'silent', pretty: false, destination: new Writable({ write: (_chunk, _enc, done) => done() }) }),
      maxBodyBytes: 64 * 1024,
      isReady: () => true,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function post(body: unknown): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('hands a Teams activity to the adapter, control characters in what the user typed included (the bot answers those)', async () => {
    answered = 0;
    expect(await post(ACTIVITY)).toBe(200);
    expect(await post({ ...ACTIVITY, text: 'line one\nline two\u0000', value: { action: 'number.next', nonce: 'n', number: '090\u0000' } })).toBe(200);
    expect(answered).toBe(2);
  });

  it.each([
    ['from.id', { from: { ...ACTIVITY.from, id: '29:user\u0000' } }],
    ['from.aadObjectId', { from: { ...ACTIVITY.from, aadObjectId: '00000000-0000-4000-8000-000000000001\n' } }],
    ['recipient.id', { recipient: { id: '28:bot\u0085' } }],
    ['conversation.tenantId', { conversation: { ...ACTIVITY.conversation, tenantId: '\u0000' } }],
    ['type', { type: 'message\u0000' }],
    ['name', { type: 'event', name: 'phoneVerification/callOutcome\u0000' }],
    ['locale', { locale: 'en-US\r\n' }],
    ['replyToId', { replyToId: 'x\u001b' }],
  ])('refuses a control character in %s with 400, before the adapter', async (_field, change) => {
    answered = 0;
    expect(await post({ ...ACTIVITY, ...change })).toBe(400);
    expect(answered).toBe(0);
  });
});
