import type { Attachment, TurnContext } from 'botbuilder';
import type { CardViews } from '../cards/card-views';
import { translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import { maskPhone } from '../phone/mask-phone';
import type { CodeVerifier } from '../verification/code-verifier';
import { spacedCode } from '../verification/format-code';
import type { DeliveryResult, PhoneDelivery } from '../verification/phone-delivery';
import type { CardSteps } from './card-steps';
import type { BackgroundDeliveries } from './ports/background-deliveries';
import type { SubmitValue } from './submit-value';
import type { VerifyChecks } from './verify-checks';
import { WAIT, type VerifyPhoneState, type VerifyStepOutcome } from './verify-phone-state';
import { claimTurn } from './ports/turn-claim';

export interface VerifyByTextDeps {
  readonly verifier: Pick<CodeVerifier, 'issue' | 'check' | 'resend'>;
  readonly delivery: Pick<PhoneDelivery, 'sendSms'>;
  readonly views: Pick<CardViews, 'enterCode'>;
  readonly background: BackgroundDeliveries;
  readonly checks: VerifyChecks;
  readonly steps: CardSteps<VerifyPhoneState>;
  /** Minutes a code stays valid, shown to the user. */
  readonly codeMinutes: number;
  readonly newId: () => string;
  readonly log: Logger;
}

/**
 * "Receive a code" (the guide's step 4 by text): the code is texted, the "Enter code" card checks it,
 * with expiry, attempts, resend cooldown and send caps. A text that cannot be sent offers the ways to
 * verify again.
 */
export class VerifyByText {
  constructor(private readonly deps: VerifyByTextDeps) {}

  /** The user chose "Receive a code" (first, or after a call did not work). */
  async start(context: TurnContext, state: VerifyPhoneState): Promise<VerifyStepOutcome> {
    const t = translator(state.locale);
    if (!state.smsAllowed) {
      await context.sendActivity(t('common.useCard'));
      return WAIT;
    }
    if (!(await claimTurn(context))) return WAIT;
    const refusal = await this.deps.checks.sendRefusal(state);
    if (refusal) return this.deps.checks.refuse(context, refusal);
    const masked = maskPhone(state.phone.graphNumber);
    await this.deps.steps.summarise(context, state, t('methodStep.title', { number: masked }), [
      { title: t('methodStep.summary'), value: t('methodStep.sms') },
    ]);
    const { code, challenge } = this.deps.verifier.issue(this.deps.checks.binding(context, state));
    state.challenge = challenge;
    state.step = 'code';
    state.resent = false;
    const sent = await this.send(context, state, code);
    if (sent && !sent.ok) return this.failed(state);
    await this.deps.steps.open(context, state, 'code', (nonce) => this.card(state, '', nonce));
    return WAIT;
  }

  /** A background send finished: confirm it on the card, or say it failed and offer the choices again. */
  async onSendResult(context: TurnContext, state: VerifyPhoneState, result: DeliveryResult): Promise<VerifyStepOutcome> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    state.sending = false;
    if (result.ok) {
      const notice = state.resent ? t('codeStep.resent', { number: masked }) : '';
      await this.deps.steps.reshow(context, state, (nonce) => this.card(state, notice, nonce));
      return WAIT;
    }
    await this.deps.steps.summariseActive(context, state, t('codeStep.title'), [], t('deliveryError.sms', { number: masked }));
    return this.failed(state);
  }

  /** "Verify" on the code card. */
  async check(context: TurnContext, state: VerifyPhoneState, submit: SubmitValue): Promise<VerifyStepOutcome> {
    const t = translator(state.locale);
    // Checking a code feeds the account guard and may end in a Graph write: one turn per answer does it.
    if (!(await claimTurn(context))) return WAIT;
    const result = this.deps.verifier.check(state.challenge!, this.deps.checks.binding(context, state), submit.code ?? '');
    state.challenge = result.challenge;
    this.deps.checks.audit(context, state, 'sms', result.outcome);
    if (await this.deps.checks.recordOutcome(state, result.outcome)) return this.deps.checks.blocked(context, state);
    switch (result.outcome) {
      case 'verified':
        await this.deps.steps.summarise(context, state, t('codeStep.title'), [{ title: t('codeStep.summary'), value: t('codeStep.summaryVerified') }]);
        return { kind: 'end', result: { kind: 'verified' } };
      case 'wrong_code':
        return this.reshowWith(context, state, result.attemptsLeft === 1 ? t('codeStep.wrongLast') : t('codeStep.wrong', { attempts: result.attemptsLeft }));
      case 'too_many_attempts':
        return this.reshowWith(context, state, t('codeStep.dead'));
      case 'expired':
        return this.reshowWith(context, state, t('codeStep.expired'));
      case 'malformed':
        return this.reshowWith(context, state, t('codeStep.malformed'));
      case 'already_used':
        await context.sendActivity(t('common.alreadyHandled'));
        return WAIT;
    }
  }

  /** "Send a new code" on the code card. */
  async resend(context: TurnContext, state: VerifyPhoneState): Promise<VerifyStepOutcome> {
    const t = translator(state.locale);
    const masked = maskPhone(state.phone.graphNumber);
    if (!(await claimTurn(context))) return WAIT;
    const result = this.deps.verifier.resend(state.challenge!, this.deps.checks.binding(context, state));
    if (!result.ok) {
      const error =
        result.reason === 'cooldown'
          ? t('codeStep.cooldown', { seconds: result.retryInSeconds })
          : result.reason === 'resend_limit'
            ? t('codeStep.resendLimit')
            : t('common.alreadyHandled');
      return this.reshowWith(context, state, error);
    }
    const refusal = await this.deps.checks.sendRefusal(state);
    if (refusal) return this.deps.checks.refuse(context, refusal);
    state.challenge = result.challenge;
    state.resent = true;
    const sent = await this.send(context, state, result.code);
    if (sent && !sent.ok) {
      await this.deps.steps.summarise(context, state, t('codeStep.title'), [], t('deliveryError.sms', { number: masked }));
      return this.failed(state);
    }
    return this.reshowWith(context, state, t('codeStep.resent', { number: masked }));
  }

  /**
   * Sends the text; its result when the provider answered within the short wait, else undefined:
   * the card then says "Sending…" and the result comes back as an event (onSendResult).
   */
  private async send(context: TurnContext, state: VerifyPhoneState, code: string): Promise<DeliveryResult | undefined> {
    const t = translator(state.locale);
    const phone = state.phone;
    const text = t('sms.text', { code: spacedCode(code), org: t('sms.org'), minutes: this.deps.codeMinutes });
    state.sendId = this.deps.newId();
    const sent = await this.deps.background.run(context, {
      id: state.sendId,
      work: async () => {
        const result = await this.deps.delivery.sendSms({ to: phone.e164, text });
        this.deps.log.info({ event: 'code_sent', channel: 'sms', to: maskPhone(phone.graphNumber), ok: result.ok }, 'verification code sent');
        return result;
      },
    });
    state.sending = sent === undefined;
    return sent;
  }

  /** The text could not be sent: the code is dropped and the ways to verify are offered again. */
  private failed(state: VerifyPhoneState): VerifyStepOutcome {
    const t = translator(state.locale);
    state.sending = false;
    state.challenge = undefined;
    return { kind: 'choose_method', error: t('deliveryError.sms', { number: maskPhone(state.phone.graphNumber) }) };
  }

  private async reshowWith(context: TurnContext, state: VerifyPhoneState, error: string): Promise<VerifyStepOutcome> {
    await this.deps.steps.reshow(context, state, (nonce) => this.card(state, error, nonce));
    return WAIT;
  }

  private card(state: VerifyPhoneState, error: string, nonce: string): Attachment {
    return this.deps.views.enterCode(translator(state.locale), {
      maskedNumber: maskPhone(state.phone.graphNumber),
      minutes: this.deps.codeMinutes,
      sending: state.sending === true,
      error,
      nonce,
    });
  }
}
