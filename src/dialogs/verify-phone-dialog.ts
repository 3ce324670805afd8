import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import type { CardViews } from '../cards/card-views';
import { translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import { maskPhone } from '../phone/mask-phone';
import type { PhoneAvailability } from '../policy/phone-availability';
import type { AccountGuard } from '../verification/account-guard';
import type { Clock } from '../time/clock';
import type { CodeVerifier } from '../verification/code-verifier';
import type { PendingCalls } from '../verification/pending-calls';
import type { DeliveryResult, PhoneDelivery } from '../verification/phone-delivery';
import type { SendLimiter } from '../verification/send-limiter';
import { TEXTS_EVERY_COUNTRY, type SmsCoverage } from '../verification/sms-coverage';
import { CALL_OUTCOME_EVENT, readCallOutcomeEvent } from './call-outcome-event';
import { CardSteps, type StepHandler } from './card-steps';
import { DELIVERY_RESULT_EVENT, readDeliveryResultEvent } from './delivery-result-event';
import { isInternalEvent } from './internal-event';
import type { BackgroundDeliveries } from './ports/background-deliveries';
import { VerifyByCall } from './verify-by-call';
import { VerifyByText } from './verify-by-text';
import { VerifyChecks } from './verify-checks';
import { WAIT, type VerifyPhoneOptions, type VerifyPhoneResult, type VerifyPhoneState, type VerifyStepOutcome } from './verify-phone-state';

export const VERIFY_PHONE_DIALOG = 'verifyPhone';

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
  readonly guard: Pick<AccountGuard, 'recordFailure' | 'recordSuccess'>;
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
 * Proves the user holds a phone (the guide's steps 3-4): the choice of "Receive a code" or "Call me",
 * then the code by text (VerifyByText) or the call (VerifyByCall), with expiry, attempts, resend
 * cooldown, send caps and the account guard. Used to register a new number and to step up before
 * changing registered ones.
 */
export class VerifyPhoneDialog extends Dialog<VerifyPhoneOptions> {
  private readonly log: Logger;
  private readonly steps: CardSteps<VerifyPhoneState>;
  private readonly text: VerifyByText;
  private readonly call: VerifyByCall;

  /**
   * Buttons whose step acts outside the conversation (sends a code, starts a call, checks a code), so
   * its turn claims the answer (`claimTurn`). The bot may start that claim alongside reading the
   * state instead of after it; the step claims either way.
   */
  static readonly ACTING_BUTTONS: ReadonlySet<string> = new Set(['method.sms', 'call.start', 'code.verify', 'code.resend']);

  constructor(private readonly deps: VerifyPhoneDialogDeps) {
    super(VERIFY_PHONE_DIALOG);
    this.log = deps.logger.child({ module: 'verify-phone-dialog' });
    const byText: StepHandler<VerifyPhoneState> = async (dc, state) => this.follow(dc, state, await this.text.start(dc.context, state));
    const byCall: StepHandler<VerifyPhoneState> = async (dc, state) =>
      state.callAllowed ? this.follow(dc, state, await this.call.start(dc.context, state)) : this.steps.useCard(dc, state);
    const changeNumber: StepHandler<VerifyPhoneState> = (dc, state) => this.changeNumber(dc, state);
    this.steps = new CardSteps<VerifyPhoneState>({
      views: deps.views,
      newId: deps.newId,
      log: this.log,
      routes: {
        'method:method.sms': byText,
        'callReady:method.sms': byText,
        'callFailed:method.sms': byText,
        'method:method.call': async (dc, state) =>
          state.callAllowed ? this.follow(dc, state, await this.call.offer(dc.context, state)) : this.steps.useCard(dc, state),
        'callReady:call.start': byCall,
        'callFailed:method.call': byCall,
        'method:back': changeNumber,
        'code:changeNumber': changeNumber,
        'callReady:changeNumber': changeNumber,
        'callFailed:changeNumber': changeNumber,
        'code:code.verify': async (dc, state, submit) => this.follow(dc, state, await this.text.check(dc.context, state, submit)),
        'code:code.resend': async (dc, state) => this.follow(dc, state, await this.text.resend(dc.context, state)),
        '*:cancel': async (dc, state) => {
          const result = await this.steps.cancel(dc, state);
          this.log.info({ event: 'verification_cancelled', step: state.step }, 'verification cancelled');
          return result;
        },
      },
    });
    const checks = new VerifyChecks({ limiter: deps.limiter, guard: deps.guard, log: this.log });
    this.text = new VerifyByText({ ...deps, checks, steps: this.steps, log: this.log });
    this.call = new VerifyByCall({ ...deps, checks, steps: this.steps, log: this.log });
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
      return dc.endDialog({ kind: 'blocked' } satisfies VerifyPhoneResult);
    }
    await this.sendMethodCard(dc.context, state, '');
    return Dialog.EndOfTurn;
  }

  /** Card submits go through the route table; a call's outcome and a late delivery come as internal events. */
  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.steps.stateOf(dc);
    const activity = dc.context.activity;
    if (isInternalEvent(dc.context, CALL_OUTCOME_EVENT)) {
      const event = readCallOutcomeEvent(activity.value);
      if (!event || state.step !== 'calling' || event.callId !== state.callId) return Dialog.EndOfTurn;
      return this.follow(dc, state, await this.call.onOutcome(dc.context, state, event.outcome));
    }
    if (isInternalEvent(dc.context, DELIVERY_RESULT_EVENT)) {
      const event = readDeliveryResultEvent(activity.value);
      if (!event) return Dialog.EndOfTurn;
      return this.follow(dc, state, await this.onDeliveryResult(dc.context, state, event.id, event.result));
    }
    return this.steps.route(dc, state);
  }

  /** A background send finished: only the send or call the dialog still waits for counts. */
  private async onDeliveryResult(context: TurnContext, state: VerifyPhoneState, id: string, result: DeliveryResult): Promise<VerifyStepOutcome> {
    if (state.step === 'code' && id === state.sendId) return this.text.onSendResult(context, state, result);
    if (state.step === 'calling' && id === state.callId && !result.ok) return this.call.notPlaced(context, state);
    return WAIT;
  }

  /** Does what a step of the text or the call leads to. */
  private async follow(dc: DialogContext, state: VerifyPhoneState, outcome: VerifyStepOutcome): Promise<DialogTurnResult> {
    switch (outcome.kind) {
      case 'wait':
        return Dialog.EndOfTurn;
      case 'choose_method':
        await this.sendMethodCard(dc.context, state, outcome.error);
        return Dialog.EndOfTurn;
      case 'end':
        return dc.endDialog(outcome.result);
    }
  }

  private async changeNumber(dc: DialogContext, state: VerifyPhoneState): Promise<DialogTurnResult> {
    await this.steps.summarise(dc.context, state, translator(state.locale)('codeStep.changeNumber'));
    return dc.endDialog({ kind: 'change_number' } satisfies VerifyPhoneResult);
  }

  private async sendMethodCard(context: TurnContext, state: VerifyPhoneState, error: string): Promise<void> {
    const t = translator(state.locale);
    await this.steps.open(context, state, 'method', (nonce) =>
      this.deps.views.verifyMethod(t, {
        maskedNumber: maskPhone(state.phone.graphNumber),
        smsAvailable: state.smsAllowed,
        callAvailable: state.callAllowed,
        error,
        nonce,
      }),
    );
  }
}
