import type { CallAutomationEvent } from '@azure/communication-call-automation';
import type { CallbackCredentials } from './call-callback-auth';

/** What the calls endpoint needs from the voice delivery: who may call back, and what to do with each event. */
export interface CallCallbackReceiver {
  /** The call a genuine callback belongs to; undefined for anything else. */
  authenticateCallback(credentials: CallbackCredentials): Promise<{ readonly callId: string } | undefined>;
  /** Handles one parsed event of an authenticated callback; `eventId` is the CloudEvent id. */
  handleCallEvent(callId: string, event: CallAutomationEvent, eventId?: string): Promise<void>;
}
