import { ConnectorSink } from '../fakes/connector-sink';
import { actionOf, cardOf } from '../support/card-helpers';
import { E2eBot } from '../support/e2e-bot';

/**
 * Text as long as the body limit allows, through the real endpoint: a long run of dots not at the end
 * once made command matching quadratic (a 60 KB message took 15 s of CPU and held every other request,
 * /healthz included). Each request here must be answered; a path that stalled for minutes would
 * exceed the test's timeout. How the cost grows is checked in test/unit/security/linear-time.test.ts.
 */

/** The default MAX_BODY_BYTES (see .env.example). */
const BODY_LIMIT = 256 * 1024;
/** Room for the rest of the activity, so the body stays under the limit. */
const ENVELOPE = 2 * 1024;

describe('oversized text through the real endpoint', () => {
  let sink: ConnectorSink;
  let bot: E2eBot;

  beforeAll(async () => {
    sink = await ConnectorSink.start();
    bot = new E2eBot(sink, {});
    await bot.start();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  /** Posts `text` in its own conversation and returns the status and the replies to it. */
  async function say(text: string, conversationId: string): Promise<{ status: number; welcome: boolean }> {
    const status = await bot.post({ type: 'message', text }, { conversationId });
    if (status === 200) await sink.waitFor(() => sink.calls.some((c) => c.conversationId === conversationId && c.method === 'POST'));
    const replies = sink.replies.filter((r) => r.conversation?.id === conversationId);
    return { status, welcome: replies.some((r) => actionOf(cardOf(r), 'welcome.add') !== undefined) };
  }

  it.each([
    ['dots, then a letter', (bytes: number) => `${'.'.repeat(bytes - 1)}x`],
    ['a command, then dots, then a letter', (bytes: number) => `help${'.'.repeat(bytes - 5)}x`],
    ['ideographic full stops, then a letter', (bytes: number) => `${'。'.repeat(Math.floor((bytes - 1) / 3))}x`],
    ['full-width exclamation marks, then a letter', (bytes: number) => `${'！'.repeat(Math.floor((bytes - 1) / 3))}x`],
    ['mention openings', (bytes: number) => `${'<at>'.repeat(Math.floor(bytes / 4))}`],
    ['spaces around a command', (bytes: number) => `${' '.repeat(bytes / 2 - 2)}help${' '.repeat(bytes / 2 - 2)}`],
  ])('answers a message of %s just under the body limit with the welcome card, not as a command', async (name, make) => {
    const text = make(BODY_LIMIT - ENVELOPE);
    expect(Buffer.byteLength(text)).toBeGreaterThan(BODY_LIMIT - 2 * ENVELOPE);
    // The health probe goes out while the message is being handled; both are answered.
    const [reply, health] = await Promise.all([say(text, `a:oversized-${name}`), fetch(`${bot.url}/healthz`)]);
    expect(reply).toEqual({ status: 200, welcome: true });
    expect(health.status).toBe(200);
  });

  it('refuses a message of 256 KB of dots by the body limit', async () => {
    const status = await bot.post({ type: 'message', text: `${'.'.repeat(BODY_LIMIT)}x` }, { conversationId: 'a:oversized-limit' });
    expect(status).toBe(413);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('refuses a conversation id an HTTP header cannot carry, however long', async () => {
    const status = await bot.post({ type: 'message', text: 'help' }, { conversationId: `a:${'a'.repeat(BODY_LIMIT - ENVELOPE)}\u0100` });
    expect(status).toBe(400);
  });

  it('answers the demo outbox and the start link with long query values', async () => {
    // Node limits the request head to 16 KB: longer query strings never reach a route.
    const long = '9'.repeat(12 * 1024);
    expect((await fetch(`${bot.url}/demo/messages?to=${long}`)).status).toBe(400);
    expect((await fetch(`${bot.url}/demo/messages?to=${'.'.repeat(12 * 1024)}x`)).status).toBe(400);
    const start = await fetch(`${bot.url}/start?install=${long}`, { redirect: 'manual' });
    expect([302, 404]).toContain(start.status);
  });
});
