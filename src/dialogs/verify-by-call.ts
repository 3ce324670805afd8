import type { TurnContext } from 'botbuilder';
import type { CardViews } from '../cards/card-views';
import { translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import { maskPhone } from '../phone/mask-phone';
import type { Clock } from '../time/clock';
import type { CodeVerifier } from '../verification/code-verifier';
import { spacedCode } from '../verification/format-code';
import type { PendingCalls } from '../verification/pending-calls';
import type { CallOutcome, PhoneDelivery } from '../verification/phone-delivery';
import type { CardSteps } from './card-steps';
import { conversationReferenceOf } from './conversation-reference';
import type { BackgroundDeliveries } from './ports/background-deliveries';
import type { VerifyChecks } from './verify-checks';
import { WAIT, type VerifyPhoneState, type VerifyStepOutcome } from './verify-phone-state';
import { claimTurn } from './ports/turn-claim';

export interface VerifyByCallDeps {
  readonly verifier: Pick<CodeVerifier, 'issue' | 'check'>;
  readonly delivery: Pick<PhoneDelivery, 'startCall'>;
  readonly views: Pick<CardViews, 'callMe' | 'calling' | 'callFailed'>;
  readonly pendingCalls: Pick<PendingCalls, 'remember'>;
  readonly background: BackgroundDeliveries;
  readonly checks: VerifyChecks;
  readonly steps: CardSteps<VerifyPhoneState>;
  readonly clock: Clock;
  /** Shown in the "Call me" card: where the call comes from. */
  readonly callerIdDisplay: string;
  readonly newId: () => string;
  readonly log: Logger;
}

/**
 * "Call me" (the guide's step 4 by voice): a card explains the call before it rings, the call shows
 * the code in the card and asks for it on the keypad, and its outcome comes back as an event. No
 * answer or wrong digits: the user is told and offered a retry, a text, or another number.
 */
export class VerifyByCall {
  constructor(private readonly deps: VerifyByCallDeps) {}

  /** The user chose "Call me": the card that explains the call before it rings. */
  async offer(context: TurnContext, state: VerifyPhoneState): Promise<VerifyStepOutcome> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    await this.deps.steps.summarise(context, state, t('methodStep.title', { number: masked }), [
      { title: t('methodStep.summary'), value: t('methodStep.call') },
    ]);
    await this.deps.steps.open(context, state, 'callReady', (nonce) =>
      this.deps.views.callMe(t, {
        maskedNumber: masked,
        caller: this.deps.callerIdDisplay,
        smsAvailable: state.smsAllowed,
        error: '',
        nonce,
      }),
    );
    return WAIT;
  }

  /** "Call me now" (or "Call again"): a fresh code on the card, and the call. */
  async start(context: TurnContext, state: VerifyPhoneState): Promise<VerifyStepOutcome> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    if (!(await claimTurn(context))) return WAIT;
    const refusal = await this.deps.checks.sendRefusal(state);
    if (refusal) return this.deps.checks.refuse(context, refusal);
    await this.deps.steps.summarise(context, state, t('callStep.title', { number: masked }), [{ title: t('methodStep.summary'), value: t('methodStep.call') }]);
    // A new code for every call: the card is the only place it exists in clear.
    const { code, challenge } = this.deps.verifier.issue(this.deps.checks.binding(context, state));
    const callId = this.deps.newId();
    state.challenge = challenge;
    state.callId = callId;
    state.step = 'calling';
    await this.deps.pendingCalls.remember(callId, { reference: conversationReferenceOf(context), createdAt: this.deps.clock.now() });
    await this.deps.steps.open(context, state, 'calling', (nonce) => this.deps.views.calling(t, { maskedNumber: masked, code: spacedCode(code), nonce }));
    const request = { callId, to: state.phone.e164, locale: state.locale, code };
    const started = await this.deps.background.run(context, {
      id: callId,
      work: async () => {
        const result = await this.deps.delivery.startCall(request);
        this.deps.log.info({ event: 'call_started', to: masked, ok: result.ok }, 'verification call started');
        return result;
      },
    });
    // A call that could not even be placed is said at once; one placed reports back when it ends.
    if (started && !started.ok) return this.notPlaced(context, state);
    return WAIT;
  }

  /** The call could not be placed (said at once, or by a late delivery result). */
  async notPlaced(context: TurnContext, state: VerifyPhoneState): Promise<VerifyStepOutcome> {
    const t = translator(state.locale);
    state.callId = undefined;
    await this.showFailed(context, state, t('deliveryError.call', { number: maskPhone(state.phone.graphNumber) }));
    return WAIT;
  }

  /** The call ended: the digits typed on the keypad are checked, or the user hears why it did not work. */
  async onOutcome(context: TurnContext, state: VerifyPhoneState, outcome: CallOutcome): Promise<VerifyStepOutcome> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    state.callId = undefined;
    if (outcome.kind === 'digits') {
      const result = this.deps.verifier.check(state.challenge!, this.deps.checks.binding(context, state), outcome.digits);
      state.challenge = result.challenge;
      this.deps.checks.audit(context, state, 'voice', result.outcome);
      if (await this.deps.checks.recordOutcome(state, result.outcome)) return this.deps.checks.blocked(context, state);
      if (result.outcome === 'verified') {
        await this.deps.steps.summariseActive(context, state, t('callStep.title', { number: masked }), [
          { title: t('callStep.summary'), value: t('callStep.summaryVerified') },
        ]);
        return { kind: 'end', result: { kind: 'verified' } };
      }
      await this.showFailed(context, state, t('callFailed.wrong_digits'));
      return WAIT;
    }
    this.deps.checks.audit(context, state, 'voice', outcome.kind);
    if (await this.deps.checks.recordOutcome(state, 'wrong_code')) return this.deps.checks.blocked(context, state);
    await this.showFailed(context, state, t(`callFailed.${outcome.kind}`, { number: masked }));
    return WAIT;
  }

  private async showFailed(context: TurnContext, state: VerifyPhoneState, reason: string): Promise<void> {
    const t = translator(state.locale);
    await this.deps.steps.summariseActive(context, state, t('callFailed.title'));
    await this.deps.steps.open(context, state, 'callFailed', (nonce) => this.deps.views.callFailed(t, { reason, smsAvailable: state.smsAllowed, nonce }));
  }
}
