import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';
import jwt from 'jsonwebtoken';
import * as restify from 'restify';
import { registerCallsRoute } from '../../../src/server/calls-route';
import { AcsVoiceDelivery, type AcsVoiceDeliveryOptions } from '../../../src/verification/acs/acs-voice-delivery';
import { CallSessionStore } from '../../../src/verification/acs/call-session-store';
import type { Scheduler } from '../../../src/time/scheduler';
import { VOICE_PROMPTS } from '../../../src/verification/acs/voice-prompts';
import { MAX_CALL_LIFE_MS } from '../../../src/verification/call-lifetime';
import type { CallOutcome, CallOutcomeHandler } from '../../../src/verification/phone-delivery';
import { FakeAcsServer } from '../../fakes/fake-acs-server';
import { memoryLogger } from './log-sink';

const TO = '+819012345678';
const CALLER_ID = '+815012345678';
const CODE = '482913';
const AUDIENCE = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-test';

class FakeOutcomeHandler implements CallOutcomeHandler {
  readonly outcomes: { callId: string; outcome: CallOutcome }[] = [];
  async onCallOutcome(callId: string, outcome: CallOutcome): Promise<void> {
    this.outcomes.push({ callId, outcome });
  }
}

/** Holds every outcome until the test releases it, like a bot turn waiting on a slow Graph write. */
class GatedOutcomeHandler extends FakeOutcomeHandler {
  /** Call ids whose outcome reached the handler, released or not. */
  readonly arrived: string[] = [];
  private readonly gate: Promise<void>;
  private open: () => void = () => undefined;

  constructor() {
    super();
    this.gate = new Promise<void>((resolve) => {
      this.open = resolve;
    });
  }

  override async onCallOutcome(callId: string, outcome: CallOutcome): Promise<void> {
    this.arrived.push(callId);
    await this.gate;
    await super.onCallOutcome(callId, outcome);
  }

  release(): void {
    this.open();
  }
}

/** A bot whose outcome turn fails. */
class FailingOutcomeHandler extends FakeOutcomeHandler {
  override async onCallOutcome(): Promise<void> {
    throw new Error('the outcome turn failed');
  }
}

/** Keys that still hold something (MemoryStorage leaves deleted keys behind as undefined). */
function storedKeys(memory: Record<string, string | undefined>): string[] {
  return Object.keys(memory).filter((key) => memory[key] !== undefined);
}

