import { QueueClient } from '@azure/storage-queue';

/** One person to reach, as it travels through the queue. */
export interface WorkItem {
  readonly campaignId: string;
  readonly userId: string;
}

/** A received work item and what deleting it needs. */
export interface ReceivedWork {
  readonly item: WorkItem;
  readonly messageId: string;
  readonly popReceipt: string;
  readonly dequeueCount: number;
}

/**
 * The campaign's work items in an Azure Storage Queue: a received message stays invisible to other
 * runners for the visibility timeout and comes back if its runner dies before deleting it, so
 * several runners share the work and a killed one loses nothing. The queue gives at-least-once
 * delivery; the person ledger turns it into exactly once.
 */
export class WorkQueue {
  private readonly client: QueueClient;

  constructor(connectionString: string, queueName: string) {
    this.client = new QueueClient(connectionString, queueName);
  }

  /** A valid queue name for a campaign (3-63 lowercase letters, digits, dashes). */
  static nameFor(campaignId: string): string {
    return `campaign-${campaignId}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 63);
  }

  async prepare(): Promise<void> {
    await this.client.createIfNotExists();
  }

  async enqueue(items: readonly WorkItem[], concurrency = 16): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++]!;
        // Never expires: a long campaign must not silently drop people (-1 = no time to live).
        await this.client.sendMessage(Buffer.from(JSON.stringify(item)).toString('base64'), { messageTimeToLive: -1 });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  async receive(count: number, visibilityTimeoutSeconds: number): Promise<ReceivedWork[]> {
    const answer = await this.client.receiveMessages({ numberOfMessages: count, visibilityTimeout: visibilityTimeoutSeconds });
    return answer.receivedMessageItems.map((m) => ({
      item: JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as WorkItem,
      messageId: m.messageId,
      popReceipt: m.popReceipt,
      dequeueCount: m.dequeueCount,
    }));
  }

  async done(work: ReceivedWork): Promise<void> {
    await this.client.deleteMessage(work.messageId, work.popReceipt);
  }

  /** Hands a received item back at once (visible again), e.g. when the campaign was stopped before it was handled. */
  async release(work: ReceivedWork): Promise<void> {
    await this.client.updateMessage(work.messageId, work.popReceipt, undefined, 0);
  }

  /** Approximate number of people still waiting. */
  async waiting(): Promise<number> {
    return (await this.client.getProperties()).approximateMessagesCount ?? 0;
  }
}
