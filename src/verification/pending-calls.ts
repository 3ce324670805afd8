import type { ConversationReference, Storage } from 'botbuilder';

/** Where a verification call's outcome must be delivered: the conversation that asked for it. */
export interface PendingCall {
  readonly reference: Partial<ConversationReference>;
  readonly createdAt: number;
}

interface StoredPendingCall extends PendingCall {
  eTag?: string;
}

const KEY_PREFIX = 'pending-call/';

/**
 * Maps a call id to the conversation waiting for it, in the bot Storage so any instance can finish
 * the conversation when the call's outcome arrives.
 */
export class PendingCalls {
  constructor(private readonly storage: Storage) {}

  async remember(callId: string, call: PendingCall): Promise<void> {
    await this.storage.write({ [KEY_PREFIX + callId]: { ...call, eTag: '*' } });
  }

  /**
   * Reads and removes the entry. Returns undefined when it is unknown or already taken, so a
   * repeated outcome for the same call is ignored.
   */
  async take(callId: string): Promise<PendingCall | undefined> {
    const key = KEY_PREFIX + callId;
    const items = await this.storage.read([key]);
    const found = items[key] as StoredPendingCall | undefined;
    if (!found) return undefined;
    await this.storage.delete([key]);
    return { reference: found.reference, createdAt: found.createdAt };
  }
}
