import {
  CallAutomationClient,
  DtmfTone,
  type CallAutomationClientOptions,
  type CallAutomationEvent,
  type CallInvite,
  type TextSource,
} from '@azure/communication-call-automation';
import type { Locale } from '../../i18n/locale';
import type { Logger } from '../../logging/logger';
import { systemClock, type Clock } from '../../time/clock';
import type { CallOutcome, CallOutcomeHandler, CallRequest, DeliveryResult, PhoneDelivery } from '../phone-delivery';
import { stripTrailing } from '../../text/strip-trailing';
import { describeError, statusCodeOf, type AcsConnection } from './acs-connection';
import { CallCallbackAuth, hashCallbackToken, newCallbackToken, type AcsCallbackJwtOptions, type CallbackCredentials } from './call-callback-auth';
import type { CallCallbackReceiver } from './call-callback-receiver';
import { finishedSession, nextCallStep, type CallAction, type CallSignal } from './call-flow';
import type { CallSession, CallSessionStore } from './call-session-store';
import { maskE164 } from '../../phone/mask-phone';
import { timerScheduler, type Scheduler } from '../../time/scheduler';
import { VOICE_PROMPTS, type VoicePrompts } from './voice-prompts';

export interface AcsVoiceDeliveryOptions {
  readonly connection: AcsConnection;
  /** The ACS phone number calls come from (E.164); the card tells the user to expect it. */
  readonly callerId: string;
  /** Public https base URL of this service; ACS posts call events to `${publicBaseUrl}/api/calls`. */
  readonly publicBaseUrl: string;
  readonly sessions: Pick<CallSessionStore, 'get' | 'create' | 'update' | 'delete'>;
  /** Late-bound because the bot that receives outcomes is built after the delivery. */
  readonly outcomeHandler: () => CallOutcomeHandler;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  /** Without a CallConnected by then the call counts as not answered; default 60 s. */
  readonly connectTimeoutMs?: number;
  /** Seconds of silence before the first key; default 15. */
  readonly initialSilenceTimeoutSeconds?: number;
  /** Seconds allowed between two keys; default 5. */
  readonly interToneTimeoutSeconds?: number;
  /** Hang up this long after the closing prompt started if ACS never reports it finished; default 20 s. */
  readonly closingHangUpMs?: number;
  /** Timeout for each request to ACS; default 15 s. */
  readonly requestTimeoutMs?: number;
  /** When set, callbacks must also carry a valid ACS JWT. */
  readonly callbackJwt?: AcsCallbackJwtOptions;
  readonly prompts?: Readonly<Record<Locale, VoicePrompts>>;
  /** Extra pipeline options; tests pass `allowInsecureConnection` for a local http fake. */
  readonly clientOptions?: CallAutomationClientOptions;
  /**
   * The Azure AI services (multi-service) resource connected to the ACS resource. ACS speaks text
   * prompts only on calls created with it; without it every prompt fails ("Cognitive Service
   * Configuration not set during call setup") and the callee hears nothing.
   */
  readonly cognitiveServicesEndpoint?: string;
}

const E164 = /^\+[1-9][0-9]{6,14}$/u;
const CODE_LENGTH = 6;
/** ACS refuses longer text-to-speech prompts. */
const MAX_PROMPT_CHARACTERS = 4000;
/**
 * Failure subcodes that mean ACS could not speak at all (its AI services set-up, not the callee):
 * 8522 missing configuration (no cognitiveServicesEndpoint on the call), 8565 Cognitive Services
 * error, 8567 the ACS resource's identity is not enabled, 8568 its managed identity request to the AI
 * resource failed, 7606 ACS resource not authorized for cognitive actions. Source: "Troubleshooting
 * call end response codes", Call Automation SDK subcodes,
 * https://learn.microsoft.com/azure/communication-services/resources/troubleshooting/voice-video-calling/troubleshooting-codes
 */
