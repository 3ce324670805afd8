import type { DialogInstance } from 'botbuilder-dialogs';
import type { Scheduler } from '../time/scheduler';

/**
 * How long a turn waits for the state that makes a submitted card valid: the pauses between
 * re-reads of the conversation's state, about 4 s in all. A Blob save can take over a second under
 * load, and Teams waits 15 s for the answer to a message.
 */
export const CARD_STATE_PAUSES_MS: readonly number[] = [100, 200, 400, 800, 1000, 1500];

export interface CardStateWait {
  readonly pausesMs: readonly number[];
  readonly scheduler: Scheduler;
}

/** True when one of the conversation's dialogs shows the card with this nonce as its active card. */
function holdsCard(stack: readonly DialogInstance[], nonce: string): boolean {
  return stack.some((instance) => {
    const state: unknown = instance.state;
    return typeof state === 'object' && state !== null && (state as { nonce?: unknown }).nonce === nonce;
  });
}

/**
 * Waits until `reload` returns a dialog stack holding the card with `nonce`, re-reading after each
 * pause; resolves with the last stack read (the caller answers "no longer active" if it still lacks
 * the card).
 *
 * Why: a turn whose only effect is its reply sends its cards after its state is saved (the bot's
 * outbox), but a turn that acts outside the conversation (a code sent, a call started) sends its
 * cards as it goes, since the code and call cards must be sent to get the activity ids they are later
 * replaced by, and saves when it ends. Behind a load balancer the answer to such a card can reach
 * another instance before that save, and that instance would refuse a card that is on screen.
 * Nonces are random, so a stale card cannot be told from one whose state is still on its way: an old
 * card is refused after the whole wait instead of at once, which only costs that rare click time
 * (a card already answered is told so at once, from the state's answered cards).
 */
export async function waitForCardState(
  stack: readonly DialogInstance[],
  nonce: string,
  reload: () => Promise<readonly DialogInstance[]>,
  wait: CardStateWait,
): Promise<readonly DialogInstance[]> {
  let current = stack;
  for (const pauseMs of wait.pausesMs) {
    if (holdsCard(current, nonce)) return current;
    await new Promise<void>((resolve) => wait.scheduler.schedule(resolve, pauseMs));
    current = await reload();
  }
  return current;
}
