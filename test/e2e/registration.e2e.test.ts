import type { ConnectorSink } from '../fakes/connector-sink';
import type { FakeGraphServer } from '../fakes/fake-graph-server';
import { actionOf, cardOf, cardText, type CardJson } from '../support/card-helpers';
import { lastCardIn, pressLastCard } from '../support/card-press';
import { E2E_USER, E2eBot } from '../support/e2e-bot';
import { fakeGraphDirectory, useGraphE2e } from '../support/graph-e2e-fixture';

const GRAPH_TOKEN = 'e2e-graph-token-7d1f';

describe('registration end to end over HTTP, Graph on https', () => {
  const fixture = useGraphE2e({
    token: GRAPH_TOKEN,
    createBot: (botSink, fake) => new E2eBot(botSink, {}, { directory: fakeGraphDirectory(fake, GRAPH_TOKEN, { maxThrottleWaitMs: 3000 }) }),
  });
  let sink: ConnectorSink;
  let graph: FakeGraphServer;
  let bot: E2eBot;
  beforeEach(() => {
    ({ sink, graph, bot } = fixture());
  });

  const lastCard = (): { id: string; card: CardJson } => lastCardIn(sink);
  const press = (action: string, inputs: Record<string, string> = {}): Promise<void> => pressLastCard(sink, (activity) => bot.post(activity), action, inputs);

  /** The last code the demo phone with this number (its last four digits) received. */
  async function demoCode(last4 = '5678'): Promise<string> {
    const response = await fetch(`${bot.url}/demo/messages?to=${last4}`);
    const { messages } = (await response.json()) as { messages: { kind: string; text: string; to: string }[] };
    expect(messages.every((m) => m.to.endsWith(last4))).toBe(true);
    const sms = messages.filter((m) => m.kind === 'sms');
    const match = sms[sms.length - 1]?.text.match(/(\d{3}) (\d{3})/);
    if (!match) throw new Error('no code in the demo inbox');
    return match[1]! + match[2]!;
  }

  it('the demo phone inbox filters by the last digits of the number and refuses anything else', async () => {
    for (const bad of ['12345', 'abcd', '+81', '']) {
      const response = await fetch(`${bot.url}/demo/messages?to=${encodeURIComponent(bad)}`);
      expect(response.status).toBe(400);
      await response.arrayBuffer();
    }
    const response = await fetch(`${bot.url}/demo/messages?to=0000`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { messages: unknown[] }).messages).toEqual([]);
  });

  it('registers a mobile by SMS code, with the exact Graph requests', async () => {
    graph.seedUser(E2E_USER);
    // Graph throttles the first list once; the client honours Retry-After and the user never notices.
    graph.failNext({ method: 'GET', status: 429, retryAfter: 1 });
    expect(await bot.post({ type: 'message', text: 'hi' })).toBe(200);
    expect(cardText(lastCard().card)).toContain('You have no phone registered yet');

    await press('welcome.add');
    await press('type.next', { phoneType: 'mobile' });
    await press('number.next', { region: 'JP', number: '090-1234-5678' });
    await press('method.sms');
    // The card answers at once and is updated when the provider has taken the text.
    await sink.waitFor(() => cardText(lastCard().card).includes('We sent a 6-digit code by text message to +81 XXXXXX5678'));
    await press('code.verify', { code: await demoCode() });

    const done = cardText(lastCard().card);
    expect(done).toContain('Your phone is registered');
    expect(done).toContain('Phone: +81 XXXXXX5678');

    const posts = graph.requestsTo('POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.path).toBe(`/v1.0/users/${E2E_USER}/authentication/phoneMethods`);
    expect(posts[0]!.body).toEqual({ phoneNumber: '+81 9012345678', phoneType: 'mobile' });
    expect(graph.requests.every((r) => r.headers.authorization === `Bearer ${GRAPH_TOKEN}`)).toBe(true);
    expect(graph.requestsTo('GET').filter((r) => r.headers['retry-attempt'] === '1')).toHaveLength(1);
    expect(graph.phonesOf(E2E_USER)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 9012345678' })]);

    // Answered cards were replaced in place by read-only summaries.
    expect(sink.calls.filter((c) => c.method === 'PUT').length).toBeGreaterThanOrEqual(4);
    expect(bot.log).not.toMatch(/9012345678/);
  });

  it('a user with a phone proves it first (step-up), then registers an office phone by a call the demo phone answers', async () => {
    graph.seedUser(E2E_USER, { phones: [{ phoneType: 'mobile', phoneNumber: '+81 8011112222' }] });
    await bot.post({ type: 'message', text: 'add phone' }, { locale: 'ja-JP' });
    expect(cardText(lastCard().card)).toContain('まず本人確認をします');
    expect(graph.requestsTo('GET', '/authentication/methods')).toHaveLength(1);
    await press('stepUp.next', { methodId: '3179e48a-750b-4051-897c-87b9720928f7' });
    await press('method.sms');
    await sink.waitFor(() => cardText(lastCard().card).includes('SMS で 6 桁のコードを送りました'));
    await press('code.verify', { code: await demoCode('2222') });
    expect(cardText(lastCard().card)).toContain('どの電話を追加しますか?');
    await press('type.next', { phoneType: 'office' });
    await press('number.next', { region: 'JP', number: '092-802-2111' });
    await press('method.call');
    expect(cardText(lastCard().card)).toContain('キーパッドで入力するよう音声で案内されます');
    await press('call.start');
    // The demo phone answers after DEMO_CALL_ANSWER_DELAY_MS and keys the code; the bot continues proactively.
    await sink.waitFor(() => cardText(lastCard().card).includes('電話が登録されました'));

    const posts = graph.requestsTo('POST');
    expect(posts.map((p) => p.body)).toEqual([{ phoneNumber: '+81 928022111', phoneType: 'office' }]);
    expect(cardText(lastCard().card)).toContain('会社電話: +81 XXXXX2111');
  });

  it('answers health and readiness probes', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    bot.app.setReady(false);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(503);
  });

  it('refuses a body over the size limit without a 5xx', async () => {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(400 * 1024) }),
    });
    expect(response.status).toBe(413);
  });

  describe('exactly once', () => {
    beforeEach(() => {
      graph.seedUser(E2E_USER);
    });

    async function toCodeCard(): Promise<{ id: string; card: CardJson; code: string }> {
      await bot.post({ type: 'message', text: 'add phone' });
      for (const [action, inputs] of [
        ['type.next', { phoneType: 'mobile' }],
        ['number.next', { region: 'JP', number: '090-1234-5678' }],
        ['method.sms', {}],
      ] as const) {
        const { id, card } = lastCard();
        await bot.post({ type: 'message', replyToId: id, value: { ...actionOf(card, action)!.data, ...inputs } });
      }
      await sink.waitFor(() => cardText(lastCard().card).includes('We sent a 6-digit code'));
      const messages = ((await (await fetch(`${bot.url}/demo/messages`)).json()) as { messages: { text: string }[] }).messages;
      const match = /(\d{3}) (\d{3})/.exec(messages[messages.length - 1]!.text)!;
      return { ...lastCard(), code: match[1]! + match[2]! };
    }

    it('10 identical submits of the code card sent at once: one Graph write, one success message', async () => {
      const { id, card, code } = await toCodeCard();
      const value = { ...actionOf(card, 'code.verify')!.data, code };
      const statuses = await Promise.all(Array.from({ length: 10 }, () => bot.post({ type: 'message', replyToId: id, value })));
      expect(statuses).toEqual(Array(10).fill(200));
      expect(graph.requestsTo('POST')).toHaveLength(1);
      expect(sink.replies.filter((r) => cardText(cardOf(r)).includes('Your phone is registered'))).toHaveLength(1);
      expect(sink.replies.filter((r) => r.text === 'That card was already handled. Nothing more to do there.')).toHaveLength(9);
    });

    it('a create that Graph committed but answered 503: re-listed and reconciled, one phone and one success', async () => {
      const { id, card, code } = await toCodeCard();
      graph.failNext({ method: 'POST', status: 503, commitFirst: true });
      await bot.post({ type: 'message', replyToId: id, value: { ...actionOf(card, 'code.verify')!.data, code } });
      expect(graph.phonesOf(E2E_USER)).toHaveLength(1);
      expect(sink.replies.filter((r) => cardText(cardOf(r)).includes('Your phone is registered'))).toHaveLength(1);
      expect(bot.log).toMatch(/"audit":true,"action":"add".*"result":"success"/);
    });

    it('Graph refusing with 403 is explained without raw error text', async () => {
      const { id, card, code } = await toCodeCard();
      graph.failNext({ method: 'POST', status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
      await bot.post({ type: 'message', replyToId: id, value: { ...actionOf(card, 'code.verify')!.data, code } });
      const texts = sink.replies.map((r) => r.text ?? '').join('\n');
      expect(texts).toContain('This bot is not allowed to change sign-in methods in your organization');
      expect(texts).not.toContain('Insufficient privileges');
      expect(bot.log).toMatch(/"audit":true,"action":"add".*"result":"failure"/);
    });
  });
});
