import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { DELIVERY_RESULT_EVENT } from '../dialogs/delivery-result-event';
import type { Logger } from '../logging/logger';
import type { DeliveryResult } from '../verification/phone-delivery';

/** A send that runs after the turn has answered, reporting back into the conversation. */
export interface BackgroundTask {
  /** Matches the result to what the dialog is waiting for. */
  readonly id: string;
  readonly work: () => Promise<DeliveryResult>;
}

/** Runs slow provider calls outside the turn so no turn waits for SMS or voice providers. */
export interface BackgroundDeliveries {
  run(context: TurnContext, task: BackgroundTask): void;
}

export interface ProactiveBackgroundDeps {
  readonly adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly botAppId: string;
  readonly logger: Logger;
}

/**
 * Runs the task, then continues the conversation with its result as an event activity, so the
 * dialog updates the card (sent, or failed with the choices) in a turn of its own.
 */
export class ProactiveBackgroundDeliveries implements BackgroundDeliveries {
  private readonly running = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(private readonly deps: ProactiveBackgroundDeps) {
    this.log = deps.logger.child({ module: 'background-deliveries' });
  }

  run(context: TurnContext, task: BackgroundTask): void {
    const reference: Partial<ConversationReference> = {
      user: context.activity.from,
      bot: context.activity.recipient,
      conversation: context.activity.conversation,
      channelId: context.activity.channelId,
      locale: context.activity.locale,
      serviceUrl: context.activity.serviceUrl,
    };
    const job = this.finish(reference, task).finally(() => this.running.delete(job));
    this.running.add(job);
  }

  /** Waits for sends in flight (graceful shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private async finish(reference: Partial<ConversationReference>, task: BackgroundTask): Promise<void> {
    let result: DeliveryResult;
    try {
      result = await task.work();
    } catch (error) {
      this.log.error({ err: error }, 'delivery failed unexpectedly');
      result = { ok: false, reason: 'failed' };
    }
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference, async (context) => {
        context.activity.type = 'event';
        context.activity.name = DELIVERY_RESULT_EVENT;
        context.activity.value = { id: task.id, result };
        await this.deps.bot.run(context);
      });
    } catch (error) {
      this.log.error({ err: error }, 'could not report a delivery result to the conversation');
    }
  }
}
