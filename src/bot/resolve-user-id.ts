import type { Activity } from 'botbuilder';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Agents Playground sends an object id whose last group is too long; accept id-like strings in the demo. */
const DEMO_ID = /^[0-9A-Za-z-]{1,64}$/;

/**
 * The Entra object id of the user acted on: always the authenticated activity's sender, never an id
 * from card data or text. Undefined when the sender is not a work account the bot can act for.
 */
export function resolveUserId(activity: Pick<Activity, 'from'>, demoMode: boolean): string | undefined {
  const id = activity.from?.aadObjectId;
  if (typeof id !== 'string') return undefined;
  if (GUID.test(id)) return id.toLowerCase();
  return demoMode && DEMO_ID.test(id) ? id : undefined;
}
