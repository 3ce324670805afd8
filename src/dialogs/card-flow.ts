import type { Attachment, TurnContext } from 'botbuilder';
import type { Logger } from '../logging/logger';

/** The part of a dialog's state that tracks its active card. */
export interface ActiveCard {
  /** Nonce of the card that is currently active; a submit of any other card is stale. */
  nonce: string;
  /** Activity id of the active card, to replace it when the step moves on without a submit. */
  cardId?: string;
}

/**
 * How every dialog shows its cards: a new card gets a fresh nonce; an answered card is replaced in
 * place by a read-only summary so it cannot be submitted twice; a card re-shown with an error is
 * updated in place under a fresh nonce.
 */
export class CardFlow {
  constructor(private readonly newId: () => string, private readonly log: Logger) {}

  /** Sends a new active card with a fresh nonce. */
  async send(context: TurnContext, state: ActiveCard, build: (nonce: string) => Attachment): Promise<void> {
    const nonce = this.newId();
    const response = await context.sendActivity({ attachments: [build(nonce)] });
    state.nonce = nonce;
    state.cardId = response?.id;
  }

  /** Re-renders the submitted (or active) card in place, e.g. with an error, under a fresh nonce. */
  async update(context: TurnContext, state: ActiveCard, build: (nonce: string) => Attachment): Promise<void> {
    const id = context.activity.replyToId ?? state.cardId;
    if (!id) return this.send(context, state, build);
    const nonce = this.newId();
    try {
      await context.updateActivity({ type: 'message', id, attachments: [build(nonce)] });
      state.nonce = nonce;
      state.cardId = id;
    } catch (error) {
      // Some clients cannot update cards; the same card as a new message still lets the user go on.
      this.log.debug({ err: error }, 'card update failed; sending a new card');
      await this.send(context, state, build);
    }
  }

  /** Replaces the card the user just answered with a read-only summary. */
  async replaceAnswered(context: TurnContext, state: ActiveCard, summary: Attachment): Promise<void> {
    await this.replace(context, context.activity.replyToId ?? state.cardId, summary);
    state.nonce = '';
    state.cardId = undefined;
  }

  /** The user cancelled on a card: that card becomes its "cancelled" summary and the user is told. */
  async cancelled(context: TurnContext, state: ActiveCard, summary: Attachment, text: string): Promise<void> {
    await this.replaceAnswered(context, state, summary);
    await context.sendActivity(text);
  }

  /** Replaces the active card (known by id) when the step moves on without a submit, e.g. after a call. */
  async replaceActive(context: TurnContext, state: ActiveCard, summary: Attachment): Promise<void> {
    await this.replace(context, state.cardId, summary);
    state.nonce = '';
    state.cardId = undefined;
  }

  private async replace(context: TurnContext, id: string | undefined, card: Attachment): Promise<void> {
    if (!id) return;
    try {
      await context.updateActivity({ type: 'message', id, attachments: [card] });
    } catch (error) {
      // The summary is a courtesy; the nonce check already stops a second submit of the old card.
      this.log.debug({ err: error }, 'could not replace an answered card');
    }
  }
}