const SPEECH_SETUP_SUB_CODES: ReadonlySet<number> = new Set([8522, 8565, 8567, 8568, 7606]);
const TONE_DIGITS: Readonly<Record<string, string>> = {
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  asterisk: '*',
  pound: '#',
};

/**
 * Verification calls through ACS Call Automation: dials the user, asks in their language for the
 * code shown in Teams, collects the keyed digits and reports them (or why there are none) to the
 * outcome handler exactly once. Call state lives in Storage so any instance can take a callback.
 */
export class AcsVoiceDelivery implements Pick<PhoneDelivery, 'startCall'>, CallCallbackReceiver {
  private readonly client: CallAutomationClient;
  private readonly callerId: string;
  private readonly callbackUrlBase: string;
  private readonly sessions: AcsVoiceDeliveryOptions['sessions'];
  private readonly outcomeHandler: () => CallOutcomeHandler;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly connectTimeoutMs: number;
  private readonly initialSilenceTimeoutSeconds: number;
  private readonly interToneTimeoutSeconds: number;
  private readonly closingHangUpMs: number;
  private readonly requestTimeoutMs: number;
  private readonly prompts: Readonly<Record<Locale, VoicePrompts>>;
  private readonly cognitiveServicesEndpoint?: string;
  private readonly auth: CallCallbackAuth;
  private readonly timers = new Map<string, () => void>();
  /** Outcome reports (and the record deletions that wait for them) still running, for `drain`. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: AcsVoiceDeliveryOptions) {
    if (!E164.test(options.callerId)) throw new Error('Voice caller id must be an E.164 number');
    const base = new URL(options.publicBaseUrl);
    this.callbackUrlBase = `${base.origin}${stripTrailing(base.pathname, '/')}/api/calls`;
    // The SDK writes into the options object it gets: hand it a copy.
    const clientOptions: CallAutomationClientOptions = { ...options.clientOptions };
    this.client =
      typeof options.connection === 'string'
        ? new CallAutomationClient(options.connection, clientOptions)
        : new CallAutomationClient(options.connection.endpoint, options.connection.credential, clientOptions);
    this.callerId = options.callerId;
    this.sessions = options.sessions;
    this.outcomeHandler = options.outcomeHandler;
    this.logger = options.logger.child({ module: 'acs-voice' });
    this.clock = options.clock ?? systemClock;
    this.scheduler = options.scheduler ?? timerScheduler;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 60_000;
    this.initialSilenceTimeoutSeconds = options.initialSilenceTimeoutSeconds ?? 15;
    this.interToneTimeoutSeconds = options.interToneTimeoutSeconds ?? 5;
    this.closingHangUpMs = options.closingHangUpMs ?? 20_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.prompts = options.prompts ?? VOICE_PROMPTS;
    for (const prompts of Object.values(this.prompts)) {
      const tooLong = [prompts.askCode, prompts.askCodeAgain, prompts.thanks, prompts.goodbye].some((text) => text.length > MAX_PROMPT_CHARACTERS);
      if (tooLong) throw new Error(`Voice prompts must be at most ${MAX_PROMPT_CHARACTERS} characters (ACS text-to-speech limit)`);
    }
    if (options.cognitiveServicesEndpoint) this.cognitiveServicesEndpoint = options.cognitiveServicesEndpoint;
    this.auth = new CallCallbackAuth({
      sessions: this.sessions,
      clock: this.clock,
      ...(options.callbackJwt ? { jwt: options.callbackJwt } : {}),
    });
  }

  /** Places the call; `ok` means ACS accepted it, the outcome comes later through the handler. */
  async startCall(request: CallRequest): Promise<DeliveryResult> {
    const to = maskE164(request.to);
    const log = this.logger.child({ callId: request.callId });
    if (!E164.test(request.to)) {
      log.warn({ to }, 'Call not placed: number is not E.164');
      return { ok: false, reason: 'rejected' };
    }
    const token = newCallbackToken();
    const created = await this.sessions.create({
      callId: request.callId,
      to: request.to,
      locale: request.locale,
      tokenHash: hashCallbackToken(token),
      startedAt: this.clock.now(),
      reprompted: false,
      finished: false,
      seenEventIds: [],
    });
    if (!created) {
      log.error('Call not placed: a call with this id already exists');
      return { ok: false, reason: 'failed' };
    }
    const callbackUrl = `${this.callbackUrlBase}?callId=${encodeURIComponent(request.callId)}&token=${encodeURIComponent(token)}`;
    const invite: CallInvite = { targetParticipant: { phoneNumber: request.to }, sourceCallIdNumber: { phoneNumber: this.callerId } };
    this.armConnectTimer(request.callId);
    try {
      const { callConnectionProperties } = await this.client.createCall(invite, callbackUrl, {
        operationContext: request.callId,
        ...(this.cognitiveServicesEndpoint ? { callIntelligenceOptions: { cognitiveServicesEndpoint: this.cognitiveServicesEndpoint } } : {}),
        abortSignal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      const callConnectionId = callConnectionProperties.callConnectionId;
      if (callConnectionId) {
        await this.sessions.update(request.callId, (s) => (s.callConnectionId ? undefined : { ...s, callConnectionId }));
      }
      log.info({ to, callConnectionId }, 'Verification call placed');
      return callConnectionId ? { ok: true, providerId: callConnectionId } : { ok: true };
    } catch (error) {
      this.cancelConnectTimer(request.callId);
      const status = statusCodeOf(error);
      if (refusedOutright(status)) {
        // No call exists, so no callback will ever need the record.
        await this.sessions.delete(request.callId);
      } else {
        // Close the session so a call ACS placed despite the error is hung up when it connects.
        await this.sessions.update(request.callId, (s) => (s.finished ? undefined : finishedSession(s, 'failed')));
      }
      const reason = status === 401 || status === 403 ? 'unavailable' : refusedOutright(status) ? 'rejected' : 'failed';
      log.error({ to, err: describeError(error), reason }, 'Verification call could not be placed');
      return { ok: false, reason };
    }
  }

  /** Accepts a callback only with the call's token (and the ACS JWT when configured). */
  async authenticateCallback(credentials: CallbackCredentials): Promise<{ readonly callId: string } | undefined> {
    const result = await this.auth.authenticate(credentials);
    if (!result.ok) {
      this.logger.warn({ reason: result.reason }, 'Call callback refused');
      return undefined;
    }
    return { callId: result.session.callId };
  }

  /** Advances the call for one event; repeated events and events after the outcome change nothing. */
  async handleCallEvent(callId: string, event: CallAutomationEvent, eventId?: string): Promise<void> {
    this.logger.debug({ callId, event: event.kind, subCode: event.resultInformation?.subCode }, 'Call event');
    if (isSpeechSetupFailure(event)) {
      this.logger.error(
        { callId, event: event.kind, code: event.resultInformation?.code, subCode: event.resultInformation?.subCode },
        "ACS could not speak the prompt: check ACS_COGNITIVE_SERVICES_ENDPOINT, the AI services resource connected to ACS, and the ACS identity's Cognitive Services User role",
      );
    }
    await this.advance(callId, toSignal(callId, event), eventId, event.callConnectionId);
  }

  /** Waits for outcomes still being reported (shutdown), so no conversation is cut off mid-turn. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Cancels pending timers (shutdown); calls in progress finish through later callbacks. */
  dispose(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private async advance(callId: string, signal: CallSignal, eventId?: string, callConnectionId?: string): Promise<void> {
    let actions: readonly CallAction[] = [];
    const update = await this.sessions.update(callId, (current) => {
      const step = nextCallStep(current, {
        signal,
        now: this.clock.now(),
        connectTimeoutMs: this.connectTimeoutMs,
        ...(eventId !== undefined ? { eventId } : {}),
        ...(callConnectionId ? { callConnectionId } : {}),
      });
      actions = step.actions;
      return step.next;
    });
    const session = update.current;
    if (!session) {
      this.logger.warn({ callId }, 'Call event for an unknown call');
      return;
    }
    if (session.finished || session.connectedAt !== undefined) this.cancelConnectTimer(callId);
    await this.carryOut(session, actions);
  }

  /**
   * Does what a step asks. The outcome goes to the bot in the background: its turn (a directory
   * write, card updates) can take seconds, and neither the callee waiting for the closing prompt
   * nor the ACS callback waiting for its answer should wait for it. Neither depends on the other
   * succeeding. The record is deleted only after the outcome was handed over.
   */
  private async carryOut(session: CallSession, actions: readonly CallAction[]): Promise<void> {
    let reported: Promise<void> = Promise.resolve();
    for (const action of actions) {
      if (action.type === 'report') reported = this.track(this.report(session.callId, action.outcome));
      else if (action.type === 'forget') void this.track(reported.then(() => this.forget(session.callId)));
      else await this.perform(session, action);
    }
  }

  /** Keeps background work findable for `drain`; `work` must not reject. */
  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    void work.then(() => this.inFlight.delete(work));
    return work;
  }

  /** Hands the outcome to the bot; never rejects, a failure is logged. */
  private async report(callId: string, outcome: CallOutcome): Promise<void> {
    const log = this.logger.child({ callId });
    log.info({ outcome: outcome.kind }, 'Call outcome');
    try {
      await this.outcomeHandler().onCallOutcome(callId, outcome);
    } catch (error) {
      log.error({ err: describeError(error) }, 'Call outcome handler failed');
    }
  }

  /** Deletes the record of a call that is over; never rejects (an undeleted record expires). */
  private async forget(callId: string): Promise<void> {
    try {
      await this.sessions.delete(callId);
    } catch (error) {
      this.logger.warn({ callId, err: describeError(error) }, 'Could not delete the record of a finished call');
    }
  }

  /** Call control: prompts and hang-ups, each asked of ACS before the callback is answered. */
  private async perform(session: CallSession, action: Exclude<CallAction, { type: 'report' | 'forget' }>): Promise<void> {
    const log = this.logger.child({ callId: session.callId });
    switch (action.type) {
      case 'recognize':
        try {
          await this.startRecognizing(session, this.prompts[session.locale][action.prompt]);
        } catch (error) {
          log.error({ err: describeError(error) }, 'Could not start keypad recognition');
          await this.advance(session.callId, { kind: 'media_failed' });
        }
        return;
      case 'play_closing':
        try {
          await this.connection(session)
            ?.getCallMedia()
            .playToAll([this.textSource(session.locale, this.prompts[session.locale][action.prompt])], {
              operationContext: closingContext(session.callId),
              abortSignal: AbortSignal.timeout(this.requestTimeoutMs),
            });
          const cancel = this.scheduler.schedule(() => {
            this.timers.delete(`${session.callId}:closing`);
            void this.hangUp(session);
          }, this.closingHangUpMs);
          this.timers.set(`${session.callId}:closing`, cancel);
        } catch (error) {
          log.warn({ err: describeError(error) }, 'Could not play the closing prompt');
          await this.hangUp(session);
        }
        return;
      case 'hang_up':
        await this.hangUp(session);
        return;
    }
  }

  private async startRecognizing(session: CallSession, prompt: string): Promise<void> {
    const connection = this.connection(session);
    if (!connection) throw new Error('No call connection id yet');
    if (!session.to) throw new Error('The call is finished: no number to prompt');
    await connection.getCallMedia().startRecognizing(
      { phoneNumber: session.to },
      {
        kind: 'callMediaRecognizeDtmfOptions',
        maxTonesToCollect: CODE_LENGTH,
        playPrompt: this.textSource(session.locale, prompt),
        initialSilenceTimeoutInSeconds: this.initialSilenceTimeoutSeconds,
        interToneTimeoutInSeconds: this.interToneTimeoutSeconds,
        interruptPrompt: true,
        stopDtmfTones: [DtmfTone.Pound],
        operationContext: `${session.callId}:recognize`,
        abortSignal: AbortSignal.timeout(this.requestTimeoutMs),
      },
    );
  }

  private async hangUp(session: CallSession): Promise<void> {
    const timer = this.timers.get(`${session.callId}:closing`);
    if (timer) {
      timer();
      this.timers.delete(`${session.callId}:closing`);
    }
    const connection = this.connection(session);
    if (!connection) return;
    try {
      await connection.hangUp(true, { abortSignal: AbortSignal.timeout(this.requestTimeoutMs) });
    } catch (error) {
      // The callee may have hung up already; the call is over either way.
      this.logger.debug({ callId: session.callId, err: describeError(error) }, 'Hang up failed');
    }
  }

  private connection(session: CallSession): ReturnType<CallAutomationClient['getCallConnection']> | undefined {
    return session.callConnectionId ? this.client.getCallConnection(session.callConnectionId) : undefined;
  }

  private textSource(locale: Locale, text: string): TextSource {
    return { kind: 'textSource', text, voiceName: this.prompts[locale].voiceName };
  }

  private armConnectTimer(callId: string): void {
    // A little slack so the check never runs a hair before the deadline it checks.
    const cancel = this.scheduler.schedule(() => {
      this.timers.delete(callId);
      this.advance(callId, { kind: 'timeout_check' }).catch((error: unknown) => {
        this.logger.error({ callId, err: describeError(error) }, 'Connect timeout check failed');
      });
    }, this.connectTimeoutMs + 250);
    this.timers.set(callId, cancel);
  }

  private cancelConnectTimer(callId: string): void {
    const cancel = this.timers.get(callId);
    if (cancel) {
      cancel();
      this.timers.delete(callId);
    }
  }
}

/** A 4xx other than a timeout or throttling: ACS refused the request, so it placed no call. */
function refusedOutright(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function closingContext(callId: string): string {
  return `${callId}:closing`;
}

/** Reduces an SDK event to the signal the call flow understands. */
function toSignal(callId: string, event: CallAutomationEvent): CallSignal {
  switch (event.kind) {
    case 'CallConnected':
      return { kind: 'connected' };
    case 'RecognizeCompleted': {
      const tones = event.dtmfResult?.tones ?? [];
      if (tones.length === 0) return { kind: 'recognize_failed', ...subCodeOf(event) };
      return { kind: 'recognized', digits: tones.map((tone) => TONE_DIGITS[tone] ?? '?').join('') };
    }
    case 'RecognizeFailed':
      // The callee heard nothing: asking again would fail the same way, and it is not their fault.
      if (isSpeechSetupFailure(event)) return { kind: 'media_failed' };
      return { kind: 'recognize_failed', ...subCodeOf(event) };
    case 'CallDisconnected':
      return { kind: 'disconnected', ...codeOf(event) };
    case 'CreateCallFailed':
      return { kind: 'create_failed', ...codeOf(event) };
    case 'PlayCompleted':
    case 'PlayFailed':
      return event.operationContext === closingContext(callId) ? { kind: 'closing_done' } : { kind: 'ignored' };
    default:
      return { kind: 'ignored' };
  }
}

/** A prompt ACS refused to speak because of its AI services set-up. */
function isSpeechSetupFailure(event: CallAutomationEvent): boolean {
  if (event.kind !== 'RecognizeFailed' && event.kind !== 'PlayFailed') return false;
  const { code, subCode } = event.resultInformation ?? {};
  // 8522 also means "not found" (404); only with 405 is it the missing configuration.
  if (subCode === 8522) return code === 405;
  return typeof subCode === 'number' && SPEECH_SETUP_SUB_CODES.has(subCode);
}

function subCodeOf(event: CallAutomationEvent): { subCode?: number } {
  const subCode = event.resultInformation?.subCode;
  return typeof subCode === 'number' ? { subCode } : {};
}

function codeOf(event: CallAutomationEvent): { code?: number } {
  const code = event.resultInformation?.code;
  return typeof code === 'number' ? { code } : {};
}
