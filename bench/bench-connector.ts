import { ConversationConnector, type BotSent, type KeptConversation } from './conversation-connector';

interface Conversation extends KeptConversation {
  readonly updates: Map<string, number>;
  replies: number;
}

/**
 * The main bench's Bot Connector: keeps only each conversation's cards (as last updated), its reply
 * count and how often each card was updated, and counts every call and byte the bot sent.
 */
export class BenchConnector extends ConversationConnector<Conversation> {
  calls = 0;
  /** Request bytes received from the bot (replies and card updates). */
  bytes = 0;

  static async start(): Promise<BenchConnector> {
    const connector = new BenchConnector();
    await connector.listen();
    return connector;
  }

  replies(conversationId: string): number {
    return this.existing(conversationId)?.replies ?? 0;
  }

  updatesOf(conversationId: string, activityId: string): number {
    return this.existing(conversationId)?.updates.get(activityId) ?? 0;
  }

  protected newConversation(): Conversation {
    return { cards: new Map(), updates: new Map(), replies: 0, waiters: new Set() };
  }

  protected record(conversation: Conversation, { method, id, bytes, activity, card }: BotSent): void {
    this.calls += 1;
    this.bytes += bytes;
    if (method === 'POST' && activity.type !== 'typing') {
      conversation.replies += 1;
      if (card) {
        conversation.cards.set(id, card);
        conversation.lastCardId = id;
      }
    } else if (method === 'PUT' && card) {
      conversation.cards.set(id, card);
      conversation.updates.set(id, (conversation.updates.get(id) ?? 0) + 1);
    }
  }
}
