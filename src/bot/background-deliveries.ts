import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { DELIVERY_RESULT_EVENT } from '../dialogs/delivery-result-event';
import { markRaisedInternally } from '../dialogs/internal-event';
import type { BackgroundDeliveries, BackgroundTask } from '../dialogs/ports/background-deliveries';
import type { Logger } from '../logging/logger';
import { timerScheduler, type Scheduler } from '../time/scheduler';
import type { DeliveryResult } from '../verification/phone-delivery';

/**
 * How long a turn waits for the provider before it answers with "Sending…". A provider that answers
 * within it saves the user a card that changes under their eyes, and the service a whole proactive
 * turn; a turn still answers far within the 2 s the design allows.
 */
const DEFAULT_PROVIDER_WAIT_MS = 300;

export interface ProactiveBackgroundDeps {
  readonly adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly botAppId: string;
  readonly logger: Logger;
  /** See DEFAULT_PROVIDER_WAIT_MS. */
  readonly providerWaitMs?: number;
  /** Ends the wait; Node timers unless a test drives time. */
  readonly scheduler?: Scheduler;
}

/**
 * Runs the task; a result that comes after the short wait continues the conversation as an event
 * activity, so the dialog updates the card (sent, or failed with the choices) in a turn of its own.
 */
export class ProactiveBackgroundDeliveries implements BackgroundDeliveries {
  private readonly running = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(private readonly deps: ProactiveBackgroundDeps) {
    this.log = deps.logger.child({ module: 'background-deliveries' });
  }

  async run(context: TurnContext, task: BackgroundTask): Promise<DeliveryResult | undefined> {
    const result = this.settle(task);
    const early = await within(result, this.deps.providerWaitMs ?? DEFAULT_PROVIDER_WAIT_MS, this.deps.scheduler ?? timerScheduler);
    if (early) return early;
    const reference: Partial<ConversationReference> = {
      user: context.activity.from,
      bot: context.activity.recipient,
      conversation: context.activity.conversation,
      channelId: context.activity.channelId,
      locale: context.activity.locale,
      serviceUrl: context.activity.serviceUrl,
    };
    const job = result.then((late) => this.report(reference, task.id, late)).finally(() => this.running.delete(job));
    this.running.add(job);
    return undefined;
  }

  /** Waits for sends in flight (graceful shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }

  /** The task's result; an unexpected error counts as a failed delivery. */
  private async settle(task: BackgroundTask): Promise<DeliveryResult> {
    try {
      return await task.work();
    } catch (error) {
      this.log.error({ err: error }, 'delivery failed unexpectedly');
      return { ok: false, reason: 'failed' };
    }
  }

  /** Continues the conversation with a result that came after its turn had answered. */
  private async report(reference: Partial<ConversationReference>, id: string, result: DeliveryResult): Promise<void> {
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference, async (context) => {
        context.activity.type = 'event';
        context.activity.name = DELIVERY_RESULT_EVENT;
        context.activity.value = { id, result };
        markRaisedInternally(context);
        await this.deps.bot.run(context);
      });
    } catch (error) {
      this.log.error({ err: error }, 'could not report a delivery result to the conversation');
    }
  }
}

/** The promise's value if it settles within `ms`, else undefined (the promise keeps running). */
async function within<T>(promise: Promise<T>, ms: number, scheduler: Scheduler): Promise<T | undefined> {
  let cancel: (() => void) | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    cancel = scheduler.schedule(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    cancel?.();
  }
}
