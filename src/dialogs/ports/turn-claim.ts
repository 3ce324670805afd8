import type { TurnContext } from 'botbuilder';

/** Where the bot keeps the turn's claim in turn state. */
export const TURN_CLAIM = Symbol('turn claim');

/**
 * Makes a turn the only one that acts on its answer, across every instance. A turn whose only effect
 * is its reply needs no claim: its state is saved, only if nobody saved the conversation since it was
 * read, before any reply goes out. A turn about to act outside the conversation (send a code, start a
 * call, write to Graph) claims first, since that act cannot wait for the save nor be undone by it.
 */
export interface TurnClaim {
  /** True when this turn may act (the first claim of its answer); false when another turn already did. Asking twice gives the same answer. */
  claim(): Promise<boolean>;
}

/**
 * Claims the turn before an outside effect. False means another turn already acted on this answer:
 * the dialog stops where it is and the bot tells the user. Without a claim in turn state (a dialog run
 * outside the bot) the turn may act.
 */
export function claimTurn(context: TurnContext): Promise<boolean> {
  const claim = context.turnState.get(TURN_CLAIM) as TurnClaim | undefined;
  return claim ? claim.claim() : Promise.resolve(true);
}
