import type { StateStorage } from '../storage/state-storage';
import { StorageContentionError, updateItem } from '../verification/storage-update';

/** How many handled card nonces a conversation remembers: more than any conversation has cards open. */
const KEEP = 50;
const KEY_PREFIX = 'submit-claims/';

interface ClaimsItem {
  readonly nonces: readonly string[];
}

/** What claiming a card submit found. */
export type ClaimResult = 'claimed' | 'duplicate' | 'contended';

/**
 * The card submits a conversation has handled, in the shared Storage and updated with eTags, so
 * that of several submits of one card (double clicks, client retries, two instances behind a load
 * balancer) exactly one is acted on.
 */
export class SubmitClaims {
  constructor(private readonly storage: StateStorage) {}

  async claim(conversationId: string, nonce: string): Promise<ClaimResult> {
    let duplicate = false;
    try {
      await updateItem<ClaimsItem>(
        this.storage,
        KEY_PREFIX + conversationId,
        (current) => {
          duplicate = current?.nonces.includes(nonce) ?? false;
          if (duplicate) return undefined;
          return { nonces: [...(current?.nonces ?? []), nonce].slice(-KEEP) };
        },
        4,
      );
    } catch (error) {
      if (error instanceof StorageContentionError) return 'contended';
      throw error;
    }
    return duplicate ? 'duplicate' : 'claimed';
  }
}
