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
 * Why: a card reaches the user as soon as it is sent, but the turn that sent it saves the state that
 * makes it valid (its nonce) only when the turn ends. Behind a load balancer the answer to that card
 * can reach another instance before that save, and that instance would refuse a card that is on
 * screen. Saving before sending would not do: the turn must save again afterwards (the card's
 * activity id is known only then), and that second save would either overwrite what the other
 * instance saved meanwhile or fail against it. Waiting here for the newer state keeps one save per
 * turn. Nonces are random, so a stale card cannot be told from one whose state is still on its way:
 * an old card is refused after the whole wait instead of at once, which only costs that rare click time.
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
