import type { Attachment, TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { CardViews } from '../cards/card-views';
import { DirectoryError, type PhoneDirectory, type PhoneMethod } from '../directory/phone-directory';
import { translator, type Translator } from '../i18n/messages';
import { localeTag } from '../i18n/locale';
import type { Logger } from '../logging/logger';
import type { CountryList } from '../phone/country-list';
import { exampleNumber } from '../phone/example-number';
import { maskPhone } from '../phone/mask-phone';
import { parsePhone } from '../phone/parse-phone';
import type { PhoneRejection, PhoneType } from '../phone/phone-types';
import type { Clock } from '../verification/clock';
import type { CodeBinding, CodeVerifier } from '../verification/code-verifier';
import { spacedCode } from '../verification/format-code';
import type { PendingCalls } from '../verification/pending-calls';
import type { AccountGuard } from '../verification/account-guard';
import type { CallOutcome, DeliveryResult, PhoneDelivery } from '../verification/phone-delivery';
import type { SendLimiter } from '../verification/send-limiter';
import type { BackgroundDeliveries } from '../bot/background-deliveries';
import { DELIVERY_RESULT_EVENT, readDeliveryResultEvent } from './delivery-result-event';
import type { AddPhoneOptions, AddPhoneState } from './add-phone-state';
import { CALL_OUTCOME_EVENT, readCallOutcomeEvent } from './call-outcome-event';
import { directoryErrorText } from './directory-error-text';
import { readSubmitValue, type SubmitValue } from './submit-value';

export const ADD_PHONE_DIALOG = 'addPhone';

/** The phone policy the dialog applies: which countries and types may be registered. */
export interface PhonePolicy {
  readonly defaultRegion: string;
  readonly frequentCountries: readonly string[];
  readonly allowedCountries: readonly string[];
  readonly allowedTypes: readonly PhoneType[];
  /** Shown in the "Call me" card: where the call comes from. */
  readonly callerIdDisplay: string;
}

export interface AddPhoneDialogDeps {
  readonly directory: PhoneDirectory;
  readonly verifier: CodeVerifier;
  readonly delivery: PhoneDelivery;
  readonly views: CardViews;
  readonly countries: CountryList;
  readonly pendingCalls: PendingCalls;
  readonly policy: PhonePolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
  /** Minutes a code stays valid, shown to the user. */
  readonly codeMinutes: number;
  readonly limiter: Pick<SendLimiter, 'reserve'>;
  readonly guard: Pick<AccountGuard, 'status' | 'recordFailure' | 'recordSuccess'>;
  readonly background: BackgroundDeliveries;
}

const TYPE_ORDER: readonly PhoneType[] = ['mobile', 'alternateMobile', 'office'];

/**
 * Adds a phone method, as the guide's steps: type → country/region and number → how to verify →
 * code or call → register → confirmation. Each step is one card; an answered card is replaced by a
 * read-only summary, and only the active card's nonce is accepted.
 */
export class AddPhoneDialog extends Dialog<AddPhoneOptions> {
  private readonly log: Logger;

  constructor(private readonly deps: AddPhoneDialogDeps) {
    super(ADD_PHONE_DIALOG);
    this.log = deps.logger.child({ module: 'add-phone-dialog' });
  }

  override async beginDialog(dc: DialogContext, options?: AddPhoneOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('AddPhoneDialog needs the locale and the user id');
    const state: AddPhoneState = {
      locale: options.locale,
      userId: options.userId,
      step: 'type',
      nonce: '',
      region: this.deps.policy.defaultRegion,
      numberInput: '',
      extensionInput: '',
    };
    dc.activeDialog!.state = state;
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    await this.sendCard(dc.context, state, (nonce) => this.typeCard(state, methods, '', nonce));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as AddPhoneState;
    const t = translator(state.locale);
    const activity = dc.context.activity;

    if (activity.type === 'event' && activity.name === CALL_OUTCOME_EVENT) {
      const event = readCallOutcomeEvent(activity.value);
      if (!event || state.step !== 'calling' || event.callId !== state.callId) return Dialog.EndOfTurn;
      return this.onCallOutcome(dc, state, event.outcome);
    }
    if (activity.type === 'event' && activity.name === DELIVERY_RESULT_EVENT) {
      const event = readDeliveryResultEvent(activity.value);
      if (!event) return Dialog.EndOfTurn;
      return this.onDeliveryResult(dc, state, event.id, event.result);
    }
    if (activity.type !== 'message') return Dialog.EndOfTurn;

    const submit = readSubmitValue(activity.value);
    if (!submit) {
      await dc.context.sendActivity(t('common.useCard'));
      return Dialog.EndOfTurn;
    }
    if (submit.nonce !== state.nonce) {
      await dc.context.sendActivity(t('common.staleCard'));
      return Dialog.EndOfTurn;
    }

    if (submit.action === 'cancel') {
      await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('summary.cancelled'), []));
      await dc.context.sendActivity(t('common.cancelled'));
      this.log.info({ event: 'add_phone_cancelled', step: state.step }, 'add phone cancelled');
      return dc.endDialog({ completed: false });
    }

    switch (`${state.step}:${submit.action}`) {
      case 'type:type.next': return this.onTypeChosen(dc, state, submit);
      case 'number:number.next': return this.onNumberEntered(dc, state, submit);
      case 'number:back': return this.backToType(dc, state);
      case 'method:method.sms':
      case 'callReady:method.sms':
      case 'callFailed:method.sms': return this.sendCode(dc, state);
      case 'method:method.call': return this.showCallCard(dc, state);
      case 'callFailed:method.call':
      case 'callReady:call.start': return this.startCall(dc, state);
      case 'method:back':
      case 'code:changeNumber':
      case 'callReady:changeNumber':
      case 'callFailed:changeNumber': return this.backToNumber(dc, state);
      case 'code:code.verify': return this.onCodeEntered(dc, state, submit);
      case 'code:code.resend': return this.resendCode(dc, state);
      default:
        await dc.context.sendActivity(t('common.useCard'));
        return Dialog.EndOfTurn;
    }
  }

  // Step 1: type of phone

  private offeredTypes(methods: readonly PhoneMethod[]): PhoneType[] {
    const registered = new Set(methods.map((m) => m.phoneType));
    return TYPE_ORDER.filter((type) => this.deps.policy.allowedTypes.includes(type) && !registered.has(type));
  }

  private typeCard(state: AddPhoneState, methods: readonly PhoneMethod[], error: string, nonce: string): Attachment {
    return this.deps.views.phoneType(translator(state.locale), {
      registered: methods,
      offered: this.offeredTypes(methods),
      selected: state.phoneType,
      error,
      nonce,
    });
  }

  private async onTypeChosen(dc: DialogContext, state: AddPhoneState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    const chosen = TYPE_ORDER.find((type) => type === submit.phoneType);
    const error = this.typeError(t, chosen, methods);
    if (error || !chosen) {
      await this.updateCard(dc.context, state, (nonce) => this.typeCard(state, methods, error || t('typeStep.required'), nonce));
      return Dialog.EndOfTurn;
    }
    state.phoneType = chosen;
    await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('typeStep.title'), [{ title: t('typeStep.summary'), value: t(`type.${chosen}`) }]));
    await this.sendNumberCard(dc.context, state, '');
    return Dialog.EndOfTurn;
  }

  private typeError(t: Translator, chosen: PhoneType | undefined, methods: readonly PhoneMethod[]): string {
    if (!chosen) return t('typeStep.required');
    if (!this.deps.policy.allowedTypes.includes(chosen)) return t('typeError.type_not_allowed', { type: t(`type.${chosen}`) });
    if (methods.some((m) => m.phoneType === chosen)) return t('typeError.type_already_registered', { type: t(`type.${chosen}`) });
    if (chosen === 'alternateMobile' && !methods.some((m) => m.phoneType === 'mobile')) return t('typeError.alternate_requires_mobile');
    return '';
  }

  private async backToType(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('common.back'), []));
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    state.step = 'type';
    await this.sendCard(dc.context, state, (nonce) => this.typeCard(state, methods, '', nonce));
    return Dialog.EndOfTurn;
  }

  // Step 2: country/region and number

  private numberCard(state: AddPhoneState, error: string, nonce: string): Attachment {
    const t = translator(state.locale);
    const { frequent, all } = this.deps.countries.choices({
      locale: localeTag(state.locale),
      defaultRegion: this.deps.policy.defaultRegion,
      frequent: this.deps.policy.frequentCountries,
      allowed: this.deps.policy.allowedCountries,
    });
    const frequentRegions = new Set(frequent.map((c) => c.region));
    const countries = [...frequent, ...all.filter((c) => !frequentRegions.has(c.region))].map((c) => ({ title: c.title, value: c.region }));
    return this.deps.views.phoneNumber(t, {
      phoneType: state.phoneType ?? 'mobile',
      countries,
      region: state.region,
      number: state.numberInput,
      extension: state.extensionInput,
      example: exampleNumber(state.region),
      error,
      nonce,
    });
  }

  private async sendNumberCard(context: TurnContext, state: AddPhoneState, error: string): Promise<void> {
    state.step = 'number';
    await this.sendCard(context, state, (nonce) => this.numberCard(state, error, nonce));
  }

  private async backToNumber(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('codeStep.changeNumber'), []));
    state.phone = undefined;
    state.challenge = undefined;
    state.callId = undefined;
    await this.sendNumberCard(dc.context, state, '');
    return Dialog.EndOfTurn;
  }

  private async onNumberEntered(dc: DialogContext, state: AddPhoneState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    state.region = (submit.region ?? state.region).toUpperCase();
    state.numberInput = submit.number ?? '';
    state.extensionInput = submit.extension ?? '';
    const result = parsePhone({
      number: state.numberInput,
      region: state.region,
      extension: state.extensionInput,
      phoneType: state.phoneType ?? 'mobile',
      allowedCountries: this.deps.policy.allowedCountries,
    });
    if (!result.ok) {
      this.log.info({ event: 'phone_rejected', reason: result.error, region: state.region }, 'phone number rejected');
      await this.updateCard(dc.context, state, (nonce) => this.numberCard(state, this.rejectionText(state, result.error), nonce));
      return Dialog.EndOfTurn;
    }
    state.phone = result.phone;
    const masked = maskPhone(result.phone.graphNumber);
    await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('numberStep.title', { type: t(`type.${state.phoneType ?? 'mobile'}`) }), [{ title: t('numberStep.summary'), value: masked }]));
    await this.sendMethodCard(dc.context, state, '');
    return Dialog.EndOfTurn;
  }

  private rejectionText(state: AddPhoneState, error: PhoneRejection): string {
    const t = translator(state.locale);
    const region = state.region;
    const names = new Intl.DisplayNames([localeTag(state.locale)], { type: 'region' });
    // An unknown region code (from a tampered submit) is shown as typed rather than failing the turn.
    const name = (r: string): string => (/^[A-Z]{2}$/.test(r) ? names.of(r) ?? r : r);
    return t(`phoneError.${error}`, {
      country: name(region),
      allowed: this.deps.policy.allowedCountries.map(name).join(', '),
    });
  }

  // Step 3: how to verify

  /** SMS only for a "Phone" whose number can receive texts (the guide: otherwise "Call me"). */
  private smsAvailable(state: AddPhoneState): boolean {
    return state.phoneType === 'mobile' && state.phone?.canReceiveSms === true;
  }

  private async sendMethodCard(context: TurnContext, state: AddPhoneState, error: string): Promise<void> {
    const t = translator(state.locale);
    state.step = 'method';
    await this.sendCard(context, state, (nonce) => this.deps.views.verifyMethod(t, {
      maskedNumber: maskPhone(state.phone!.graphNumber),
      smsAvailable: this.smsAvailable(state),
      error,
      nonce,
    }));
  }

  // Step 4a: code by SMS

  private binding(context: TurnContext, state: AddPhoneState): CodeBinding {
    return { conversationId: context.activity.conversation.id, phoneNumber: state.phone!.graphNumber };
  }

  private smsText(state: AddPhoneState, code: string): string {
    const t = translator(state.locale);
    return t('sms.text', { code: spacedCode(code), org: t('sms.org'), minutes: this.deps.codeMinutes });
  }

  private async sendCode(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    if (!this.smsAvailable(state)) {
      await dc.context.sendActivity(t('common.useCard'));
      return Dialog.EndOfTurn;
    }
    const refusal = await this.sendRefusal(state);
    if (refusal) return this.refuseSend(dc, refusal);
    const masked = maskPhone(state.phone!.graphNumber);
    await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('methodStep.title', { number: masked }), [{ title: t('methodStep.summary'), value: t('methodStep.sms') }]));
    const { code, challenge } = this.deps.verifier.issue(this.binding(dc.context, state));
    state.challenge = challenge;
    state.step = 'code';
    state.sendId = this.deps.newId();
    state.sending = true;
    state.resent = false;
    // The card answers at once; the provider may take seconds, so the text goes out after the turn.
    await this.sendCard(dc.context, state, (nonce) => this.codeCard(state, '', nonce));
    this.sendSmsInBackground(dc.context, state, code);
    return Dialog.EndOfTurn;
  }

  private sendSmsInBackground(context: TurnContext, state: AddPhoneState, code: string): void {
    const phone = state.phone!;
    const text = this.smsText(state, code);
    this.deps.background.run(context, {
      id: state.sendId!,
      work: async () => {
        const sent = await this.deps.delivery.sendSms({ to: phone.e164, text });
        this.log.info({ event: 'code_sent', channel: 'sms', to: maskPhone(phone.graphNumber), ok: sent.ok }, 'verification code sent');
        return sent;
      },
    });
  }

  /** Why no code may be sent now (account blocked, send caps), as the user's text; '' when it may. */
  private async sendRefusal(state: AddPhoneState): Promise<{ text: string; endDialog: boolean } | undefined> {
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
    return refusal.endDialog ? dc.endDialog({ completed: false }) : Dialog.EndOfTurn;
  }

  private waitText(state: AddPhoneState, seconds: number): string {
    const t = translator(state.locale);
    return seconds <= 3600 ? t('limits.minutes', { n: Math.max(1, Math.ceil(seconds / 60)) }) : t('limits.hours', { n: Math.ceil(seconds / 3600) });
  }

  /** A background send finished: confirm it on the card, or say it failed and offer the choices again. */
  private async onDeliveryResult(dc: DialogContext, state: AddPhoneState, id: string, result: DeliveryResult): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = state.phone ? maskPhone(state.phone.graphNumber) : '';
    if (state.step === 'code' && id === state.sendId) {
      state.sending = false;
      if (result.ok) {
        const notice = state.resent ? t('codeStep.resent', { number: masked }) : '';
        await this.updateCard(dc.context, state, (nonce) => this.codeCard(state, notice, nonce));
        return Dialog.EndOfTurn;
      }
      await this.replaceCardById(dc.context, state, this.deps.views.summary(t('codeStep.title'), [], t('deliveryError.sms', { number: masked })));
      state.challenge = undefined;
      await this.sendMethodCard(dc.context, state, t('deliveryError.sms', { number: masked }));
      return Dialog.EndOfTurn;
    }
    if (state.step === 'calling' && id === state.callId && !result.ok) {
      state.callId = undefined;
      await this.showCallFailed(dc.context, state, t('deliveryError.call', { number: masked }));
    }
    return Dialog.EndOfTurn;
  }

  private codeCard(state: AddPhoneState, error: string, nonce: string): Attachment {
    return this.deps.views.enterCode(translator(state.locale), {
      maskedNumber: maskPhone(state.phone!.graphNumber),
      minutes: this.deps.codeMinutes,
      sending: state.sending === true,
      error,
      nonce,
    });
  }

  private async onCodeEntered(dc: DialogContext, state: AddPhoneState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const result = this.deps.verifier.check(state.challenge!, this.binding(dc.context, state), submit.code ?? '');
    state.challenge = result.challenge;
    this.log.info({ event: 'code_checked', channel: 'sms', outcome: result.outcome, to: maskPhone(state.phone!.graphNumber) }, 'verification code checked');
    const blocked = await this.recordOutcome(state, result.outcome);
    if (blocked) return this.refuseSend(dc, { text: t('guard.blocked'), endDialog: true });
    switch (result.outcome) {
      case 'verified':
        await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('codeStep.title'), [{ title: t('codeStep.summary'), value: t('codeStep.summaryVerified') }]));
        return this.register(dc, state);
      case 'wrong_code': {
        const error = result.attemptsLeft === 1 ? t('codeStep.wrongLast') : t('codeStep.wrong', { attempts: result.attemptsLeft });
        await this.updateCard(dc.context, state, (nonce) => this.codeCard(state, error, nonce));
        return Dialog.EndOfTurn;
      }
      case 'too_many_attempts':
        await this.updateCard(dc.context, state, (nonce) => this.codeCard(state, t('codeStep.dead'), nonce));
        return Dialog.EndOfTurn;
      case 'expired':
        await this.updateCard(dc.context, state, (nonce) => this.codeCard(state, t('codeStep.expired'), nonce));
        return Dialog.EndOfTurn;
      case 'malformed':
        await this.updateCard(dc.context, state, (nonce) => this.codeCard(state, t('codeStep.malformed'), nonce));
        return Dialog.EndOfTurn;
      case 'already_used':
        await dc.context.sendActivity(t('common.alreadyHandled'));
        return Dialog.EndOfTurn;
    }
  }

  private async resendCode(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone!.graphNumber);
    const result = this.deps.verifier.resend(state.challenge!, this.binding(dc.context, state));
    if (!result.ok) {
      const error = result.reason === 'cooldown'
        ? t('codeStep.cooldown', { seconds: result.retryInSeconds })
        : result.reason === 'resend_limit' ? t('codeStep.resendLimit') : t('common.alreadyHandled');
      await this.updateCard(dc.context, state, (nonce) => this.codeCard(state, error, nonce));
      return Dialog.EndOfTurn;
    }
    const refusal = await this.sendRefusal(state);
    if (refusal) return this.refuseSend(dc, refusal);
    state.challenge = result.challenge;
    state.sendId = this.deps.newId();
    state.sending = true;
    state.resent = true;
    await this.updateCard(dc.context, state, (nonce) => this.codeCard(state, t('codeStep.resent', { number: masked }), nonce));
    this.sendSmsInBackground(dc.context, state, result.code);
    return Dialog.EndOfTurn;
  }

  /**
   * Feeds the account guard: a success resets it, a failure counts. Returns true when the user is
   * now blocked (the event is an audit record: the helpdesk will be asked about it).
   */
  private async recordOutcome(state: AddPhoneState, outcome: string): Promise<boolean> {
    if (outcome === 'verified') {
      await this.deps.guard.recordSuccess(state.userId);
      return false;
    }
    if (outcome === 'malformed' || outcome === 'already_used') return false;
    const status = await this.deps.guard.recordFailure(state.userId);
    if (!status.blocked) return false;
    this.log.warn({ audit: true, action: 'verification_blocked', userId: state.userId, to: maskPhone(state.phone!.graphNumber), result: 'blocked' }, 'phone verification blocked after repeated failures');
    return true;
  }

  // Step 4b: call me

  private async showCallCard(dc: DialogContext, state: AddPhoneState, error = ''): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone!.graphNumber);
    await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('methodStep.title', { number: masked }), [{ title: t('methodStep.summary'), value: t('methodStep.call') }]));
    state.step = 'callReady';
    await this.sendCard(dc.context, state, (nonce) => this.deps.views.callMe(t, {
      maskedNumber: masked,
      caller: this.deps.policy.callerIdDisplay,
      smsAvailable: this.smsAvailable(state),
      error,
      nonce,
    }));
    return Dialog.EndOfTurn;
  }

  private async startCall(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone!.graphNumber);
    const refusal = await this.sendRefusal(state);
    if (refusal) return this.refuseSend(dc, refusal);
    await this.replaceAnsweredCard(dc.context, state, this.deps.views.summary(t('callStep.title', { number: masked }), [{ title: t('methodStep.summary'), value: t('methodStep.call') }]));
    // A new code for every call: the card is the only place it exists in clear.
    const { code, challenge } = this.deps.verifier.issue(this.binding(dc.context, state));
    const callId = this.deps.newId();
    state.challenge = challenge;
    state.callId = callId;
    state.step = 'calling';
    await this.deps.pendingCalls.remember(callId, { reference: TurnContextReference.of(dc.context), createdAt: this.deps.clock.now() });
    await this.sendCard(dc.context, state, (nonce) => this.deps.views.calling(t, { maskedNumber: masked, code: spacedCode(code), nonce }));
    const request = { callId, to: state.phone!.e164, locale: state.locale, code };
    this.deps.background.run(dc.context, {
      id: callId,
      work: async () => {
        const started = await this.deps.delivery.startCall(request);
        this.log.info({ event: 'call_started', to: masked, ok: started.ok }, 'verification call started');
        return started;
      },
    });
    return Dialog.EndOfTurn;
  }

  private async onCallOutcome(dc: DialogContext, state: AddPhoneState, outcome: CallOutcome): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone!.graphNumber);
    state.callId = undefined;
    if (outcome.kind === 'digits') {
      const result = this.deps.verifier.check(state.challenge!, this.binding(dc.context, state), outcome.digits);
      state.challenge = result.challenge;
      this.log.info({ event: 'code_checked', channel: 'voice', outcome: result.outcome, to: masked }, 'call digits checked');
      if (await this.recordOutcome(state, result.outcome)) return this.refuseSend(dc, { text: t('guard.blocked'), endDialog: true });
      if (result.outcome === 'verified') {
        await this.replaceCardById(dc.context, state, this.deps.views.summary(t('callStep.title', { number: masked }), [{ title: t('callStep.summary'), value: t('callStep.summaryVerified') }]));
        return this.register(dc, state);
      }
      await this.showCallFailed(dc.context, state, t('callFailed.wrong_digits'));
      return Dialog.EndOfTurn;
    }
    this.log.info({ event: 'call_failed', reason: outcome.kind, to: masked }, 'verification call failed');
    if (await this.recordOutcome(state, 'wrong_code')) return this.refuseSend(dc, { text: t('guard.blocked'), endDialog: true });
    await this.showCallFailed(dc.context, state, t(`callFailed.${outcome.kind}`, { number: masked }));
    return Dialog.EndOfTurn;
  }

  private async showCallFailed(context: TurnContext, state: AddPhoneState, reason: string): Promise<void> {
    const t = translator(state.locale);
    await this.replaceCardById(context, state, this.deps.views.summary(t('callFailed.title'), []));
    state.step = 'callFailed';
    await this.sendCard(context, state, (nonce) => this.deps.views.callFailed(t, { reason, smsAvailable: this.smsAvailable(state), nonce }));
  }

  // Step 5: register and confirm

  private async register(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const phone = state.phone!;
    const phoneType = state.phoneType!;
    const masked = maskPhone(phone.graphNumber);
    state.step = 'saving';
    await dc.context.sendActivity({ type: 'typing' });
    try {
      const added = await this.deps.directory.addPhoneMethod(state.userId, { phoneType, phoneNumber: phone.graphNumber });
      this.log.info({ audit: true, action: 'add', userId: state.userId, tenantId: dc.context.activity.conversation.tenantId, phoneType, number: masked, result: 'success', requestId: added.requestId }, 'phone method added');
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      this.log.warn({ audit: true, action: 'add', userId: state.userId, tenantId: dc.context.activity.conversation.tenantId, phoneType, number: masked, result: 'failure', code: error.code, requestId: error.details.requestId }, 'phone method not added');
      await dc.context.sendActivity(directoryErrorText(t, error, phoneType));
      return dc.endDialog({ completed: false });
    }
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    const canAdd = this.offeredTypes(methods).length > 0;
    await this.sendCard(dc.context, state, (nonce) => this.deps.views.registered(t, { phoneType, maskedNumber: masked, methods, canAdd, nonce }));
    return dc.endDialog({ completed: true });
  }

  // Cards: send, replace, update

  /** Sends a new active card with a fresh nonce. */
  private async sendCard(context: TurnContext, state: AddPhoneState, build: (nonce: string) => Attachment): Promise<void> {
    const nonce = this.deps.newId();
    const response = await context.sendActivity({ attachments: [build(nonce)] });
    state.nonce = nonce;
    state.cardId = response?.id;
  }

  /** Re-renders the submitted card in place (same step, e.g. with an error) under a fresh nonce. */
  private async updateCard(context: TurnContext, state: AddPhoneState, build: (nonce: string) => Attachment): Promise<void> {
    const id = context.activity.replyToId ?? state.cardId;
    if (!id) return this.sendCard(context, state, build);
    const nonce = this.deps.newId();
    try {
      await context.updateActivity({ type: 'message', id, attachments: [build(nonce)] });
      state.nonce = nonce;
      state.cardId = id;
    } catch (error) {
      // Some clients cannot update cards; the same card as a new message still lets the user go on.
      this.log.debug({ err: error }, 'card update failed; sending a new card');
      await this.sendCard(context, state, build);
    }
  }

  /** Replaces the card the user just answered with a read-only summary, so it cannot be sent twice. */
  private async replaceAnsweredCard(context: TurnContext, state: AddPhoneState, summary: Attachment): Promise<void> {
    const id = context.activity.replyToId ?? state.cardId;
    await this.replaceActivity(context, id, summary);
    state.nonce = '';
    state.cardId = undefined;
  }

  /** Replaces the active card (known by id) when the step moves on without a submit, e.g. after a call. */
  private async replaceCardById(context: TurnContext, state: AddPhoneState, summary: Attachment): Promise<void> {
    await this.replaceActivity(context, state.cardId, summary);
    state.nonce = '';
    state.cardId = undefined;
  }

  private async replaceActivity(context: TurnContext, id: string | undefined, card: Attachment): Promise<void> {
    if (!id) return;
    try {
      await context.updateActivity({ type: 'message', id, attachments: [card] });
    } catch (error) {
      // The summary is a courtesy; the nonce check already stops a second submit of the old card.
      this.log.debug({ err: error }, 'could not replace an answered card');
    }
  }
}

/** The conversation reference of a turn, kept to continue the conversation when a call ends. */
const TurnContextReference = {
  of(context: TurnContext) {
    const { activity } = context;
    return {
      activityId: activity.id,
      user: activity.from,
      bot: activity.recipient,
      conversation: activity.conversation,
      channelId: activity.channelId,
      locale: activity.locale,
      serviceUrl: activity.serviceUrl,
    };
  },
};

