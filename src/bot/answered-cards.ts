import type { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';

/** How many answered cards a conversation remembers: enough for a burst of double clicks, small enough to cost nothing. */
const REMEMBERED = 8;

/**
 * The nonces of the conversation's last answered cards, kept in its state. A card's answer is
 * recorded in the same save as what the answer did, so a second press of the card, on any instance,
 * is told at once that it was already handled, with no record of its own.
 */
export class AnsweredCards {
  private readonly property: StatePropertyAccessor<string[]>;

  constructor(conversationState: ConversationState) {
    this.property = conversationState.createProperty<string[]>('answeredCards');
  }

  /** True when the state as loaded records the card as answered. */
  async wasAnswered(context: TurnContext, nonce: string): Promise<boolean> {
    return ((await this.property.get(context)) ?? []).includes(nonce);
  }

  /** Records the card as answered by this turn, in the state the turn saves. */
  async record(context: TurnContext, nonce: string): Promise<void> {
    const answered = (await this.property.get(context)) ?? [];
    if (!answered.includes(nonce)) await this.property.set(context, [...answered.slice(-(REMEMBERED - 1)), nonce]);
  }
}
