import type { Activity } from 'botbuilder';
import type { ConnectorSink } from '../fakes/connector-sink';
import { actionOf, cardOf, cardText, type CardJson } from './card-helpers';

/** Sends one activity to some instance of the service and returns the HTTP status. */
export type Poster = (activity: Partial<Activity>) => Promise<number>;

/**
 * Plays the user of one conversation across instances: reads the cards the bot sent (from the shared
 * connector sink) and presses their buttons on whichever instance the test chooses.
 */
export class ConversationDriver {
  constructor(
    private readonly sink: ConnectorSink,
    readonly conversationId: string,
  ) {}

  /** Replies to this conversation, typing indicators left out. */
  replies(): Partial<Activity>[] {
    return this.sink.calls
      .filter((c) => c.conversationId === this.conversationId && c.method === 'POST' && c.activity.type !== 'typing')
      .map((c) => c.activity);
  }

  /** Plain-text replies (no card). */
  texts(): string[] {
    return this.replies()
      .filter((r) => !cardOf(r))
      .map((r) => r.text ?? '');
  }

  /** The newest card of the conversation as it is shown now (after updates). */
  lastCard(): { id: string; card: CardJson } {
    const withCard = this.replies().filter((r) => cardOf(r));
    const last = withCard[withCard.length - 1];
    if (!last?.id) throw new Error(`no card in conversation ${this.conversationId}`);
    return { id: last.id, card: cardOf(this.sink.current(last.id))! };
  }

  lastCardText(): string {
    return cardText(this.lastCard().card);
  }

  /** The activity a press of the button sends (card data merged with the inputs, as Teams does). */
  submit(action: string, inputs: Record<string, string> = {}): Partial<Activity> {
    const { id, card } = this.lastCard();
    const button = actionOf(card, action);
    if (!button) throw new Error(`no ${action} on the card: ${cardText(card)}`);
    return { type: 'message', replyToId: id, value: { ...button.data, ...inputs } };
  }

  /** Presses a button of the current card on the given instance; expects the HTTP 200 Teams needs. */
  async press(post: Poster, action: string, inputs: Record<string, string> = {}): Promise<void> {
    const status = await post(this.submit(action, inputs));
    if (status !== 200) throw new Error(`${action} answered ${status}`);
  }

  /** Waits until the current card says the text (e.g. after a proactive update). */
  async waitForCard(text: string, timeoutMs = 10_000): Promise<void> {
    await this.sink.waitFor(() => {
      try {
        return this.lastCardText().includes(text);
      } catch {
        // No card yet: keep waiting.
        return false;
      }
    }, timeoutMs);
  }
}

/** The last SMS code in an instance's demo inbox (demo mode's "phone"). */
export async function demoCode(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/demo/messages`);
  const { messages } = (await response.json()) as { messages: { kind: string; text: string }[] };
  const sms = messages.filter((m) => m.kind === 'sms');
  const match = sms[sms.length - 1]?.text.match(/(\d{3}) (\d{3})/);
  if (!match) throw new Error('no code in the demo inbox');
  return match[1]! + match[2]!;
}
