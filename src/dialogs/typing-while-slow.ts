import type { TurnContext } from 'botbuilder';

/**
 * A Graph write usually takes a few hundred milliseconds and sometimes seconds. The typing indicator
 * tells the user the bot is at work, but only when the work is slow: after this long.
 */
const TYPING_AFTER_MS = 250;

/**
 * Runs `work`; if it is still running after `afterMs`, shows the typing indicator. The indicator is
 * out before this returns, so it can never arrive after the reply that follows (Teams would then show
 * "typing…" under the finished answer).
 */
export async function typingWhileSlow<T>(context: TurnContext, work: () => Promise<T>, afterMs = TYPING_AFTER_MS): Promise<T> {
  let typing: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    // A lost indicator is harmless: the reply that follows is what matters.
    typing = context.sendActivity({ type: 'typing' }).catch(() => undefined);
  }, afterMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    await typing;
  }
}
