import { auditTenantOf } from './audit-tenant';
import type { Attachment, TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { BackgroundDeliveries } from '../bot/background-deliveries';
import type { CardViews } from '../cards/card-views';
import { translator } from '../i18n/messages';
import type { Locale } from '../i18n/locale';
import type { Logger } from '../logging/logger';
import type { ParsedPhone, PhoneType } from '../phone/phone-types';
import { maskPhone } from '../phone/mask-phone';
import type { AccountGuard } from '../verification/account-guard';
import type { Clock } from '../time/clock';
import type { CodeBinding, CodeChallenge, CodeVerifier } from '../verification/code-verifier';
import { spacedCode } from '../verification/format-code';
import type { PendingCalls } from '../verification/pending-calls';
import type { CallOutcome, DeliveryResult, PhoneDelivery } from '../verification/phone-delivery';
import type { SendLimiter } from '../verification/send-limiter';
import { TEXTS_EVERY_COUNTRY, type SmsCoverage } from '../verification/sms-coverage';
import type { PhoneAvailability } from '../policy/phone-availability';
import { CALL_OUTCOME_EVENT, readCallOutcomeEvent } from './call-outcome-event';
import { CardFlow, type ActiveCard } from './card-flow';
import { conversationReferenceOf } from './conversation-reference';
import { DELIVERY_RESULT_EVENT, readDeliveryResultEvent } from './delivery-result-event';
import { isInternalEvent } from './internal-event';
import { readActiveSubmit, type SubmitValue } from './submit-value';

export const VERIFY_PHONE_DIALOG = 'verifyPhone';

/** The number to prove possession of, in the forms delivery needs. */
export interface VerifiablePhone {
  /** Graph format, e.g. `+81 9012345678`: the code is bound to it. */
  readonly graphNumber: string;
  /** E.164, what providers dial. */
  readonly e164: string;
  /** ISO region, for the per-country send cap. */
  readonly region: string;
}

export interface VerifyPhoneOptions {
  readonly locale: Locale;
  readonly userId: string;
  readonly phone: VerifiablePhone;
  /** "Receive a code" is offered only for a Phone whose number can receive texts. */
  readonly smsAllowed: boolean;
}

/**
 * Proving a number of the given type: the guide offers "Receive a code" only for a Phone whose number
 * can take texts, and "Call me" otherwise.
 */
export function verifyOptionsFor(who: { readonly locale: Locale; readonly userId: string }, phoneType: PhoneType, phone: ParsedPhone): VerifyPhoneOptions {
  return { locale: who.locale, userId: who.userId, phone, smsAllowed: phoneType === 'mobile' && phone.canReceiveSms };
}

/** How the check ended; the parent dialog decides what follows. */
export type VerifyPhoneResult = { readonly outcome: 'verified' | 'changeNumber' | 'blocked' };

type VerifyStep = 'method' | 'code' | 'callReady' | 'calling' | 'callFailed';

/** The stored state: no code in clear, ever. */
export interface VerifyPhoneState extends ActiveCard {
  locale: Locale;
  userId: string;
  step: VerifyStep;
  phone: VerifiablePhone;
  smsAllowed: boolean;
  /** False where the tenant turned voice off. */
  callAllowed: boolean;
  challenge?: CodeChallenge;
  callId?: string;
  /** Id of the text being sent in the background; its result must match it. */
  sendId?: string;
  /** True until the provider has accepted the text. */
  sending?: boolean;
  /** True when the code on its way replaced an earlier one. */
  resent?: boolean;
}

export interface VerifyPhoneDialogDeps {
  readonly verifier: CodeVerifier;
  readonly delivery: PhoneDelivery;
  readonly views: CardViews;
  readonly pendingCalls: PendingCalls;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
  /** Minutes a code stays valid, shown to the user. */
  readonly codeMinutes: number;
  readonly limiter: Pick<SendLimiter, 'reserve'>;
  readonly guard: Pick<AccountGuard, 'status' | 'recordFailure' | 'recordSuccess'>;
  readonly background: BackgroundDeliveries;
  /** Shown in the "Call me" card: where the call comes from. */
  readonly callerIdDisplay: string;
  /** The tenant's policy: texts and calls are offered only where it allows them. */
  readonly availability: Pick<PhoneAvailability, 'policy'>;
  readonly portalUrl: string;
  /** Countries the SMS provider can text; default every country. */
  readonly smsCoverage?: SmsCoverage;
}

/**
 * Proves the user holds a phone (the guide's steps 3-4): "Receive a code" or "Call me", then the code
 * or the call, with expiry, attempts, resend cooldown, send caps and the account guard. Used to
 * register a new number and to step up before changing registered ones.
 */
export class VerifyPhoneDialog extends Dialog<VerifyPhoneOptions> {
  private readonly log: Logger;
  private readonly cards: CardFlow;

  constructor(private readonly deps: VerifyPhoneDialogDeps) {
    super(VERIFY_PHONE_DIALOG);
    this.log = deps.logger.child({ module: 'verify-phone-dialog' });
    this.cards = new CardFlow(deps.newId, this.log);
  }

  override async beginDialog(dc: DialogContext, options?: VerifyPhoneOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('VerifyPhoneDialog needs the phone to verify');
    const policy = await this.deps.availability.policy();
    const state: VerifyPhoneState = {
      locale: options.locale,
      userId: options.userId,
      step: 'method',
      nonce: '',
      phone: options.phone,
      // A country the provider cannot text gets "Call me" only, rather than a text that never arrives.
      smsAllowed: options.smsAllowed && policy.smsEnabled && (this.deps.smsCoverage ?? TEXTS_EVERY_COUNTRY).canText(options.phone.region),
      callAllowed: policy.voiceEnabled,
    };
    dc.activeDialog!.state = state;
    if (!state.smsAllowed && !state.callAllowed) {
      await dc.context.sendActivity(translator(state.locale)('policy.phoneOff', { url: this.deps.portalUrl }));
      return dc.endDialog({ outcome: 'blocked' } satisfies VerifyPhoneResult);
    }
    await this.sendMethodCard(dc.context, state, '');
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as VerifyPhoneState;
    const t = translator(state.locale);
    const activity = dc.context.activity;

    if (isInternalEvent(dc.context, CALL_OUTCOME_EVENT)) {
      const event = readCallOutcomeEvent(activity.value);
      if (!event || state.step !== 'calling' || event.callId !== state.callId) return Dialog.EndOfTurn;
      return this.onCallOutcome(dc, state, event.outcome);
    }
    if (isInternalEvent(dc.context, DELIVERY_RESULT_EVENT)) {
      const event = readDeliveryResultEvent(activity.value);
      if (!event) return Dialog.EndOfTurn;
      return this.onDeliveryResult(dc, state, event.id, event.result);
    }
    if (activity.type !== 'message') return Dialog.EndOfTurn;

    const submit = await readActiveSubmit(dc.context, state.nonce, state.locale);
    if (!submit) return Dialog.EndOfTurn;
    if (submit.action === 'cancel') {
      await this.cards.cancelled(dc.context, state, this.deps.views.summary(t('summary.cancelled'), []), t('common.cancelled'));
      this.log.info({ event: 'verification_cancelled', step: state.step }, 'verification cancelled');
      // Cancel stops the whole flow, whichever dialog of it holds the card.
      return dc.cancelAllDialogs();
    }

    switch (`${state.step}:${submit.action}`) {
      case 'method:method.sms':
      case 'callReady:method.sms':
      case 'callFailed:method.sms': return this.sendCode(dc, state);
      case 'method:method.call': return state.callAllowed ? this.showCallCard(dc, state) : this.useCard(dc, state);
      case 'callFailed:method.call':
      case 'callReady:call.start': return state.callAllowed ? this.startCall(dc, state) : this.useCard(dc, state);
      case 'method:back':
      case 'code:changeNumber':
      case 'callReady:changeNumber':
      case 'callFailed:changeNumber': return this.changeNumber(dc, state);
      case 'code:code.verify': return this.onCodeEntered(dc, state, submit);
      case 'code:code.resend': return this.resendCode(dc, state);
      default:
        await dc.context.sendActivity(t('common.useCard'));
        return Dialog.EndOfTurn;
    }
  }

  /** One audit record per verification outcome: who, which channel, the masked number, the result. */
  private audit(dc: DialogContext, state: VerifyPhoneState, channel: 'sms' | 'voice', result: string): void {
    this.log.info({
      audit: true,
      action: 'verify',
      channel,
      userId: state.userId,
      tenantId: auditTenantOf(dc.context.activity),
      number: maskPhone(state.phone.graphNumber),
      result,
    }, 'verification outcome');
  }

  private async useCard(dc: DialogContext, state: VerifyPhoneState): Promise<DialogTurnResult> {
    await dc.context.sendActivity(translator(state.locale)('common.useCard'));
    return Dialog.EndOfTurn;
  }

  private async changeNumber(dc: DialogContext, state: VerifyPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    await this.cards.replaceAnswered(dc.context, state, this.deps.views.summary(t('codeStep.changeNumber'), []));
    return dc.endDialog({ outcome: 'changeNumber' } satisfies VerifyPhoneResult);
  }

  private async sendMethodCard(context: TurnContext, state: VerifyPhoneState, error: string): Promise<void> {
    const t = translator(state.locale);
    state.step = 'method';
    await this.cards.send(context, state, (nonce) => this.deps.views.verifyMethod(t, {
      maskedNumber: maskPhone(state.phone.graphNumber),
      smsAvailable: state.smsAllowed,
      callAvailable: state.callAllowed,
      error,
      nonce,
    }));
  }

  // Step 4a: code by SMS

  private binding(context: TurnContext, state: VerifyPhoneState): CodeBinding {
    return { conversationId: context.activity.conversation.id, phoneNumber: state.phone.graphNumber };
  }

  private smsText(state: VerifyPhoneState, code: string): string {
    const t = translator(state.locale);
    return t('sms.text', { code: spacedCode(code), org: t('sms.org'), minutes: this.deps.codeMinutes });
  }

  private async sendCode(dc: DialogContext, state: VerifyPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    if (!state.smsAllowed) {
      await dc.context.sendActivity(t('common.useCard'));
      return Dialog.EndOfTurn;
    }
    const refusal = await this.sendRefusal(state);
    if (refusal) return this.refuseSend(dc, refusal);
    const masked = maskPhone(state.phone.graphNumber);
    await this.cards.replaceAnswered(dc.context, state, this.deps.views.summary(t('methodStep.title', { number: masked }), [{ title: t('methodStep.summary'), value: t('methodStep.sms') }]));
    const { code, challenge } = this.deps.verifier.issue(this.binding(dc.context, state));
    state.challenge = challenge;
    state.step = 'code';
    state.resent = false;
    const sent = await this.sendSms(dc.context, state, code);
    if (sent && !sent.ok) return this.smsFailed(dc, state);
    await this.cards.send(dc.context, state, (nonce) => this.codeCard(state, '', nonce));
    return Dialog.EndOfTurn;
  }

  /**
   * Sends the text; its result when the provider answered within the short wait, else undefined:
   * the card then says "Sending…" and the result comes back as an event (onDeliveryResult).
   */
  private async sendSms(context: TurnContext, state: VerifyPhoneState, code: string): Promise<DeliveryResult | undefined> {
    const phone = state.phone!;
    const text = this.smsText(state, code);
    state.sendId = this.deps.newId();
    const sent = await this.deps.background.run(context, {
      id: state.sendId,
      work: async () => {
        const result = await this.deps.delivery.sendSms({ to: phone.e164, text });
        this.log.info({ event: 'code_sent', channel: 'sms', to: maskPhone(phone.graphNumber), ok: result.ok }, 'verification code sent');
        return result;
      },
    });
    state.sending = sent === undefined;
    return sent;
  }

  /** The text could not be sent: the code is dropped and the ways to verify are offered again. */
  private async smsFailed(dc: DialogContext, state: VerifyPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const error = t('deliveryError.sms', { number: maskPhone(state.phone.graphNumber) });
    state.sending = false;
    state.challenge = undefined;
    await this.sendMethodCard(dc.context, state, error);
    return Dialog.EndOfTurn;
  }

  /** Why no code may be sent now (account blocked, send caps), as the user's text; '' when it may. */
  private async sendRefusal(state: VerifyPhoneState): Promise<{ text: string; endDialog: boolean } | undefined> {
    const t = translator(state.locale);
    const status = await this.deps.guard.status(state.userId);
    if (status.blocked) return { text: t('guard.blocked'), endDialog: true };
    const phone = state.phone!;
    const reservation = await this.deps.limiter.reserve({ userId: state.userId, e164: phone.e164, region: phone.region });
    if (reservation.allowed) return undefined;
    this.log.warn({ event: 'send_capped', scope: reservation.scope, to: maskPhone(phone.graphNumber), region: phone.region }, 'send cap reached');
    return { text: t(`limits.${reservation.scope}`, { time: this.waitText(state, reservation.retryAfterSeconds) }), endDialog: false };
  }

  private async refuseSend(dc: DialogContext, refusal: { text: string; endDialog: boolean }): Promise<DialogTurnResult> {
    await dc.context.sendActivity(refusal.text);
    return refusal.endDialog ? dc.endDialog({ outcome: 'blocked' } satisfies VerifyPhoneResult) : Dialog.EndOfTurn;
  }

  private waitText(state: VerifyPhoneState, seconds: number): string {
    const t = translator(state.locale);
    // Minutes below two hours: the hourly cap counts in 5-minute buckets, so its wait can be up to
    // 65 minutes, which rounded up to whole hours would read as "2 hours".
    return seconds < 7200 ? t('limits.minutes', { n: Math.max(1, Math.ceil(seconds / 60)) }) : t('limits.hours', { n: Math.ceil(seconds / 3600) });
  }

  /** A background send finished: confirm it on the card, or say it failed and offer the choices again. */
  private async onDeliveryResult(dc: DialogContext, state: VerifyPhoneState, id: string, result: DeliveryResult): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = state.phone ? maskPhone(state.phone.graphNumber) : '';
    if (state.step === 'code' && id === state.sendId) {
      state.sending = false;
      if (result.ok) {
        const notice = state.resent ? t('codeStep.resent', { number: masked }) : '';
        await this.cards.update(dc.context, state, (nonce) => this.codeCard(state, notice, nonce));
        return Dialog.EndOfTurn;
      }
      await this.cards.replaceActive(dc.context, state, this.deps.views.summary(t('codeStep.title'), [], t('deliveryError.sms', { number: masked })));
      return this.smsFailed(dc, state);
    }
    if (state.step === 'calling' && id === state.callId && !result.ok) {
      state.callId = undefined;
      await this.showCallFailed(dc.context, state, t('deliveryError.call', { number: masked }));
    }
    return Dialog.EndOfTurn;
  }

  private codeCard(state: VerifyPhoneState, error: string, nonce: string): Attachment {
    return this.deps.views.enterCode(translator(state.locale), {
      maskedNumber: maskPhone(state.phone.graphNumber),
      minutes: this.deps.codeMinutes,
      sending: state.sending === true,
      error,
      nonce,
    });
  }

  private async onCodeEntered(dc: DialogContext, state: VerifyPhoneState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const result = this.deps.verifier.check(state.challenge!, this.binding(dc.context, state), submit.code ?? '');
    state.challenge = result.challenge;
    this.audit(dc, state, 'sms', result.outcome);
    const blocked = await this.recordOutcome(state, result.outcome);
    if (blocked) return this.refuseSend(dc, { text: t('guard.blocked'), endDialog: true });
    switch (result.outcome) {
      case 'verified':
        await this.cards.replaceAnswered(dc.context, state, this.deps.views.summary(t('codeStep.title'), [{ title: t('codeStep.summary'), value: t('codeStep.summaryVerified') }]));
        return dc.endDialog({ outcome: 'verified' } satisfies VerifyPhoneResult);
      case 'wrong_code': {
        const error = result.attemptsLeft === 1 ? t('codeStep.wrongLast') : t('codeStep.wrong', { attempts: result.attemptsLeft });
        await this.cards.update(dc.context, state, (nonce) => this.codeCard(state, error, nonce));
        return Dialog.EndOfTurn;
      }
      case 'too_many_attempts':
        await this.cards.update(dc.context, state, (nonce) => this.codeCard(state, t('codeStep.dead'), nonce));
        return Dialog.EndOfTurn;
      case 'expired':
        await this.cards.update(dc.context, state, (nonce) => this.codeCard(state, t('codeStep.expired'), nonce));
        return Dialog.EndOfTurn;
      case 'malformed':
        await this.cards.update(dc.context, state, (nonce) => this.codeCard(state, t('codeStep.malformed'), nonce));
        return Dialog.EndOfTurn;
      case 'already_used':
        await dc.context.sendActivity(t('common.alreadyHandled'));
        return Dialog.EndOfTurn;
    }
  }

  private async resendCode(dc: DialogContext, state: VerifyPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    const result = this.deps.verifier.resend(state.challenge!, this.binding(dc.context, state));
    if (!result.ok) {
      const error = result.reason === 'cooldown'
        ? t('codeStep.cooldown', { seconds: result.retryInSeconds })
        : result.reason === 'resend_limit' ? t('codeStep.resendLimit') : t('common.alreadyHandled');
      await this.cards.update(dc.context, state, (nonce) => this.codeCard(state, error, nonce));
      return Dialog.EndOfTurn;
    }
    const refusal = await this.sendRefusal(state);
    if (refusal) return this.refuseSend(dc, refusal);
    state.challenge = result.challenge;
    state.resent = true;
    const sent = await this.sendSms(dc.context, state, result.code);
    if (sent && !sent.ok) {
      await this.cards.replaceAnswered(dc.context, state, this.deps.views.summary(t('codeStep.title'), [], t('deliveryError.sms', { number: masked })));
      return this.smsFailed(dc, state);
    }
    await this.cards.update(dc.context, state, (nonce) => this.codeCard(state, t('codeStep.resent', { number: masked }), nonce));
    return Dialog.EndOfTurn;
  }

  /**
   * Feeds the account guard: a success resets it, a failure counts. Returns true when the user is
   * now blocked (the event is an audit record: the helpdesk will be asked about it).
   */
  private async recordOutcome(state: VerifyPhoneState, outcome: string): Promise<boolean> {
    if (outcome === 'verified') {
      await this.deps.guard.recordSuccess(state.userId);
      return false;
    }
    if (outcome === 'malformed' || outcome === 'already_used') return false;
    const status = await this.deps.guard.recordFailure(state.userId);
    if (!status.blocked) return false;
    this.log.warn({ audit: true, action: 'verification_blocked', userId: state.userId, to: maskPhone(state.phone.graphNumber), result: 'blocked' }, 'phone verification blocked after repeated failures');
    return true;
  }

  // Step 4b: call me

  private async showCallCard(dc: DialogContext, state: VerifyPhoneState, error = ''): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    await this.cards.replaceAnswered(dc.context, state, this.deps.views.summary(t('methodStep.title', { number: masked }), [{ title: t('methodStep.summary'), value: t('methodStep.call') }]));
    state.step = 'callReady';
    await this.cards.send(dc.context, state, (nonce) => this.deps.views.callMe(t, {
      maskedNumber: masked,
      caller: this.deps.callerIdDisplay,
      smsAvailable: state.smsAllowed,
      error,
      nonce,
    }));
    return Dialog.EndOfTurn;
  }

  private async startCall(dc: DialogContext, state: VerifyPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    const refusal = await this.sendRefusal(state);
    if (refusal) return this.refuseSend(dc, refusal);
    await this.cards.replaceAnswered(dc.context, state, this.deps.views.summary(t('callStep.title', { number: masked }), [{ title: t('methodStep.summary'), value: t('methodStep.call') }]));
    // A new code for every call: the card is the only place it exists in clear.
    const { code, challenge } = this.deps.verifier.issue(this.binding(dc.context, state));
    const callId = this.deps.newId();
    state.challenge = challenge;
    state.callId = callId;
    state.step = 'calling';
    await this.deps.pendingCalls.remember(callId, { reference: conversationReferenceOf(dc.context), createdAt: this.deps.clock.now() });
    await this.cards.send(dc.context, state, (nonce) => this.deps.views.calling(t, { maskedNumber: masked, code: spacedCode(code), nonce }));
    const request = { callId, to: state.phone.e164, locale: state.locale, code };
    const started = await this.deps.background.run(dc.context, {
      id: callId,
      work: async () => {
        const result = await this.deps.delivery.startCall(request);
        this.log.info({ event: 'call_started', to: masked, ok: result.ok }, 'verification call started');
        return result;
      },
    });
    // A call that could not even be placed is said at once; one placed reports back when it ends.
    if (started && !started.ok) return this.onDeliveryResult(dc, state, callId, started);
    return Dialog.EndOfTurn;
  }

  private async onCallOutcome(dc: DialogContext, state: VerifyPhoneState, outcome: CallOutcome): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    state.callId = undefined;
    if (outcome.kind === 'digits') {
      const result = this.deps.verifier.check(state.challenge!, this.binding(dc.context, state), outcome.digits);
      state.challenge = result.challenge;
      this.audit(dc, state, 'voice', result.outcome);
      if (await this.recordOutcome(state, result.outcome)) return this.refuseSend(dc, { text: t('guard.blocked'), endDialog: true });
      if (result.outcome === 'verified') {
        await this.cards.replaceActive(dc.context, state, this.deps.views.summary(t('callStep.title', { number: masked }), [{ title: t('callStep.summary'), value: t('callStep.summaryVerified') }]));
        return dc.endDialog({ outcome: 'verified' } satisfies VerifyPhoneResult);
      }
      await this.showCallFailed(dc.context, state, t('callFailed.wrong_digits'));
      return Dialog.EndOfTurn;
    }
    this.audit(dc, state, 'voice', outcome.kind);
    if (await this.recordOutcome(state, 'wrong_code')) return this.refuseSend(dc, { text: t('guard.blocked'), endDialog: true });
    await this.showCallFailed(dc.context, state, t(`callFailed.${outcome.kind}`, { number: masked }));
    return Dialog.EndOfTurn;
  }

  private async showCallFailed(context: TurnContext, state: VerifyPhoneState, reason: string): Promise<void> {
    const t = translator(state.locale);
    await this.cards.replaceActive(context, state, this.deps.views.summary(t('callFailed.title'), []));
    state.step = 'callFailed';
    await this.cards.send(context, state, (nonce) => this.deps.views.callFailed(t, { reason, smsAvailable: state.smsAllowed, nonce }));
  }

}