class ManualScheduler implements Scheduler {
  private pending: { callback: () => void; cancelled: boolean }[] = [];
  schedule(callback: () => void): () => void {
    const entry = { callback, cancelled: false };
    this.pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }
  /** Runs every timer that is still armed, as if all of them had come due. */
  fireAll(): number {
    const due = this.pending.filter((e) => !e.cancelled);
    this.pending = [];
    due.forEach((e) => e.callback());
    return due.length;
  }
  get armed(): number {
    return this.pending.filter((e) => !e.cancelled).length;
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The Azure AI services resource the ACS resource is connected to (text-to-speech). */
const AI_ENDPOINT = 'https://contoso-ai.cognitiveservices.azure.com/';

interface Harness {
  fake: FakeAcsServer;
  voice: AcsVoiceDelivery;
  handler: FakeOutcomeHandler;
  clock: { t: number; now(): number };
  scheduler: ManualScheduler;
  storage: MemoryStateStorage;
  /** What the storage holds (JSON by key) when the harness made it. */
  memory: Record<string, string>;
  lines: string[];
  baseUrl: string;
  close(): Promise<void>;
}

async function harness(
  options: {
    jwtAudience?: string;
    botAudience?: string;
    voice?: Partial<AcsVoiceDeliveryOptions>;
    fake?: FakeAcsServer;
    storage?: MemoryStateStorage;
    handler?: FakeOutcomeHandler;
  } = {},
): Promise<Harness> {
  const ownsFake = options.fake === undefined;
  const fake = options.fake ?? (await FakeAcsServer.start(options.jwtAudience ? { jwtAudience: options.jwtAudience } : {}));
  const memory: Record<string, string> = {};
  const storage = options.storage ?? new MemoryStateStorage(memory);
  const handler = options.handler ?? new FakeOutcomeHandler();
  // Real time as the start: the fake signs callback JWTs with the real clock.
  const clock = {
    t: Date.now(),
    now() {
      return this.t;
    },
  };
  const scheduler = new ManualScheduler();
  const { logger, lines } = memoryLogger();
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false, rejectUnknown: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const voice = new AcsVoiceDelivery({
    connection: fake.connectionString,
    callerId: CALLER_ID,
    publicBaseUrl: baseUrl,
    sessions: new CallSessionStore({ storage, clock }),
    outcomeHandler: () => handler,
    logger,
    clock,
    scheduler,
    clientOptions: { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
    cognitiveServicesEndpoint: AI_ENDPOINT,
    ...(options.jwtAudience ? { callbackJwt: { audience: options.botAudience ?? options.jwtAudience, jwksUrl: fake.jwksUrl } } : {}),
    ...options.voice,
  });
  registerCallsRoute({ voice, logger })(server);
  return {
    fake,
    voice,
    handler,
    clock,
    scheduler,
    storage,
    memory,
    lines,
    baseUrl,
    async close() {
      voice.dispose();
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsFake) await fake.close();
    },
  };
}

function recognizeBody(text: string, voiceName: string) {
  return {
    recognizeInputType: 'dtmf',
    playPrompt: { kind: 'text', text: { text, voiceName } },
    recognizeOptions: {
      interruptPrompt: true,
      initialSilenceTimeoutInSeconds: 15,
      targetParticipant: { rawId: `4:${TO}`, phoneNumber: { value: TO, isAnonymous: false } },
      dtmfOptions: { interToneTimeoutInSeconds: 5, maxTonesToCollect: 6, stopTones: ['pound'] },
    },
    operationContext: 'call-1:recognize',
  };
}

describe('AcsVoiceDelivery call flow through POST /api/calls', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('calls, prompts in the user language, reports the digits once, thanks and hangs up', async () => {
    h = await harness();
    const started = await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'ja', code: CODE });

    const call = h.fake.onlyCall();
    expect(started).toEqual({ ok: true, providerId: call.callConnectionId });
    expect(call.to).toBe(TO);
    expect(call.from).toBe(CALLER_ID);
    expect(call.callbackUri).toMatch(new RegExp(`^${h.baseUrl}/api/calls\\?callId=call-1&token=[A-Za-z0-9_-]{43}$`));
    expect(call.operationContext).toBe('call-1');
    expect(h.fake.requestsTo('/calling/callConnections?api-version=')[0].status).toBe(201);

    expect((await h.fake.connect(call.callConnectionId)).status).toBe(200);
    expect(call.recognizeRequests).toEqual([recognizeBody(VOICE_PROMPTS.ja.askCode, 'ja-JP-NanamiNeural')]);
    expect(h.handler.outcomes).toEqual([]);

    const keyed = await h.fake.keyDigits(call.callConnectionId, CODE);
    expect(keyed.status).toBe(200);
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: CODE } }]);
    expect(call.playRequests).toEqual([
      {
        playSources: [{ kind: 'text', text: { text: VOICE_PROMPTS.ja.thanks, voiceName: 'ja-JP-NanamiNeural' } }],
        playTo: [],
        playOptions: { loop: false },
        operationContext: 'call-1:closing',
      },
    ]);

    // ACS retries the same CloudEvent, then a second RecognizeCompleted arrives: neither reports again.
    expect((await h.fake.repost(keyed)).status).toBe(200);
    expect((await h.fake.keyDigits(call.callConnectionId, '000000')).status).toBe(200);
    expect(h.handler.outcomes).toHaveLength(1);
    expect(call.terminated).toBe(false);

    await h.fake.completePlay(call.callConnectionId);
    expect(call.terminated).toBe(true);
    expect(h.fake.requestsTo(`/calling/callConnections/${call.callConnectionId}:terminate`)).toHaveLength(1);

    const log = h.lines.join('\n');
    expect(log).toContain('+81 XXXXXX5678');
    expect(log).not.toContain('9012345678');
    expect(log).not.toContain(CODE);
    expect(log).not.toContain(new URL(call.callbackUri).searchParams.get('token'));
    expect(log).not.toContain(h.fake.accessKey);
  });

  it('creates the call with the AI services endpoint, so ACS can speak the prompt', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    const [create] = h.fake.requestsTo('/calling/callConnections?api-version=');
    expect(create?.body).toMatchObject({ callIntelligenceOptions: { cognitiveServicesEndpoint: AI_ENDPOINT } });
    await h.fake.connect(call.callConnectionId);
    await h.fake.idle();
    expect(h.fake.callbacks.map((c) => c.events[0]?.type)).toEqual(['Microsoft.Communication.CallConnected']);
    await h.fake.keyDigits(call.callConnectionId, CODE);
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: CODE } }]);
  });

  it('without the AI services endpoint the prompt fails as in ACS: the call reports failed and hangs up, naming the setting', async () => {
    h = await harness({ voice: { cognitiveServicesEndpoint: '' } });
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    expect(h.fake.requestsTo('/calling/callConnections?api-version=')[0]?.body).not.toHaveProperty('callIntelligenceOptions');

    await h.fake.connect(call.callConnectionId);
    // ACS accepted the recognize request, then reported the failure by callback.
    expect(h.fake.requestsTo(`/calling/callConnections/${call.callConnectionId}:recognize`)[0]?.status).toBe(202);
    await h.fake.idle();
    const failure = h.fake.callbacks.at(-1)?.events[0];
    expect(failure?.type).toBe('Microsoft.Communication.RecognizeFailed');
    expect(failure?.data).toMatchObject({
      operationContext: 'call-1:recognize',
      resultInformation: { code: 405, subCode: 8522, message: 'Request not allowed when Cognitive Service Configuration not set during call setup.' },
    });
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'failed' } }]);
    // No second prompt and no closing prompt: ACS could not speak them either.
    expect(call.recognizeRequests).toHaveLength(1);
    expect(call.playRequests).toEqual([]);
    expect(call.terminated).toBe(true);
    expect(h.lines.join('\n')).toContain('ACS_COGNITIVE_SERVICES_ENDPOINT');
  });

  it('refuses prompts longer than ACS speaks (4,000 characters)', async () => {
    h = await harness();
    const long = 'x'.repeat(4001);
    const build = (askCode: string) =>
      new AcsVoiceDelivery({
        connection: h.fake.connectionString,
        callerId: CALLER_ID,
        publicBaseUrl: h.baseUrl,
        sessions: new CallSessionStore({ storage: h.storage, clock: h.clock }),
        outcomeHandler: () => h.handler,
        logger: memoryLogger().logger,
        prompts: { en: { ...VOICE_PROMPTS.en, askCode }, ja: VOICE_PROMPTS.ja },
      });
    expect(() => build(long)).toThrow(/4000/);
    expect(() => build(long.slice(1))).not.toThrow();
  });

  it('prompts in English with the English voice', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    await h.fake.connect(call.callConnectionId);
    expect(call.recognizeRequests).toEqual([recognizeBody(VOICE_PROMPTS.en.askCode, 'en-US-JennyNeural')]);
  });

  it('re-prompts once on silence and reports recognize_failed the second time', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    await h.fake.connect(call.callConnectionId);

    await h.fake.failRecognition(call.callConnectionId);
    expect(call.recognizeRequests).toHaveLength(2);
    expect(call.recognizeRequests[1]).toEqual(recognizeBody(VOICE_PROMPTS.en.askCodeAgain, 'en-US-JennyNeural'));
    expect(h.handler.outcomes).toEqual([]);

    await h.fake.failRecognition(call.callConnectionId);
    expect(call.recognizeRequests).toHaveLength(2);
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'recognize_failed' } }]);
    expect(call.playRequests).toEqual([
      expect.objectContaining({
        playSources: [{ kind: 'text', text: { text: VOICE_PROMPTS.en.goodbye, voiceName: 'en-US-JennyNeural' } }],
      }),
    ]);

    // If ACS never reports the closing prompt done, the fallback timer hangs up.
    expect(call.terminated).toBe(false);
    h.scheduler.fireAll();
    await waitFor(() => call.terminated, 'hang up after the closing prompt');
  });

  it('a digits event after the re-prompt still verifies', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    await h.fake.connect(call.callConnectionId);
    await h.fake.failRecognition(call.callConnectionId);
    await h.fake.keyDigits(call.callConnectionId, CODE);
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: CODE } }]);
  });

  it.each([
    ['noAnswer', 'no_answer'],
    ['busy', 'busy'],
    ['decline', 'rejected'],
    ['disconnect', 'no_answer'],
  ] as const)('maps %s before connect to %s', async (script, kind) => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    expect((await h.fake[script](call.callConnectionId)).status).toBe(200);
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind } }]);
    expect(h.scheduler.armed).toBe(0);
  });

  it('reports recognize_failed when the callee hangs up before keying', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    await h.fake.connect(call.callConnectionId);
    await h.fake.disconnect(call.callConnectionId);
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'recognize_failed' } }]);
  });

  it('reports no_answer when the connect timer fires, and hangs up a call that connects too late', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    h.clock.t += 61_000;
    expect(h.scheduler.fireAll()).toBe(1);
    await waitFor(() => h.handler.outcomes.length === 1, 'the no-answer outcome');
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'no_answer' } }]);
    await waitFor(() => call.terminated, 'terminate');

    await h.fake.connect(call.callConnectionId);
    expect(call.recognizeRequests).toEqual([]);
    expect(h.handler.outcomes).toHaveLength(1);
  });

  it('does not time out a call that connected in time', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    h.clock.t += 10_000;
    await h.fake.connect(call.callConnectionId);
    h.clock.t += 120_000;
    expect(h.scheduler.fireAll()).toBe(0);
    await h.fake.keyDigits(call.callConnectionId, CODE);
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: CODE } }]);
  });

  it('another instance sharing the storage applies the timeout on a late callback', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    // The second instance takes the callback; the first one's timer never fires.
    const other = await harness({ fake: h.fake, storage: h.storage });
    const otherUri = call.callbackUri.replace(h.baseUrl, other.baseUrl);
    Object.assign(call, { callbackUri: otherUri });
    other.clock.t = h.clock.t + 61_000;
    await h.fake.connect(call.callConnectionId);
    expect(other.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'no_answer' } }]);
    expect(call.terminated).toBe(true);
    await other.close();
  });

  it('reports failed and hangs up when recognition cannot start', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    const call = h.fake.onlyCall();
    h.fake.recognizeStatusQueue.push(500);
    expect((await h.fake.connect(call.callConnectionId)).status).toBe(200);
    expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'failed' } }]);
    expect(call.terminated).toBe(true);
  });

  it.each([
    [400, 'rejected'],
    [401, 'unavailable'],
    [503, 'failed'],
  ] as const)('returns %i from create call as %s and ignores later callbacks', async (status, reason) => {
    h = await harness();
    h.fake.createCallStatusQueue.push(status);
    await expect(h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE })).resolves.toEqual({ ok: false, reason });
    expect(h.scheduler.armed).toBe(0);
    expect(h.handler.outcomes).toEqual([]);
  });

  it('refuses a second call with the same id', async () => {
    h = await harness();
    await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
    await expect(h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE })).resolves.toEqual({ ok: false, reason: 'failed' });
    expect(h.fake.calls.size).toBe(1);
  });

  describe('call records', () => {
    const NATIONAL_NUMBER = TO.slice(3);

    it('drops the number once the outcome is reported, deletes the record when the call ends, and refuses retries after that', async () => {
      h = await harness();
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      await h.fake.connect(call.callConnectionId);
      // While the callee is being prompted the record needs the number (recognition is aimed at it).
      expect(JSON.stringify(h.memory)).toContain(NATIONAL_NUMBER);

      const keyed = await h.fake.keyDigits(call.callConnectionId, CODE);
      expect(storedKeys(h.memory)).toEqual(['acsCalls/call-1']);
      expect(JSON.parse(h.memory['acsCalls/call-1']!)).toMatchObject({ finished: true, outcome: 'digits' });
      expect(JSON.stringify(h.memory)).not.toContain(NATIONAL_NUMBER);
      // Until ACS says the call is over, a retry still finds the record and changes nothing.
      expect((await h.fake.repost(keyed)).status).toBe(200);

      await h.fake.completePlay(call.callConnectionId);
      expect(call.terminated).toBe(true);
      expect((await h.fake.disconnect(call.callConnectionId)).status).toBe(200);
      await waitFor(() => storedKeys(h.memory).length === 0, 'the call record to be deleted');

      // ACS retries after that are refused like any unknown call: nothing is reported again.
      expect((await h.fake.repost(keyed)).status).toBe(401);
      expect((await h.fake.keyDigits(call.callConnectionId, CODE)).status).toBe(401);
      expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: CODE } }]);
    });

    it.each(['noAnswer', 'busy', 'decline', 'disconnect'] as const)('deletes the record once the outcome of a %s call is reported', async (script) => {
      h = await harness();
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      const ended = await h.fake[script](call.callConnectionId);
      await waitFor(() => storedKeys(h.memory).length === 0, 'the call record to be deleted');
      expect(h.handler.outcomes).toHaveLength(1);
      expect((await h.fake.repost(ended)).status).toBe(401);
      expect(h.handler.outcomes).toHaveLength(1);
    });

    it('deletes the record at once when ACS refuses to place the call', async () => {
      h = await harness();
      h.fake.createCallStatusQueue.push(400);
      await expect(h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE })).resolves.toEqual({ ok: false, reason: 'rejected' });
      expect(storedKeys(h.memory)).toEqual([]);
    });

    it('keeps a record without the number when ACS may have placed the call after all', async () => {
      h = await harness();
      h.fake.createCallStatusQueue.push(503);
      await expect(h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE })).resolves.toEqual({ ok: false, reason: 'failed' });
      expect(storedKeys(h.memory)).toEqual(['acsCalls/call-1']);
      expect(JSON.parse(h.memory['acsCalls/call-1']!)).toMatchObject({ finished: true, outcome: 'failed' });
      expect(JSON.stringify(h.memory)).not.toContain(NATIONAL_NUMBER);
    });

    it('treats a record older than a call can last as unknown: its callbacks are refused and it is removed', async () => {
      h = await harness();
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      h.clock.t += MAX_CALL_LIFE_MS;
      expect((await h.fake.connect(call.callConnectionId)).status).toBe(401);
      expect(call.recognizeRequests).toEqual([]);
      expect(h.handler.outcomes).toEqual([]);
      expect(storedKeys(h.memory)).toEqual([]);
    });
  });

  describe('after the digits arrive', () => {
    it('answers the callback and starts the thank-you prompt without waiting for the outcome turn', async () => {
      const handler = new GatedOutcomeHandler();
      h = await harness({ handler });
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      await h.fake.connect(call.callConnectionId);

      try {
        const keyed = h.fake.keyDigits(call.callConnectionId, CODE);
        const answered = await Promise.race([keyed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2_000))]);
        expect(answered?.status).toBe(200);
        expect(handler.arrived).toEqual(['call-1']);
        expect(handler.outcomes).toEqual([]);
        expect(call.playRequests).toEqual([
          expect.objectContaining({
            playSources: [{ kind: 'text', text: { text: VOICE_PROMPTS.en.thanks, voiceName: 'en-US-JennyNeural' } }],
          }),
        ]);
        // An ACS retry while the turn is still running is answered and reports nothing twice.
        expect((await h.fake.repost(answered!)).status).toBe(200);
        expect(handler.arrived).toHaveLength(1);
      } finally {
        handler.release();
      }
      await h.voice.drain();
      expect(handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: CODE } }]);
    });

    it('still reports the outcome when the thank-you prompt cannot be played, and hangs up', async () => {
      h = await harness();
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      await h.fake.connect(call.callConnectionId);
      h.fake.playStatusQueue.push(500);
      expect((await h.fake.keyDigits(call.callConnectionId, CODE)).status).toBe(200);
      await waitFor(() => h.handler.outcomes.length > 0, 'the outcome');
      expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: CODE } }]);
      expect(h.fake.requestsTo(`/calling/callConnections/${call.callConnectionId}:play`).map((r) => r.status)).toEqual([500]);
      expect(call.terminated).toBe(true);
    });

    it('still thanks the callee and hangs up when the outcome turn fails', async () => {
      h = await harness({ handler: new FailingOutcomeHandler() });
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      await h.fake.connect(call.callConnectionId);
      expect((await h.fake.keyDigits(call.callConnectionId, CODE)).status).toBe(200);
      await waitFor(() => h.lines.some((line) => line.includes('Call outcome handler failed')), 'the failed outcome turn');
      expect(call.playRequests).toHaveLength(1);
      await h.fake.completePlay(call.callConnectionId);
      expect(call.terminated).toBe(true);
    });

    it.each(['en', 'ja'] as const)('thanks in %s without saying the phone is registered (that is still being decided)', (locale) => {
      expect(VOICE_PROMPTS[locale].thanks).not.toMatch(/regist|verified|success|complete|added|登録|完了|追加/iu);
    });
  });

  describe('callback authentication', () => {
    async function postTo(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      await response.arrayBuffer();
      return response.status;
    }

    function connectedEvent(callConnectionId: string) {
      return [{ id: 'e1', type: 'Microsoft.Communication.CallConnected', data: { callConnectionId, serverCallId: 's', correlationId: 'c' } }];
    }

    it.each([
      ['a wrong token', (uri: string) => uri.replace(/token=[^&]+/, 'token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')],
      ['no token', (uri: string) => uri.replace(/&token=[^&]+/, '')],
      ['an unknown call id', (uri: string) => uri.replace('callId=call-1', 'callId=call-2')],
      ['no query at all', (uri: string) => uri.split('?')[0]],
    ])('answers 401 to a callback with %s and does nothing', async (_name, forge) => {
      h = await harness();
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      expect(await postTo(forge(call.callbackUri), connectedEvent(call.callConnectionId))).toBe(401);
      expect(call.recognizeRequests).toEqual([]);
    });

    it('answers 200 to a genuine callback with unknown or malformed events, and still handles the good ones', async () => {
      h = await harness();
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      const body = [{ id: 'x1', type: 'Microsoft.Communication.SomethingNew', data: {} }, 42, ...connectedEvent(call.callConnectionId)];
      expect(await postTo(call.callbackUri, body)).toBe(200);
      expect(call.recognizeRequests).toHaveLength(1);
      expect(await postTo(call.callbackUri, { not: 'an event' })).toBe(200);
    });

    it('with the ACS JWT configured, accepts signed callbacks and refuses unsigned or foreign-signed ones', async () => {
      h = await harness({ jwtAudience: AUDIENCE });
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();

      expect(await postTo(call.callbackUri, connectedEvent(call.callConnectionId))).toBe(401);
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const foreign = jwt.sign({}, privateKey, {
        algorithm: 'RS256',
        keyid: 'other',
        issuer: 'https://acscallautomation.communication.azure.com',
        audience: AUDIENCE,
        expiresIn: 300,
      });
      expect(await postTo(call.callbackUri, connectedEvent(call.callConnectionId), { authorization: `Bearer ${foreign}` })).toBe(401);
      expect(call.recognizeRequests).toEqual([]);

      expect((await h.fake.answerAndKey(call.callConnectionId, CODE)).status).toBe(200);
      expect(h.handler.outcomes).toEqual([{ callId: 'call-1', outcome: { kind: 'digits', digits: CODE } }]);
    });

    it('with the ACS JWT configured for another resource, refuses even correctly signed callbacks', async () => {
      // The fake signs for a different ACS resource than the one the bot expects.
      h = await harness({ jwtAudience: `${AUDIENCE}-other`, botAudience: AUDIENCE });
      await h.voice.startCall({ callId: 'call-1', to: TO, locale: 'en', code: CODE });
      const call = h.fake.onlyCall();
      expect((await h.fake.connect(call.callConnectionId)).status).toBe(401);
      expect(call.recognizeRequests).toEqual([]);
    });
  });
});
