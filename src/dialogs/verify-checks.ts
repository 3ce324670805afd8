import type { TurnContext } from 'botbuilder';
import { translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import { maskPhone } from '../phone/mask-phone';
import type { AccountGuard } from '../verification/account-guard';
import type { CodeBinding } from '../verification/code-verifier';
import type { SendLimiter } from '../verification/send-limiter';
import { auditTenantOf } from './audit-tenant';
import { WAIT, type VerifyPhoneState, type VerifyStepOutcome } from './verify-phone-state';

/** Why no code may be sent now, as the user's text, and whether verification ends there. */
export interface SendRefusal {
  readonly text: string;
  readonly endDialog: boolean;
}

export interface VerifyChecksDeps {
  readonly limiter: Pick<SendLimiter, 'reserve'>;
  readonly guard: Pick<AccountGuard, 'recordFailure' | 'recordSuccess'>;
  readonly log: Logger;
}

/**
 * What a text and a call share: the code's binding, the account guard and send caps before a send,
 * the guard fed with each outcome, and one audit record per outcome.
 */
export class VerifyChecks {
  constructor(private readonly deps: VerifyChecksDeps) {}

  /** A code is bound to the conversation and the number it was sent to. */
  binding(context: TurnContext, state: VerifyPhoneState): CodeBinding {
    return { conversationId: context.activity.conversation.id, phoneNumber: state.phone.graphNumber };
  }

  /**
   * Why no code may be sent now (account blocked, send caps), as the user's text; undefined when it
   * may. The limiter reads the account guard's block from the user's record with the caps, so the
   * check costs no round trip of its own, and a blocked user is refused without counting a send.
   */
  async sendRefusal(state: VerifyPhoneState): Promise<SendRefusal | undefined> {
    const t = translator(state.locale);
    const phone = state.phone;
    const reservation = await this.deps.limiter.reserve({ userId: state.userId, e164: phone.e164, region: phone.region });
    if (reservation.allowed) {
      state.guardClean = reservation.guardFailures === 0;
      return undefined;
    }
    if (reservation.scope === 'account') return { text: t('guard.blocked'), endDialog: true };
    this.deps.log.warn({ event: 'send_capped', scope: reservation.scope, to: maskPhone(phone.graphNumber), region: phone.region }, 'send cap reached');
    return { text: t(`limits.${reservation.scope}`, { time: this.waitText(state, reservation.retryAfterSeconds) }), endDialog: false };
  }

  /** Tells the user; a blocked account ends the verification, a send cap leaves the card for later. */
  async refuse(context: TurnContext, refusal: SendRefusal): Promise<VerifyStepOutcome> {
    await context.sendActivity(refusal.text);
    return refusal.endDialog ? { kind: 'end', result: { kind: 'blocked' } } : WAIT;
  }

  /** The account is blocked now: the user is told and the verification ends. */
  blocked(context: TurnContext, state: VerifyPhoneState): Promise<VerifyStepOutcome> {
    return this.refuse(context, { text: translator(state.locale)('guard.blocked'), endDialog: true });
  }

  /**
   * Feeds the account guard: a success resets it, a failure counts. Returns true when the user is
   * now blocked (the event is an audit record: the helpdesk will be asked about it).
   */
  async recordOutcome(state: VerifyPhoneState, outcome: string): Promise<boolean> {
    if (outcome === 'verified') {
      // Nothing to reset when the send saw no failures and none were recorded here since (see guardClean).
      if (state.guardClean !== true) await this.deps.guard.recordSuccess(state.userId);
      return false;
    }
    if (outcome === 'malformed' || outcome === 'already_used') return false;
    state.guardClean = false;
    const status = await this.deps.guard.recordFailure(state.userId);
    if (!status.blocked) return false;
    this.deps.log.warn(
      { audit: true, action: 'verification_blocked', userId: state.userId, to: maskPhone(state.phone.graphNumber), result: 'blocked' },
      'phone verification blocked after repeated failures',
    );
    return true;
  }

  /** One audit record per verification outcome: who, which channel, the masked number, the result. */
  audit(context: TurnContext, state: VerifyPhoneState, channel: 'sms' | 'voice', result: string): void {
    this.deps.log.info(
      {
        audit: true,
        action: 'verify',
        channel,
        userId: state.userId,
        tenantId: auditTenantOf(context.activity),
        number: maskPhone(state.phone.graphNumber),
        result,
      },
      'verification outcome',
    );
  }

  private waitText(state: VerifyPhoneState, seconds: number): string {
    const t = translator(state.locale);
    // Minutes below two hours: the hourly cap counts in 5-minute buckets, so its wait can be up to
    // 65 minutes, which rounded up to whole hours would read as "2 hours".
    return seconds < 7200 ? t('limits.minutes', { n: Math.max(1, Math.ceil(seconds / 60)) }) : t('limits.hours', { n: Math.ceil(seconds / 3600) });
  }
}
