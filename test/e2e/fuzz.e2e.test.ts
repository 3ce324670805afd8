import { get } from 'node:http';
import type { ChannelAccount } from 'botbuilder';
import { CALL_OUTCOME_EVENT } from '../../src/dialogs/call-outcome-event';
import { DELIVERY_RESULT_EVENT } from '../../src/dialogs/delivery-result-event';
import { ConnectorSink, type ConnectorCall } from '../fakes/connector-sink';
import { actionOf, cardOf, cardText, inputOf, type CardAction, type CardJson } from '../support/card-helpers';
import { E2E_TENANT, E2E_USER, E2eBot } from '../support/e2e-bot';
import { SeededRandom } from '../support/seeded-random';
import { collectTexts, validateCard } from '../support/validate-card';

/** GET on a fresh connection, whatever sockets the fetch pool keeps. */
function statusOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
}

/**
 * Hostile input against the real service in demo mode: thousands of generated activities and card
 * submits (wrong types, missing fields, injection strings, control characters, regions that are no
 * country code, huge strings, events named like the service's own, replayed nonces, bodies at and
 * over the size limit). The seed fixes what is generated (eight requests in flight may still interleave
 * differently, so a failure also prints its request): rerun with FUZZ_SEED=<seed in the test name>,
 * explore with FUZZ_SEED=random, and scale with FUZZ_REQUESTS. An unhandled rejection anywhere in the
 * process fails the running test by itself (jest reports it as the test's error).
 */

const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 32 : Number(process.env.FUZZ_SEED ?? 20_240_611);
/** At least this many hostile activities, whatever FUZZ_REQUESTS says: fewer would prove too little. */
const MIN_REQUESTS = 2000;
const REQUESTS = Math.max(MIN_REQUESTS, Number(process.env.FUZZ_REQUESTS ?? 2400) || 0);
const CONCURRENCY = 8;
const MAX_BODY_BYTES = 256 * 1024;
const REQUEST_TIMEOUT_MS = 15_000;

