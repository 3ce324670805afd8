import twilio from 'twilio';
import type { Logger } from '../../logging/logger';
import { maskE164 } from '../../phone/mask-phone';
import { CallCallbackAuth, hashCallbackToken, newCallbackToken } from '../acs/call-callback-auth';
import { finishedSession } from '../acs/call-flow';
import type { CallSession, CallSessionStore } from '../acs/call-session-store';
import type { Clock } from '../../time/clock';
import type { CallOutcome, CallOutcomeHandler, CallRequest, DeliveryResult, PhoneDelivery } from '../phone-delivery';
import { askCodeTwiml, closingTwiml, hangUpTwiml, isCompleteCode } from './twilio-call-twiml';
import type { TwilioClient } from './twilio-connection';
import { describeTwilioError, twilioFailure } from './twilio-failure';

/** Where Twilio posts a call's keypad input and its final status, under PUBLIC_BASE_URL. */
export const TWILIO_GATHER_PATH = '/api/calls/twilio/gather';
export const TWILIO_STATUS_PATH = '/api/calls/twilio/status';

export interface TwilioVoiceDeliveryOptions {
  readonly client: Pick<TwilioClient, 'calls'>;
  /** Secret: Twilio signs every webhook with it (X-Twilio-Signature). */
  readonly authToken: string;
  /** A voice-capable Twilio number (or verified caller id) in E.164. */
  readonly callerId: string;
  /** The bot's public https address; webhook URLs (and their signatures) are built on it. */
  readonly publicBaseUrl: string;
  /** Shared storage: any instance may receive a call's webhooks. */
  readonly sessions: CallSessionStore;
  readonly outcomeHandler: () => CallOutcomeHandler;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Seconds Twilio lets the phone ring before reporting no-answer; default 30. */
  readonly ringSeconds?: number;
}

/** A webhook as it reached us: the path with its query, Twilio's form parameters and signature. */
export interface TwilioWebhook {
  /** Path and query exactly as requested, e.g. `/api/calls/twilio/status?callId=…&token=…`. */
  readonly pathAndQuery: string;
  readonly params: Readonly<Record<string, string>>;
  readonly signature?: string;
}

const E164 = /^\+[1-9][0-9]{6,14}$/u;

/**
 * Verification calls through Twilio Programmable Voice
 * (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource). The call speaks
 * the prompt and gathers six keypad digits, which Twilio posts to our webhook; the bot compares
 * them with the code. The call's record lives in shared storage, so every instance can answer.
 */
