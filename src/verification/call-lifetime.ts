/**
 * How long anything stored about one verification call matters. A call is over well within this
 * (60 s to answer, two keypad prompts, a closing prompt, then we hang up), and the code it carries
 * is only valid for 10 minutes anyway; so a stored call record or pending outcome older than this
 * belongs to a call that will never report back, and is treated as absent when read.
 */
export const MAX_CALL_LIFE_MS = 15 * 60_000;

/** True when something that started at `startedAt` has outlived any verification call. */
export function isPastCallLife(startedAt: number, now: number, maxLifeMs = MAX_CALL_LIFE_MS): boolean {
  return now - startedAt >= maxLifeMs;
}
