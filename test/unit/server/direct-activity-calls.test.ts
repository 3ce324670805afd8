import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { RestError } from '@azure/core-rest-pipeline';
import { ActivityTypes, type Activity } from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { CardRenderer } from '../../../src/cards/card-renderer';
import { withDirectActivityCalls } from '../../../src/server/direct-activity-calls';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Scripted {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A Bot Connector on loopback that records every request and answers from a script (then 200 with an id). */
class RecordingConnector {
  readonly requests: Recorded[] = [];
  readonly script: Scripted[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<RecordingConnector> {
    let connector!: RecordingConnector;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        connector.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const next = connector.script.shift() ?? { status: 200, body: { id: `reply-${connector.requests.length}` } };
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(next.body === undefined ? '' : JSON.stringify(next.body));
      });
    });
    connector = new RecordingConnector(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return connector;
  }

  url(path = '/'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Credentials as the bot has them in production, with the token coming from a counter instead of Entra ID. */
function countingCredentials(): MicrosoftAppCredentials & { issued: number } {
  const credentials = new MicrosoftAppCredentials('11111111-1111-4111-8111-111111111111', 'not-used') as MicrosoftAppCredentials & { issued: number };
  credentials.issued = 0;
  credentials.getToken = async () => `token-${++credentials.issued}`;
  return credentials;
}

function fixedCredentials(): MicrosoftAppCredentials {
  const credentials = new MicrosoftAppCredentials('11111111-1111-4111-8111-111111111111', 'not-used');
  credentials.getToken = async () => 'token-fixed';
  return credentials;
}

const CONVERSATION = 'a:1Xy-Z_09;messageid=1699999999999';
const renderer = new CardRenderer(join(__dirname, '..', '..', '..', 'cards'));

function cardReply(): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    replyToId: '1:2@thread',
    conversation: { id: CONVERSATION, conversationType: 'personal', tenantId: 'tenant', isGroup: false, name: '' },
    from: { id: '28:bot', name: 'Bot' },
    recipient: { id: '29:user', name: 'User', aadObjectId: '33333333-3333-4333-8333-333333333333' },
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/amer/',
    locale: 'ja-JP',
    inputHint: 'acceptingInput',
    timestamp: new Date('2026-11-28T00:00:00.000Z'),
    attachments: [renderer.render('verify-method', {
      t: { title: '確認方法', why: 'なぜ', smsUnavailable: '', error: '', footer: '', sms: 'SMS', call: '電話', back: '戻る', cancel: 'キャンセル' },
      smsAvailable: true,
      callAvailable: true,
      nonce: 'n-1',
    })],
  };
}

/** What the connector can tell apart: method, path, body and the headers that carry meaning. */
function essentials(request: Recorded): unknown {
  return {
    method: request.method,
    url: request.url,
    body: request.body === '' ? undefined : JSON.parse(request.body),
    authorization: request.headers.authorization,
    contentType: request.headers['content-type'],
    conversationHeader: request.headers['x-ms-conversation-id'],
  };
}

