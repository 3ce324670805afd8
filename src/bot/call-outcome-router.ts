import type { CloudAdapter } from 'botbuilder';
import { CALL_OUTCOME_EVENT } from '../dialogs/call-outcome-event';
import { markRaisedInternally } from '../dialogs/internal-event';
import type { Logger } from '../logging/logger';
import type { PendingCalls } from '../verification/pending-calls';
import type { CallOutcome, CallOutcomeHandler } from '../verification/phone-delivery';
import type { PhoneMfaBot } from './phone-mfa-bot';

export interface CallOutcomeRouterDeps {
  readonly adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  readonly bot: Pick<PhoneMfaBot, 'run'>;
  readonly pendingCalls: PendingCalls;
  readonly botAppId: string;
  readonly logger: Logger;
}

/**
 * Continues the waiting conversation when a verification call ends: the outcome arrives outside any
 * turn (demo phone or voice callback), so it is brought in as an event activity on the stored reference.
 */
export class CallOutcomeRouter implements CallOutcomeHandler {
  private readonly log: Logger;

  constructor(private readonly deps: CallOutcomeRouterDeps) {
    this.log = deps.logger.child({ module: 'call-outcome-router' });
  }

  async onCallOutcome(callId: string, outcome: CallOutcome): Promise<void> {
    const pending = await this.deps.pendingCalls.take(callId);
    if (!pending) {
      // Already delivered (by this or another instance), too old to matter, or a call this service
      // never made: a repeated or late outcome is harmless.
      this.log.info({ callId }, 'call outcome for an unknown or finished call ignored');
      return;
    }
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, pending.reference, async (context) => {
      context.activity.type = 'event';
      context.activity.name = CALL_OUTCOME_EVENT;
      context.activity.value = { callId, outcome };
      markRaisedInternally(context);
      await this.deps.bot.run(context);
    });
  }
}
