import type { Activity } from 'botbuilder';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Agents Playground sends object ids whose last group is too long (13 digits); the demo accepts those.
 * Nothing looser: the id is written to the audit log, and a free-form id could carry a phone number.
 */
const DEMO_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,32}$/i;

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
