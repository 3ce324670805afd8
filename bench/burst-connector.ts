import { ConversationConnector, type BotSent, type KeptConversation } from './conversation-connector';

interface Conversation extends KeptConversation {
  readonly texts: string[];
}

/**
 * The Bot Connector for the enrollment-morning burst: like the main bench's, but it also keeps the
 * plain text replies, where the bot tells a throttled user when to try again.
 */
export class BurstConnector extends ConversationConnector<Conversation> {
  static async start(): Promise<BurstConnector> {
    const connector = new BurstConnector();
    await connector.listen();
    return connector;
  }

  texts(conversationId: string): readonly string[] {
    return this.existing(conversationId)?.texts ?? [];
  }

  protected newConversation(): Conversation {
    return { cards: new Map(), texts: [], waiters: new Set() };
  }

  protected record(conversation: Conversation, { method, id, activity, card }: BotSent): void {
    if (card) {
      conversation.cards.set(id, card);
      if (method === 'POST') conversation.lastCardId = id;
    }
    if (activity.type === 'message' && typeof activity.text === 'string' && activity.text !== '') conversation.texts.push(activity.text);
  }
}
