import type { Attachment, TurnContext } from 'botbuilder';
import type { Logger } from '../logging/logger';

/** The part of a dialog's state that tracks its active card. */
export interface ActiveCard {
  /** Nonce of the card that is currently active; a submit of any other card is stale. */
  nonce: string;
  /** Activity id of the active card, to replace it when the step moves on without a submit. */
  cardId?: string;
}

/** Where a turn keeps the summary replacements still on their way to the connector. */
const REPLACEMENTS = Symbol('card replacements in flight');

/**
 * Waits for every answered card of this turn to be replaced by its summary. The bot calls this
 * before a turn ends, so nothing of a turn is still under way when the conversation's next one starts.
 */
export async function settleCardReplacements(context: TurnContext): Promise<void> {
  const pending = context.turnState.get(REPLACEMENTS) as Array<Promise<void>> | undefined;
  if (!pending?.length) return;
  context.turnState.delete(REPLACEMENTS);
  await Promise.all(pending);
}

/**
 * How every dialog shows its cards: a new card gets a fresh nonce; an answered card is replaced in
 * place by a read-only summary so it cannot be submitted twice; a card re-shown with an error is
 * updated in place under a fresh nonce.
 */
export class CardFlow {
  constructor(
    private readonly newId: () => string,
    private readonly log: Logger,
  ) {}

  /** Sends a new active card with a fresh nonce (alongside the replacement of the card answered before it). */
  async send(context: TurnContext, state: ActiveCard, build: (nonce: string) => Attachment): Promise<void> {
    const nonce = this.newId();
    const sending = context.sendActivity({ attachments: [build(nonce)] });
    const [response] = await Promise.all([sending, settleCardReplacements(context)]);
    state.nonce = nonce;
    // A reply held until the turn's save has no id yet (see the bot's outbox): the card is then found by the answer's replyToId.
    state.cardId = response?.id || undefined;
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
    await Promise.all([context.sendActivity(text), settleCardReplacements(context)]);
  }

  /** Replaces the active card (known by id) when the step moves on without a submit, e.g. after a call. */
  async replaceActive(context: TurnContext, state: ActiveCard, summary: Attachment): Promise<void> {
    await this.replace(context, state.cardId, summary);
    state.nonce = '';
    state.cardId = undefined;
  }

  /**
   * Starts replacing a card and returns without waiting: the next card goes out alongside it instead
   * of one connector round trip later. The next `send` (or the end of the turn) waits for it.
   */
  private async replace(context: TurnContext, id: string | undefined, card: Attachment): Promise<void> {
    if (!id) return;
    const replacing = context.updateActivity({ type: 'message', id, attachments: [card] }).then(
      () => undefined,
      (error: unknown) => {
        // The summary is a courtesy; the nonce check already stops a second submit of the old card.
        this.log.debug({ err: error }, 'could not replace an answered card');
      },
    );
    let pending = context.turnState.get(REPLACEMENTS) as Array<Promise<void>> | undefined;
    if (!pending) {
      pending = [];
      context.turnState.set(REPLACEMENTS, pending);
    }
    pending.push(replacing);
  }
}