describe('withDirectActivityCalls', () => {
  let connector: RecordingConnector;
  beforeEach(async () => { connector = await RecordingConnector.start(); });
  afterEach(async () => { await connector.close(); });

  function clients(serviceUrl: string, credentials: MicrosoftAppCredentials = fixedCredentials()): { stock: ConnectorClient; direct: ConnectorClient } {
    const stock = new ConnectorClient(credentials, { baseUri: serviceUrl });
    return { stock, direct: withDirectActivityCalls(new ConnectorClient(credentials, { baseUri: serviceUrl })) };
  }

  it.each([
    ['with a trailing slash', '/amer/'],
    ['without one', '/amer'],
  ])('sends what the stock client sends for replies, new messages, updates and deletes (service URL %s)', async (_label, path) => {
    const { stock, direct } = clients(connector.url(path));
    const calls: Array<(client: ConnectorClient) => Promise<unknown>> = [
      (c) => c.conversations.replyToActivity(CONVERSATION, '1:2@thread', cardReply()),
      (c) => c.conversations.sendToConversation(CONVERSATION, { ...cardReply(), replyToId: undefined }),
      (c) => c.conversations.sendToConversation(CONVERSATION, { type: ActivityTypes.Typing, conversation: cardReply().conversation }),
      (c) => c.conversations.updateActivity(CONVERSATION, 'reply-7', { ...cardReply(), id: 'reply-7' }),
      (c) => c.conversations.deleteActivity(CONVERSATION, 'reply-7'),
    ];
    for (const call of calls) {
      await call(stock);
      await call(direct);
      const [fromStock, fromDirect] = connector.requests.slice(-2);
      expect(essentials(fromDirect!)).toEqual(essentials(fromStock!));
    }
    expect(connector.requests).toHaveLength(calls.length * 2);
    expect(connector.requests[1]!.headers.authorization).toBe('Bearer token-fixed');
  });

  it('answers with the id the connector gave', async () => {
    const { direct } = clients(connector.url('/'));
    connector.script.push({ status: 201, body: { id: '1:abc' } });
    await expect(direct.conversations.sendToConversation(CONVERSATION, { type: ActivityTypes.Message, text: 'hi' })).resolves.toEqual({ id: '1:abc' });
    connector.script.push({ status: 200 });
    await expect(direct.conversations.updateActivity(CONVERSATION, '1:abc', { type: ActivityTypes.Message, text: 'hi' })).resolves.toEqual({});
  });

  it('sends no Authorization header for an anonymous bot, as the stock client does not', async () => {
    const { stock, direct } = clients(connector.url('/'), MicrosoftAppCredentials.Empty);
    await stock.conversations.sendToConversation(CONVERSATION, { type: ActivityTypes.Message, text: 'hi' });
    await direct.conversations.sendToConversation(CONVERSATION, { type: ActivityTypes.Message, text: 'hi' });
    expect(connector.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
  });

  it('fails with the RestError, status and connector error code the stock client gives', async () => {
    const { stock, direct } = clients(connector.url('/'));
    const refusal: Scripted = { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } };
    const errors: unknown[] = [];
    for (const client of [stock, direct]) {
      connector.script.push(refusal);
      errors.push(await client.conversations.sendToConversation(CONVERSATION, { type: ActivityTypes.Message, text: 'hi' }).catch((error: unknown) => error));
    }
    const [fromStock, fromDirect] = errors as [RestError, RestError];
    expect(fromDirect).toBeInstanceOf(RestError);
    expect({ statusCode: fromDirect.statusCode, code: fromDirect.code, message: fromDirect.message })
      .toEqual({ statusCode: fromStock.statusCode, code: fromStock.code, message: fromStock.message });
  });

  it('gives a plain message when the error body is not the connector\'s', async () => {
    const { direct } = clients(connector.url('/'));
    connector.script.push({ status: 404, body: 'Not Found' });
    await expect(direct.conversations.sendToConversation(CONVERSATION, { type: ActivityTypes.Message, text: 'hi' }))
      .rejects.toMatchObject({ name: 'RestError', statusCode: 404, message: 'The connector answered 404.' });
  });

  it.each([429, 503])('waits as told and tries again after a %i, signing the new attempt', async (status) => {
    const credentials = countingCredentials();
    const { direct } = clients(connector.url('/'), credentials);
    connector.script.push({ status, headers: { 'retry-after': '0' }, body: { error: { code: 'Throttled', message: 'slow down' } } });
    await expect(direct.conversations.replyToActivity(CONVERSATION, '1:2', { type: ActivityTypes.Message, text: 'hi' })).resolves.toEqual({ id: 'reply-2' });
    expect(connector.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(connector.requests[0]!.body).toBe(connector.requests[1]!.body);
  });

  it('leaves calls with request options to the stock client', async () => {
    const { direct } = clients(connector.url('/'));
    await expect(direct.conversations.sendToConversation(CONVERSATION, { type: ActivityTypes.Message, text: 'hi' }, { customHeaders: { 'x-custom': 'kept' } })).resolves.toMatchObject({ id: 'reply-1' });
    await direct.conversations.updateActivity(CONVERSATION, 'reply-1', { type: ActivityTypes.Message, text: 'hi' }, { customHeaders: { 'x-custom': 'kept' } });
    expect(connector.requests.map((r) => [r.method, r.headers['x-custom']])).toEqual([['POST', 'kept'], ['PUT', 'kept']]);
  });

  it('leaves every other call to the stock client', async () => {
    const { direct } = clients(connector.url('/'));
    connector.script.push({ status: 200, body: [{ id: '29:user', name: 'User' }] });
    await expect(direct.conversations.getConversationMembers(CONVERSATION)).resolves.toMatchObject([{ id: '29:user' }]);
    expect(connector.requests[0]).toMatchObject({ method: 'GET', url: `/v3/conversations/${encodeURIComponent(CONVERSATION)}/members` });
    expect(direct).toBeInstanceOf(ConnectorClient);
  });
});