const USER_B = '00000000-0000-4000-8000-0000000e2e0b';
const CONV_A = 'a:legit-registered';
const CONV_B = 'a:legit-mid-dialog';
const FROM_A: ChannelAccount = { id: '29:legit-a', name: 'Legit A', aadObjectId: E2E_USER };
const FROM_B: ChannelAccount = { id: '29:legit-b', name: 'Legit B', aadObjectId: USER_B };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Template expressions typed by a "user": data, never to be evaluated. Kept whole so echoes can be told apart. */
const TEMPLATE_TOKENS = [
  '${fuzzExpr}',
  '${$root.nonce}',
  "${concat('fz','ZZ')}",
  "${if(true, 'a', 'b')}",
  '${json($root)}',
  '${t.title}',
  '${countries[0].title}',
];
/** What "${concat('fz','ZZ')}" becomes if anything evaluates user input as a template. */
const DOUBLE_EXPANSION_MARK = 'fzZZ';
const MARKUP = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click me](http://evil.example/phish)',
  '![x](http://evil.example/p.png)',
  '<at>Bot</at>',
  '**bold** _it_',
  '# Heading',
  '\\',
  '"quoted"',
  "'; DROP TABLE users;--",
  '`code`',
  '{{x}}',
  '%s%n%x',
  '../../../etc/passwd',
  '\r\n\r\nHTTP/1.1 200 OK',
];
/** Markup that must never reach text a card renders (markdown links, HTML). */
const RENDER_FORBIDDEN = ['](http://evil', '<script', 'onerror='];
const UNICODE = [
  '０９０－１２３４－５６７８',
  '٠٩٠١٢٣٤٥٦٧٨',
  '۰۹۰۱۲۳۴۵۶۷۸',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  'שלום עולם',
  '😀📱🔥👨‍👩‍👧',
  'Ω≈ç√∫',
  '\u0000',
  '\u200B\u200B',
  '\uFEFF',
  'ｅｘｔ１２３',
  '電話を追加',
  '𝟘𝟡𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠',
  '\uD800',
  'ａｄｄ　ｐｈｏｎｅ',
];
/** Control characters, which no input of a card can hold (U+0000, tab, line breaks, BEL, an ANSI escape, DEL, C1). */
const CONTROL = ['\u0000', '\t', '\n', '\r\n', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u009b', '\u0000\u0000\u0000'];
/** Regions that are no ISO 3166 alpha-2 code as the card sends it. */
const BAD_REGIONS = ['jp', 'Jp', 'JPN', 'J', '', ' JP', 'JP\n', '1A', '\u0000\u0000', 'ＪＰ', '../', 'J\u0000'];
const PHONEISH = [
  '090-1234-5678',
  '+81 90 1234 5678',
  '+1 202 555 0143',
  '03-1234-5678',
  '12',
  '',
  ' ',
  '0'.repeat(30),
  '+',
  '++81',
  '+81 90 1234 5678 ext. 99',
  'tel:+81901234567',
  '1e10',
  '-1',
  '090-1234-5678;ext=1',
  '911',
  '110',
  '+999 123',
];
const COMMANDS = [
  'hi',
  'add phone',
  'add',
  'help',
  '?',
  'cancel',
  'stop',
  'list',
  'my phones',
  '電話を追加',
  'ヘルプ',
  'キャンセル',
  '<at>Bot</at> add phone',
  'ＡＤＤ ＰＨＯＮＥ！',
  'register.',
];
const ACTIONS = [
  'welcome.add',
  'welcome.help',
  'welcome.manage',
  'type.next',
  'number.next',
  'back',
  'cancel',
  'method.sms',
  'method.call',
  'call.start',
  'code.verify',
  'code.resend',
  'changeNumber',
  'stepUp.next',
  'manage.change',
  'manage.remove',
  'remove.confirm',
  'guided.first',
  'guided.next',
  'guided.back',
  'guided.close',
  'guided.registered',
];
const LOCALES = ['en-US', 'ja-JP', 'ar-SA', 'he-IL', 'zz', '', 'en', 'JA', 'x'.repeat(300), '../../etc', 'en-US-u-nu-arab', 'de-DE'];
const FORWARD = ['welcome.add', 'type.next', 'number.next', 'method.sms', 'method.call', 'call.start', 'code.verify', 'stepUp.next'];
const INPUT_FIELDS = ['phoneType', 'region', 'number', 'extension', 'code', 'methodId'];

interface Outcome {
  readonly index: number;
  readonly kind: string;
  readonly status: number;
  readonly body: string;
  readonly request: string;
  readonly invoke: boolean;
}

interface Worker {
  readonly index: number;
  convId: string;
  userId: string;
  rotation: number;
  requests: number;
  /** Submit values this worker sent, to replay later. */
  readonly sent: JsonObject[];
}

describe(`hostile input fuzz (seed ${SEED})`, () => {
  let sink: ConnectorSink;
  let bot: E2eBot;

  beforeAll(async () => {
    sink = await ConnectorSink.start();
    bot = new E2eBot(sink, { SEND_LIMIT_COUNTRY_PER_DAY: '100000' });
    await bot.start();
  });
  afterAll(async () => {
    await bot.stop();
    await sink.close();
  });

  // ---- helpers over the connector sink

  function callsIn(convId: string): ConnectorCall[] {
    return sink.calls.filter((c) => c.conversationId === convId);
  }

  /** The newest card posted to a conversation, as it looks now (after any in-place update). */
  function latestCard(convId: string): { id: string; card: CardJson } | undefined {
    const posts = callsIn(convId).filter((c) => c.method === 'POST' && cardOf(c.activity));
    const last = posts[posts.length - 1];
    if (!last?.activity.id) return undefined;
    const card = cardOf(sink.current(last.activity.id));
    return card ? { id: last.activity.id, card } : undefined;
  }

  async function say(convId: string, from: ChannelAccount, text: string): Promise<number> {
    return bot.post({ type: 'message', text, from }, { conversationId: convId });
  }

  async function press(convId: string, from: ChannelAccount, action: string, inputs: Record<string, string> = {}): Promise<JsonObject> {
    const latest = latestCard(convId);
    const button = actionOf(latest?.card, action);
    if (!latest || !button) throw new Error(`no ${action} on the latest card of ${convId}: ${cardText(latest?.card)}`);
    const value: JsonObject = { ...button.data, ...inputs };
    expect(await bot.post({ type: 'message', from, replyToId: latest.id, value }, { conversationId: convId })).toBe(200);
    return value;
  }

  async function demoCodeFor(lastDigits: string): Promise<string> {
    const { messages } = (await (await fetch(`${bot.url}/demo/messages`)).json()) as { messages: { kind: string; to: string; text: string }[] };
    const sms = messages.filter((m) => m.kind === 'sms' && m.to.replace(/\D/g, '').endsWith(lastDigits));
    const match = sms[sms.length - 1]?.text.match(/(\d{3}) (\d{3})/);
    if (!match) throw new Error(`no demo code for …${lastDigits}`);
    return match[1]! + match[2]!;
  }

  /** Waits until the sink has been quiet for a while (background calls and sends have landed). */
  async function settle(quietMs = 700, limitMs = 15_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    let count = -1;
    while (Date.now() < deadline) {
      if (sink.calls.length === count) return;
      count = sink.calls.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  it('survives thousands of hostile activities without a 5xx, a crash or harm to other conversations', async () => {
    const rng = new SeededRandom(SEED);

    // ---- 1. legitimate users first: A registers a phone; B stops half way, at the number card.
    expect(await say(CONV_A, FROM_A, 'hi')).toBe(200);
    const legitA: JsonObject[] = [];
    legitA.push(await press(CONV_A, FROM_A, 'welcome.add'));
    legitA.push(await press(CONV_A, FROM_A, 'type.next', { phoneType: 'mobile' }));
    legitA.push(await press(CONV_A, FROM_A, 'number.next', { region: 'JP', number: '090-1234-5678' }));
    legitA.push(await press(CONV_A, FROM_A, 'method.sms'));
    await sink.waitFor(() => cardText(latestCard(CONV_A)?.card).includes('We sent a 6-digit code'));
    legitA.push(await press(CONV_A, FROM_A, 'code.verify', { code: await demoCodeFor('5678') }));
    expect(cardText(latestCard(CONV_A)?.card)).toContain('Your phone is registered');

    expect(await say(CONV_B, FROM_B, 'add phone')).toBe(200);
    const legitB = [await press(CONV_B, FROM_B, 'type.next', { phoneType: 'mobile' })];
    const bCard = latestCard(CONV_B)!;
    expect(actionOf(bCard.card, 'number.next')).toBeDefined();
    const callsInBBeforeFuzz = callsIn(CONV_B).length;

    // Nonces from real cards, for cross-conversation replays.
    const realValues: JsonObject[] = [...legitA, ...legitB, { ...actionOf(bCard.card, 'number.next')!.data!, region: 'JP', number: '090-0000-1111' }];

    // ---- 2. the fuzz
    const outcomes: Outcome[] = [];
    let issued = 0;

    const workers: Worker[] = Array.from({ length: CONCURRENCY }, (_, index) => ({ index, convId: '', userId: '', rotation: 0, requests: 0, sent: [] }));
    for (const worker of workers) rotate(worker);

    function rotate(worker: Worker): void {
      worker.rotation += 1;
      worker.convId = `a:fuzz-${worker.index}-${worker.rotation}`;
      worker.userId = rng.uuid();
    }

    /** A per-worker number, so the demo inbox tells the workers' codes apart and send limits are not shared. */
    function numberOf(worker: Worker): { number: string; last4: string } {
      const last4 = `${worker.index}${String(worker.rotation % 1000).padStart(3, '0')}`;
      return { number: `090-7${String(worker.index).padStart(3, '0')}-${last4}`, last4 };
    }

    function hostileString(): string {
      const kind = rng.weighted<string>([
        [3, 'template'],
        [3, 'markup'],
        [3, 'unicode'],
        [3, 'phone'],
        [2, 'control'],
        [1, 'command'],
        [1, 'long'],
        [1, 'mix'],
      ]);
      switch (kind) {
        case 'control': {
          // Mostly inside an otherwise plausible value, where a looser check would let it through.
          const control = rng.pick(CONTROL);
          const around = rng.pick(PHONEISH);
          return rng.pick([`${around}${control}`, `${control}${around}`, control, `${around.slice(0, 3)}${control}${around.slice(3)}`]);
        }
        case 'template':
          return rng.pick(TEMPLATE_TOKENS);
        case 'markup':
          return rng.pick(MARKUP);
        case 'unicode':
          return rng.pick(UNICODE);
        case 'phone':
          return rng.pick(PHONEISH);
        case 'command':
          return rng.pick(COMMANDS);
        case 'long':
          return rng.pick(['9', 'a', '${fuzzExpr}', '😀', '<b>']).repeat(rng.pick([41, 65, 201, 1000, 20_000]));
        default:
          return [rng.pick(PHONEISH), rng.pick(TEMPLATE_TOKENS), rng.pick(MARKUP), rng.pick(UNICODE)].slice(0, 2 + rng.int(3)).join(rng.pick(['', ' ', '\n']));
      }
    }

    function wrongType(depth = 0): Json {
      const kind = rng.weighted<string>([
        [3, 'number'],
        [2, 'null'],
        [2, 'bool'],
        [2, 'array'],
        [2, 'object'],
        [1, 'huge'],
        [1, 'deep'],
      ]);
      switch (kind) {
        case 'number':
          return rng.pick([0, -1, 1.5, 1e308, -0, 2 ** 53, 123456, 90_1234_5678]);
        case 'null':
          return null;
        case 'bool':
          return rng.chance(0.5);
        case 'array':
          return depth > 2 ? [] : [hostileString(), wrongType(depth + 1)];
        case 'object':
          return depth > 2 ? {} : { action: hostileString(), nonce: wrongType(depth + 1), toString: 'x', valueOf: 1 };
        case 'huge':
          return Array.from({ length: rng.pick([1000, 10_000]) }, (_, i) => (i % 2 === 0 ? i : 'x'));
        default: {
          let nested: Json = 'bottom';
          for (let i = 0; i < rng.pick([50, 500, 2000]); i += 1) nested = rng.chance(0.5) ? [nested] : { a: nested };
          return nested;
        }
      }
    }

    function anyValue(): Json {
      return rng.chance(0.6) ? hostileString() : wrongType();
    }

    function baseActivity(worker: Worker): JsonObject {
      return {
        type: 'message',
        id: `fz-${issued}`,
        channelId: 'msteams',
        serviceUrl: sink.serviceUrl,
        locale: rng.chance(0.8) ? rng.pick(['en-US', 'ja-JP']) : rng.pick(LOCALES),
        timestamp: new Date().toISOString(),
        from: { id: `29:fuzz-${worker.index}`, name: 'Fuzz', aadObjectId: worker.userId },
        recipient: { id: '28:bot', name: 'Bot' },
        conversation: { id: worker.convId, conversationType: 'personal', tenantId: E2E_TENANT, isGroup: false },
        channelData: { tenant: { id: E2E_TENANT } },
      };
    }

    /** Field-level damage: missing fields, wrong types, odd service URLs, odd ids. */
    function mutate(activity: JsonObject): string {
      const what = rng.weighted<string>([
        [3, 'delete'],
        [3, 'wrongTop'],
        [2, 'nested'],
        [2, 'serviceUrl'],
        [1, 'timestamp'],
        [1, 'expectReplies'],
        [1, 'proto'],
        [1, 'bigArrays'],
      ]);
      const top = [
        'type',
        'from',
        'conversation',
        'serviceUrl',
        'recipient',
        'channelId',
        'id',
        'locale',
        'channelData',
        'timestamp',
        'text',
        'value',
        'replyToId',
      ];
      switch (what) {
        case 'delete': {
          const field = rng.pick(top);
          delete activity[field];
          return `no ${field}`;
        }
        case 'wrongTop': {
          const field = rng.pick([...top, 'entities', 'attachments', 'membersAdded', 'name', 'textFormat', 'localTimestamp', 'deliveryMode', 'relatesTo']);
          activity[field] = wrongType();
          return `${field} of a wrong type`;
        }
        case 'nested': {
          const [parent, child] = rng.pick([
            ['from', 'aadObjectId'],
            ['from', 'id'],
            ['conversation', 'id'],
            ['conversation', 'conversationType'],
            ['conversation', 'isGroup'],
            ['conversation', 'tenantId'],
            ['recipient', 'id'],
            ['channelData', 'tenant'],
          ] as const);
          const holder = activity[parent];
          if (holder && typeof holder === 'object' && !Array.isArray(holder)) holder[child] = anyValue();
          return `${parent}.${child} hostile`;
        }
        case 'serviceUrl':
          activity.serviceUrl = rng.pick([
            'not a url',
            'javascript:alert(1)',
            'ftp://127.0.0.1/',
            '',
            sink.serviceUrl.replace(/\/$/, ''),
            `${sink.serviceUrl}../../x/`,
            'http://[::1',
            `${sink.serviceUrl}?a=\${fuzzExpr}`,
          ]);
          return `serviceUrl ${String(activity.serviceUrl)}`;
        case 'timestamp':
          activity[rng.pick(['timestamp', 'localTimestamp', 'expiration'])] = rng.pick([
            'garbage',
            '9999-99-99',
            '',
            '2024-02-30T25:61:00Z',
            '-271821-04-20T00:00:00Z',
          ]);
          return 'bad timestamp';
        case 'expectReplies':
          activity.deliveryMode = 'expectReplies';
          return 'expectReplies';
        case 'proto':
          activity.value = JSON.parse(
            '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"action":"welcome.help","nonce":"p"}',
          ) as JsonObject;
          return 'prototype pollution attempt';
        default:
          activity[rng.pick(['entities', 'attachments', 'membersAdded'])] = Array.from({ length: rng.pick([500, 5000]) }, () => ({
            type: 'mention',
            id: 'x',
            text: '<at>x</at>',
          }));
          return 'huge arrays';
      }
    }

    /** A submit of the worker's own latest card, with plausible or hostile inputs and sometimes damaged data. */
    function submitOnCard(worker: Worker, activity: JsonObject): string {
      const latest = latestCard(worker.convId);
      const actions: CardAction[] = (latest?.card.actions ?? []).filter((a) => a.type === 'Action.Submit' && a.data);
      if (!latest || actions.length === 0) {
        activity.text = rng.pick(['add phone', 'hi', 'help']);
        return 'command (no card yet)';
      }
      // Mostly move forward, so the deeper steps (number, code, call) get their share of hostile input.
      const forward = actions.filter((a) => FORWARD.includes(String(a.data?.action)));
      const action = forward.length > 0 && rng.chance(0.7) ? rng.pick(forward) : rng.pick(actions);
      const value: JsonObject = { ...(action.data as JsonObject) };
      // Per field: one hostile field in an otherwise fine submit reaches further than an all-hostile one.
      let hostileFields = 0;
      const plausible = (): boolean => {
        const ok = rng.chance(0.65);
        if (!ok) hostileFields += 1;
        return ok;
      };
      const hostile = (): Json => (rng.chance(0.75) ? hostileString() : wrongType());
      // What a person could type into a text input: injection attempts that the next card may show again.
      const typed = (): Json => (rng.chance(0.6) ? `${rng.pick(PHONEISH)}${rng.pick(TEMPLATE_TOKENS)}${rng.pick(MARKUP)}`.slice(0, 120) : hostile());
      const { number, last4 } = numberOf(worker);
      const inputs: Record<string, () => Json> = {
        phoneType: () => (plausible() ? rng.pick(['mobile', 'mobile', 'office', 'alternateMobile']) : hostile()),
        region: () => (plausible() ? rng.pick(['JP', 'JP', 'US', 'GB']) : rng.chance(0.6) ? rng.pick(BAD_REGIONS) : hostile()),
        number: () => (plausible() ? (rng.chance(0.8) ? number : rng.pick(PHONEISH)) : typed()),
        extension: () => (plausible() ? rng.pick(['', '12', '１２３']) : typed()),
        code: () => (plausible() ? rng.pick(['000000', '123456', `code:${last4}`]) : hostile()),
        methodId: () => (plausible() ? rng.pick(['3179e48a-750b-4051-897c-87b9720928f7', 'b6332ec1-7057-4abe-9331-3d72feddfe41']) : hostile()),
      };
      for (const field of INPUT_FIELDS) if (rng.chance(0.6)) value[field] = inputs[field]!();
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- fuzzed values may be objects; "[object Object]" is fine here
      let description = `submit ${String(value.action)}${hostileFields > 0 ? ` (${hostileFields} hostile inputs)` : ''}`;
      if (rng.chance(0.15)) {
        const field = rng.pick(['action', 'nonce']);
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- damaging an object field into "[object Object]x" is a fine fuzz input
        value[field] = rng.chance(0.5) ? anyValue() : rng.pick([`${String(value[field])}x`, String(value[field]).toUpperCase(), '', rng.pick(ACTIONS)]);
        description += ` with damaged ${field}`;
      }
      if (rng.chance(0.05)) {
        value.extra = wrongType();
        description += ' with an extra field';
      }
      if (value.code === `code:${last4}`) value.code = '__CODE__';
      activity.value = value;
      if (rng.chance(0.9)) activity.replyToId = latest.id;
      worker.sent.push(value);
      return description;
    }

    function replay(worker: Worker, activity: JsonObject): string {
      const source = rng.weighted<string>([
        [3, 'own'],
        [2, 'other'],
        [2, 'real'],
      ]);
      const pool = source === 'own' ? worker.sent : source === 'other' ? workers.filter((w) => w !== worker).flatMap((w) => w.sent) : realValues;
      if (pool.length === 0) {
        activity.value = { action: rng.pick(ACTIONS), nonce: rng.uuid() };
        return 'submit with an unknown nonce';
      }
      activity.value = { ...rng.pick(pool) };
      return `replayed ${source} submit`;
    }

    function generate(worker: Worker): { kind: string; body: string; contentType: string; oversize: boolean } {
      issued += 1;
      worker.requests += 1;
      // A fresh user and conversation now and then: the flows start over and no user hits the send limits.
      if (worker.requests % 60 === 0) rotate(worker);
      const activity = baseActivity(worker);
      const kind = rng.weighted<string>([
        [30, 'card'],
        [10, 'replay'],
        [10, 'text'],
        [14, 'mutated'],
        [5, 'event'],
        [4, 'conversationUpdate'],
        [3, 'invoke'],
        [3, 'otherType'],
        [3, 'raw'],
        [1, 'nearLimit'],
      ]);
      let description: string;
      switch (kind) {
        case 'card':
          description = submitOnCard(worker, activity);
          if (rng.chance(0.1)) description += `; ${mutate(activity)}`;
          break;
        case 'replay':
          description = replay(worker, activity);
          break;
        case 'text':
          activity.text = rng.chance(0.4) ? rng.pick(COMMANDS) : hostileString();
          if (rng.chance(0.2)) activity.value = anyValue();
          description = 'typed text';
          break;
        case 'mutated':
          activity.text = rng.pick(COMMANDS);
          description = [mutate(activity), rng.chance(0.4) ? mutate(activity) : ''].filter(Boolean).join('; ');
          break;
        case 'event':
          activity.type = 'event';
          activity.name = rng.pick([CALL_OUTCOME_EVENT, DELIVERY_RESULT_EVENT, hostileString()]);
          // Values as the service's own events carry them, and more: from the wire they must change nothing.
          activity.value = rng.pick<Json>([
            { callId: rng.uuid(), outcome: { kind: 'digits', digits: '123456' } },
            { callId: rng.uuid(), outcome: { kind: 'digits', digits: rng.pick(['000000', '123456']) }, verified: true },
            { callId: rng.uuid(), outcome: { kind: rng.pick(['busy', 'failed', 'x']) } },
            { id: rng.uuid(), result: { ok: rng.chance(0.5), reason: rng.pick(['rejected', 'nope']) } },
            { id: rng.uuid(), result: { ok: true }, verified: true },
            anyValue(),
          ]);
          description = `event ${String(activity.name).slice(0, 40)}`;
          break;
        case 'conversationUpdate':
          activity.type = 'conversationUpdate';
          activity.membersAdded = rng.pick<Json>([[{ id: '28:bot' }], [{ id: '29:someone' }], [null], [{}], wrongType(), [{ id: wrongType() }]]);
          if (rng.chance(0.3)) activity.membersRemoved = wrongType();
          description = 'conversationUpdate';
          break;
        case 'invoke':
          activity.type = 'invoke';
          activity.name = rng.pick([
            'adaptiveCard/action',
            'task/fetch',
            'composeExtension/query',
            'signin/verifyState',
            'config/fetch',
            'actionableMessage/executeAction',
            hostileString(),
          ]);
          activity.value = rng.chance(0.5) ? { action: { type: 'Action.Execute', verb: rng.pick(ACTIONS), data: { nonce: 'x' } } } : anyValue();
          description = `invoke ${String(activity.name).slice(0, 40)}`;
          break;
        case 'otherType':
          activity.type = rng.pick([
            'typing',
            'messageReaction',
            'installationUpdate',
            'endOfConversation',
            'messageUpdate',
            'messageDelete',
            'handoff',
            'trace',
            'MESSAGE',
            ' message',
            '',
            hostileString(),
          ]);
          if (rng.chance(0.5)) activity.text = hostileString();
          description = `type ${JSON.stringify(activity.type).slice(0, 40)}`;
          break;
        case 'raw': {
          const raw = rng.pick<readonly [string, string]>([
            ['not json', 'application/json'],
            ['{"type":', 'application/json'],
            ['[]', 'application/json'],
            ['null', 'application/json'],
            ['123', 'application/json'],
            ['"message"', 'application/json'],
            ['', 'application/json'],
            [JSON.stringify(activity), 'text/plain'],
            ['type=message&text=hi', 'application/x-www-form-urlencoded'],
            [JSON.stringify(activity), 'application/xml'],
            ['['.repeat(5000) + ']'.repeat(5000), 'application/json'],
            ['{"type":"message","type":"invoke","text":"hi"}', 'application/json'],
            [
              '{"__proto__":{"polluted":"yes"},"type":"message","text":"hi","conversation":{"id":"a:proto"},"from":{"id":"x"},"serviceUrl":"' +
                sink.serviceUrl +
                '"}',
              'application/json',
            ],
          ]);
          return { kind: `raw body ${JSON.stringify(raw[0].slice(0, 40))} as ${raw[1]}`, body: raw[0], contentType: raw[1], oversize: false };
        }
        default: {
          // Up to (and, a few times, over) the body limit.
          const over = rng.chance(0.3);
          const skeleton = Buffer.byteLength(JSON.stringify({ ...activity, text: '' }));
          const filler = rng.pick(['9', '😀', '${fuzzExpr}']);
          const target = over ? MAX_BODY_BYTES + 1024 : MAX_BODY_BYTES - skeleton - 64;
          const unit = Buffer.byteLength(JSON.stringify(filler)) - 2;
          activity.text = filler.repeat(Math.floor(target / unit));
          const body = JSON.stringify(activity);
          return {
            kind: over ? 'over the body limit' : 'at the body limit',
            body,
            contentType: 'application/json',
            oversize: Buffer.byteLength(body) > MAX_BODY_BYTES,
          };
        }
      }
      return { kind: description, body: JSON.stringify(activity), contentType: 'application/json', oversize: false };
    }

    async function runWorker(worker: Worker): Promise<void> {
      while (issued < REQUESTS) {
        const index = issued;
        const request = generate(worker);
        let body = request.body;
        if (body.includes('"__CODE__"')) {
          const code = await demoCodeFor(numberOf(worker).last4).catch(() => '000000');
          body = body.replace('"__CODE__"', JSON.stringify(code));
        }
        let status = 0;
        let text: string;
        try {
          const response = await fetch(`${bot.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': request.contentType },
            body,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          status = response.status;
          text = await response.text();
        } catch (error) {
          text = `no answer: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (request.oversize && status !== 413) text = `expected 413 for an oversize body; ${text}`;
        outcomes.push({
          index,
          kind: request.kind,
          status: request.oversize && status !== 413 ? -status : status,
          body: text.slice(0, 300),
          request: body,
          invoke: isInvoke(body),
        });
      }
    }

    await Promise.all(workers.map((worker) => runWorker(worker)));
    await settle();

    // ---- 3. what must hold
    const failures: string[] = [];
    const describeOutcome = (o: Outcome): string => `#${o.index} ${o.kind} → ${o.status} ${JSON.stringify(o.body)}\n    request: ${shorten(o.request)}`;

    // a) Every request answered, never with a 5xx (an invoke nobody takes included), never with a stack trace.
    for (const o of outcomes) {
      if (o.status <= 0 || o.status >= 500) failures.push(`bad status: ${describeOutcome(o)}`);
      else if (/\n\s+at |\(.*:\d+:\d+\)|node_modules|TypeError|Cannot read/.test(o.body)) failures.push(`error detail in the body: ${describeOutcome(o)}`);
    }
    expect(outcomes.length).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(outcomes.length).toBeGreaterThanOrEqual(REQUESTS);
    expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
    // Each kind of hostile input the service must withstand was sent, and often.
    const sent = countKinds(outcomes.map((o) => o.request));
    expect(sent.internalEvents).toBeGreaterThanOrEqual(50);
    expect(sent.controlCharacters).toBeGreaterThanOrEqual(100);
    expect(sent.badRegions).toBeGreaterThanOrEqual(50);
    expect(sent.hugeStrings).toBeGreaterThanOrEqual(20);
    expect(outcomes.filter((o) => o.invoke).length).toBeGreaterThanOrEqual(20);
    expect(outcomes.filter((o) => o.kind === 'over the body limit').every((o) => o.status === 413)).toBe(true);

    // b) No turn crashed inside the bot. A reply the connector would not take (a service URL that answers an
    //    error, a reply echoing an extra field of the wrong type) is not a crash of ours; anything else is.
    const undeliverable = /ECONNREFUSED|fetch failed|socket hang up|occurred in serializing the payload/i;
    type LoggedError = { type?: string; message?: string; stack?: string; error?: LoggedError };
    const crashes = new Map<string, { count: number; activityId?: string; where: string }>();
    for (const line of bot.logLines) {
      const entry = JSON.parse(line) as { level: number; msg: string; err?: LoggedError; activityId?: string };
      if (entry.level < 50) continue;
      const inner = entry.err?.error ?? entry.err;
      if (inner?.type === 'RestError' || entry.err?.type === 'RestError') continue;
      if (undeliverable.test(`${inner?.message ?? ''} ${entry.err?.message ?? ''}`)) continue;
      const signature = `"${entry.msg}": ${inner?.type}: ${inner?.message}`;
      const where =
        (inner?.stack ?? '')
          .split('\n')
          .find((frame) => frame.includes('/src/'))
          ?.trim() ?? '(no frame in src/)';
      const seen = crashes.get(signature) ?? { count: 0, activityId: entry.activityId, where };
      seen.count += 1;
      crashes.set(signature, seen);
    }
    for (const [signature, crash] of crashes) {
      const o = outcomes.find((x) => `fz-${x.index + 1}` === crash.activityId);
      failures.push(`logged error ${signature} (${crash.count}×) ${crash.where}\n    request: ${o ? shorten(o.request) : crash.activityId}`);
    }

    // c) Every reply is a well-formed activity; every card is valid, expands no user input and renders no user markup.
    const cards = new Map<string, CardJson>();
    for (const call of sink.calls) {
      if (typeof call.activity !== 'object' || call.activity === null || typeof call.activity.type !== 'string') {
        failures.push(`malformed reply ${JSON.stringify(call.activity).slice(0, 200)}`);
        continue;
      }
      const text = call.activity.text ?? '';
      if (/TypeError|ReferenceError|Cannot read propert|\.ts:\d+/.test(text)) failures.push(`raw error text shown to a user: ${text.slice(0, 200)}`);
      const card = cardOf(call.activity);
      if (card) cards.set(JSON.stringify(card), card);
    }
    // The generator got past the first cards: hostile input reached the number and code steps too.
    const reached = new Set([...cards.values()].flatMap((card) => card.actions ?? []).map((a) => String(a.data?.action)));
    expect([...reached]).toEqual(expect.arrayContaining(['type.next', 'number.next', 'method.sms', 'code.verify']));
    for (const [json, card] of cards) {
      if (json.includes(DOUBLE_EXPANSION_MARK)) failures.push(`user input was evaluated as a template: ${json.slice(0, 300)}`);
      const problems = validateCard(card).filter((problem) => !isEchoedTemplateToken(problem));
      if (problems.length > 0) failures.push(`invalid card: ${problems.slice(0, 3).join('; ')}\n    ${json.slice(0, 300)}`);
      const rendered = collectTexts(card).filter((text) => RENDER_FORBIDDEN.some((bad) => text.includes(bad)));
      if (rendered.length > 0) failures.push(`user markup rendered in card text: ${JSON.stringify(rendered[0]).slice(0, 200)}`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // d) The server is still up.
    // On a connection of its own: a kept-alive one may be closed by the server's idle timeout as it is reused.
    expect(await statusOnNewConnection(`${bot.url}/healthz`)).toBe(200);

    // e) The legitimate conversations: replays of their answered cards change nothing…
    for (const value of legitA.slice(0, 3)) expect(await bot.post({ type: 'message', from: FROM_A, value }, { conversationId: CONV_A })).toBe(200);
    for (const value of legitB) expect(await bot.post({ type: 'message', from: FROM_B, value }, { conversationId: CONV_B })).toBe(200);
    const bReplies = callsIn(CONV_B).slice(callsInBBeforeFuzz);
    expect(bReplies.map((c) => c.activity.text)).toEqual(['That card was already handled. Nothing more to do there.']);
    // …A still sees the phone it registered, and B's half-done dialog still takes its current card.
    expect(await say(CONV_A, FROM_A, 'my phones')).toBe(200);
    expect(cardText(latestCard(CONV_A)?.card)).toContain('+81 XXXXXX5678');
    expect(latestCard(CONV_B)?.id).toBe(bCard.id);
    await press(CONV_B, FROM_B, 'number.next', { region: 'JP', number: '080-2222-3333' });
    const bAfter = callsIn(CONV_B)
      .slice(callsInBBeforeFuzz + 1)
      .map((c) => c.activity);
    expect(bAfter.map((a) => a.text).filter(Boolean)).toEqual([]);
    expect(cardText(latestCard(CONV_B)?.card)).toContain('+81 XXXXXX3333');
    expect(latestCard(CONV_B)!.card.actions?.some((a) => a.data?.action === 'method.sms')).toBe(true);

    // The seed is in the comparison so a failure report always carries it.
    const summary = { seed: SEED, requests: outcomes.length, failures: failures.slice(0, 25), totalFailures: failures.length };
    expect(summary).toEqual({ seed: SEED, requests: outcomes.length, failures: [], totalFailures: 0 });
  }, 120_000);

  it('typed template expressions and markup come back as input values only: never evaluated, never rendered', async () => {
    const conv = 'a:injection-probe';
    const from: ChannelAccount = { id: '29:probe', name: 'Probe', aadObjectId: '00000000-0000-4000-8000-0000000e2e0c' };
    const typed = "090 ${concat('fz','ZZ')} [click me](http://evil.example/phish) <script>alert(1)</script>";
    expect(await say(conv, from, 'add phone')).toBe(200);
    await press(conv, from, 'type.next', { phoneType: 'office' });
    await press(conv, from, 'number.next', { region: 'JP', number: typed, extension: '${fuzzExpr}' });

    const { card } = latestCard(conv)!;
    expect(inputOf(card, 'number')?.value).toBe(typed);
    // The number card has no extension field (sign-in calls never dial one): the typed value is not echoed anywhere.
    expect(inputOf(card, 'extension')).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain(DOUBLE_EXPANSION_MARK);
    expect(collectTexts(card).filter((text) => RENDER_FORBIDDEN.some((bad) => text.includes(bad)))).toEqual([]);
    // validateCard cannot tell echoed data from a template leftover; the fuzz's filter can, and lets nothing else through.
    const problems = validateCard(card);
    expect(problems.some((problem) => problem.startsWith('unexpanded template expression'))).toBe(true);
    expect(problems.filter((problem) => !isEchoedTemplateToken(problem))).toEqual([]);
  });
});

/** How many request bodies carry each kind of hostile input the fuzz must include. */
function countKinds(bodies: readonly string[]): { internalEvents: number; controlCharacters: number; badRegions: number; hugeStrings: number } {
  const counts = { internalEvents: 0, controlCharacters: 0, badRegions: 0, hugeStrings: 0 };
  for (const body of bodies) {
    let activity: unknown;
    try {
      activity = JSON.parse(body);
    } catch {
      // A raw body that is no JSON (one of the fuzz's own kinds) carries none of these.
      continue;
    }
    if (typeof activity !== 'object' || activity === null) continue;
    const { type, name, value } = activity as { type?: unknown; name?: unknown; value?: { region?: unknown } };
    if (type === 'event' && (name === CALL_OUTCOME_EVENT || name === DELIVERY_RESULT_EVENT)) counts.internalEvents += 1;
    const strings = stringsIn(activity);
    if (strings.some((text) => /\p{Cc}/u.test(text))) counts.controlCharacters += 1;
    if (strings.some((text) => text.length >= 1000)) counts.hugeStrings += 1;
    const region = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.region : undefined;
    if (region !== undefined && !(typeof region === 'string' && /^[A-Z]{2}$/.test(region))) counts.badRegions += 1;
  }
  return counts;
}

/** Every string in a parsed JSON value, keys included (iteratively: some bodies nest thousands deep). */
function stringsIn(root: unknown): string[] {
  const found: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') found.push(node);
    else if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        found.push(key);
        stack.push(child);
      }
    }
  }
  return found;
}

/** A request body short enough to read in a failure message (rerun the seed for the whole of it). */
function shorten(body: string): string {
  return body.length > 1500 ? `${body.slice(0, 1500)}… (${body.length} characters)` : body;
}

/** Whether a request body is an invoke activity (which botbuilder answers 501 when nothing handles it). */
function isInvoke(body: string): boolean {
  try {
    return (JSON.parse(body) as { type?: unknown }).type === 'invoke';
  } catch {
    return false;
  }
}

/** validateCard flags every "${"; one that is exactly a template expression the fuzz typed is echoed data, not a leftover. */
function isEchoedTemplateToken(problem: string): boolean {
  const match = /^unexpanded template expression "\$\{" at \S+: (.*)$/s.exec(problem);
  if (!match) return false;
  let value = JSON.parse(match[1]!) as string;
  for (const token of TEMPLATE_TOKENS) value = value.split(token).join('');
  return !value.includes('${');
}