export class TwilioVoiceDelivery implements Pick<PhoneDelivery, 'startCall'> {
  private readonly logger: Logger;
  private readonly auth: CallCallbackAuth;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: TwilioVoiceDeliveryOptions) {
    this.logger = options.logger.child({ module: 'twilio-voice', provider: 'twilio' });
    this.auth = new CallCallbackAuth({ sessions: options.sessions, clock: options.clock });
  }

  /** Places the call; `ok` means Twilio accepted it, the outcome comes later through the handler. */
  async startCall(request: CallRequest): Promise<DeliveryResult> {
    const to = maskE164(request.to);
    const log = this.logger.child({ callId: request.callId });
    if (!E164.test(request.to)) {
      log.warn({ to }, 'Call not placed: number is not E.164');
      return { ok: false, reason: 'rejected' };
    }
    const token = newCallbackToken();
    const created = await this.options.sessions.create({
      callId: request.callId,
      locale: request.locale,
      tokenHash: hashCallbackToken(token),
      startedAt: this.options.clock.now(),
      reprompted: false,
      finished: false,
      seenEventIds: [],
    });
    if (!created) {
      log.error('Call not placed: a call with this id already exists');
      return { ok: false, reason: 'failed' };
    }
    const query = `callId=${encodeURIComponent(request.callId)}&token=${encodeURIComponent(token)}`;
    try {
      const call = await this.options.client.calls.create({
        to: request.to,
        from: this.options.callerId,
        twiml: askCodeTwiml(request.locale, 'voice.askCode', this.url(TWILIO_GATHER_PATH, `${query}&attempt=1`)),
        statusCallback: this.url(TWILIO_STATUS_PATH, query),
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['completed'],
        timeout: this.options.ringSeconds ?? 30,
      });
      await this.options.sessions.update(request.callId, (s) => (s.callConnectionId ? undefined : { ...s, callConnectionId: call.sid }));
      log.info({ to, callSid: call.sid }, 'Verification call placed');
      return { ok: true, providerId: call.sid };
    } catch (error) {
      const failure = twilioFailure(error);
      if (failure.nothingSent === true || failure.reason !== 'failed') {
        // Refused: no call exists, so no webhook will ever need the record.
        await this.options.sessions.delete(request.callId);
      } else {
        // A call Twilio placed despite the error finds its record finished and is hung up.
        await this.options.sessions.update(request.callId, (s) => (s.finished ? undefined : finishedSession(s, 'failed')));
      }
      log.error(
        { to, err: describeTwilioError(error), reason: failure.reason, nothingSent: failure.nothingSent ?? false },
        'Verification call could not be placed',
      );
      return failure;
    }
  }

  /**
   * Checks a webhook: Twilio's signature over the public URL and the form parameters
   * (https://www.twilio.com/docs/usage/webhooks/webhooks-security), then the call's own token.
   * Returns the call id, or undefined for anything that is not genuine.
   */
  async authenticate(webhook: TwilioWebhook): Promise<string | undefined> {
    const url = `${this.options.publicBaseUrl}${webhook.pathAndQuery}`;
    if (!webhook.signature || !twilio.validateRequest(this.options.authToken, webhook.signature, url, webhook.params)) {
      this.logger.warn('Twilio webhook refused: bad or missing signature');
      return undefined;
    }
    const query = new URL(url).searchParams;
    const result = await this.auth.authenticate({ ...optional('callId', query.get('callId')), ...optional('token', query.get('token')) });
    if (!result.ok) {
      this.logger.warn({ reason: result.reason }, 'Twilio webhook refused');
      return undefined;
    }
    return result.session.callId;
  }

  /** Keypad input (or none) after a prompt: report the digits, re-prompt once, or give up. */
  async handleGather(callId: string, attempt: number, digits: string, query: string): Promise<string> {
    const complete = isCompleteCode(digits);
    let outcome: CallOutcome | undefined;
    const update = await this.options.sessions.update(callId, (s) => {
      const answered: CallSession = s.connectedAt === undefined ? { ...s, connectedAt: this.options.clock.now() } : s;
      if (s.finished) return undefined;
      if (complete) {
        outcome = { kind: 'digits', digits };
        return finishedSession(answered, 'digits');
      }
      if (attempt < 2) return answered.reprompted ? (answered === s ? undefined : answered) : { ...answered, reprompted: true };
      outcome = { kind: 'recognize_failed' };
      return finishedSession(answered, 'recognize_failed');
    });
    const session = update.current;
    if (!session) return hangUpTwiml();
    // Reported in the background (report never rejects); drain() waits for it.
    if (outcome) void this.track(this.report(callId, outcome));
    if (session.finished) return closingTwiml(session.locale, session.outcome === 'digits' ? 'voice.thanks' : 'voice.goodbye');
    // Repeated webhooks for the first prompt get the same re-prompt: nothing is reported twice.
    return askCodeTwiml(session.locale, 'voice.askCodeAgain', this.url(TWILIO_GATHER_PATH, `${withoutAttempt(query)}&attempt=2`));
  }

  /**
   * The call's final status (https://www.twilio.com/docs/voice/api/call-resource#call-status-values):
   * a call that ended without the code reports what happened, mapped like ACS's; then the record goes.
   */
  async handleStatus(callId: string, callStatus: string): Promise<void> {
    if (!isFinalStatus(callStatus)) return;
    let outcome: CallOutcome | undefined;
    const update = await this.options.sessions.update(callId, (s) => {
      if (s.finished) return undefined;
      const kind = endedWithoutCode(callStatus);
      outcome = { kind };
      return finishedSession(s, kind);
    });
    if (!update.current) return;
    const reported = outcome ? this.track(this.report(callId, outcome)) : Promise.resolve();
    void this.track(reported.then(() => this.forget(callId)));
  }

  /** Waits for outcomes still being reported (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private url(path: string, query: string): string {
    return `${this.options.publicBaseUrl}${path}?${query}`;
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    void work.then(() => this.inFlight.delete(work));
    return work;
  }

  /** Hands the outcome to the bot in the background; never rejects. */
  private async report(callId: string, outcome: CallOutcome): Promise<void> {
    this.logger.info({ callId, outcome: outcome.kind }, 'Call outcome');
    try {
      await this.options.outcomeHandler().onCallOutcome(callId, outcome);
    } catch (error) {
      this.logger.error({ callId, err: describeTwilioError(error) }, 'Call outcome handler failed');
    }
  }

  private async forget(callId: string): Promise<void> {
    try {
      await this.options.sessions.delete(callId);
    } catch (error) {
      this.logger.warn({ callId, err: describeTwilioError(error) }, 'Could not delete the record of a finished call');
    }
  }
}

const FINAL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

/** Twilio's final CallStatus as the outcome ACS's SIP codes give for the same event. */
function endedWithoutCode(status: string): Exclude<CallOutcome['kind'], 'digits'> {
  switch (status) {
    case 'busy':
      return 'busy';
    case 'no-answer':
    case 'canceled':
      return 'no_answer';
    case 'completed':
      // Answered, then hung up before keying the code: the code never came (as with ACS).
      return 'recognize_failed';
    default:
      return 'failed';
  }
}

function withoutAttempt(query: string): string {
  const params = new URLSearchParams(query);
  params.delete('attempt');
  return params.toString();
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  if (value === null || value === '') return {};
  const entry: Partial<Record<K, string>> = {};
  entry[key] = value;
  return entry;
}
