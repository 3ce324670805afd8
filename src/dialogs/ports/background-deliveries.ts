import type { TurnContext } from 'botbuilder';
import type { DeliveryResult } from '../../verification/phone-delivery';

/** A send that runs after the turn has answered, reporting back into the conversation. */
export interface BackgroundTask {
  /** Matches the result to what the dialog is waiting for. */
  readonly id: string;
  readonly work: () => Promise<DeliveryResult>;
}

/**
 * What the verification dialog needs to keep turns short: provider calls run so that no turn waits
 * long for SMS or voice providers. `run` gives the result when the provider answers within a short
 * wait: the turn then shows it, and nothing comes later. Otherwise it gives undefined, the turn
 * answers with "Sending…", and the result arrives later as a DELIVERY_RESULT_EVENT in the
 * conversation. The bot implements it (it owns the adapter that continues conversations).
 */
export interface BackgroundDeliveries {
  run(context: TurnContext, task: BackgroundTask): Promise<DeliveryResult | undefined>;
}
