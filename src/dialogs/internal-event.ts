import type { TurnContext } from 'botbuilder';
import { CALL_OUTCOME_EVENT } from './call-outcome-event';
import { DELIVERY_RESULT_EVENT } from './delivery-result-event';

/**
 * Marks, in turn state, a turn the service raised itself. A Symbol key cannot be set from an
 * activity's JSON, so an inbound HTTP activity never carries it whatever its name or value.
 */
const RAISED_INTERNALLY = Symbol('phoneMfa.raisedInternally');

/** Names of the events that bring the service's own results (call outcomes, late deliveries) into a dialog. */
const INTERNAL_EVENT_NAMES: ReadonlySet<string> = new Set([CALL_OUTCOME_EVENT, DELIVERY_RESULT_EVENT]);

/** Called by the code that raises an internal event, inside its own continueConversation callback. */
export function markRaisedInternally(context: TurnContext): void {
  context.turnState.set(RAISED_INTERNALLY, true);
}

/** Whether the code that raised this turn marked it as the service's own. */
export function raisedInternally(context: TurnContext): boolean {
  return context.turnState.get(RAISED_INTERNALLY) === true;
}

/** Whether the activity is named like one of the service's internal events, wherever it came from. */
export function isNamedLikeInternalEvent(context: TurnContext): boolean {
  const { type, name } = context.activity;
  return type === 'event' && typeof name === 'string' && INTERNAL_EVENT_NAMES.has(name);
}

/** An internal event the service raised itself: the only kind a dialog may act on. */
export function isInternalEvent(context: TurnContext, name: string): boolean {
  return context.activity.type === 'event' && context.activity.name === name && raisedInternally(context);
}
