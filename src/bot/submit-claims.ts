import { isETagConflict, type StateStorage } from '../storage/state-storage';

const KEY_PREFIX = 'submit-claims/';

/** What claiming a card submit found. */
export type ClaimResult = 'claimed' | 'duplicate';

/**
 * The card submits a conversation has handled, in the shared Storage, so that of several submits of
 * one card (double clicks, client retries, two instances behind a load balancer) exactly one is
 * acted on.
 *
 * Each claim is a record of its own, created only where none exists (`createItem`, on Blob a Put
 * Blob with `If-None-Match: *`): one conditional write and no read per submit, where a list of the
 * conversation's nonces cost a read and an eTag-conditional write, and retries when two cards of one
 * conversation were claimed at once. The claims are never read back by anything but the store's own
 * condition, so the storage account's lifecycle rule may delete them (docs/storage.md): a card
 * answered that long ago is no longer the active one, and the dialog answers its submit as such.
 */
export class SubmitClaims {
  constructor(private readonly storage: StateStorage) {}

  async claim(conversationId: string, nonce: string): Promise<ClaimResult> {
    try {
      await this.storage.createItem(`${KEY_PREFIX}${conversationId}/${encodeURIComponent(nonce)}`, { claimed: true });
    } catch (error) {
      if (isETagConflict(error)) return 'duplicate';
      throw error;
    }
    return 'claimed';
  }
}
