import { MemoryStorage, type StoreItem, type StoreItems } from 'botbuilder';
import { eTagConflictError, withoutETag, type StateStorage } from './state-storage';

/** What MemoryStorage keeps: each item as JSON by key (a deleted key is left holding `undefined`). */
export type MemoryStateMap = Record<string, string>;

/**
 * botbuilder's `MemoryStorage` with the write conditions of Azure Blob Storage, so the demo and the
 * tests decide races as production does: `createItem` writes only where nothing is stored, and a
 * write carrying an eTag fails where nothing is stored (Blob Storage answers 412). MemoryStorage on
 * its own writes any item to an empty key, whatever its eTag.
 *
 * The check and the write happen in one synchronous step: MemoryStorage changes its map when
 * `write` is called (its promise is already settled), so nothing can slip in between.
 */
export class MemoryStateStorage implements StateStorage {
  private readonly inner: MemoryStorage;

  /** `memory` is handed to MemoryStorage as its map; tests pass one to look at what is stored. */
  constructor(private readonly memory: MemoryStateMap = {}) {
    this.inner = new MemoryStorage(memory);
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    const vanished = Object.entries(changes).find(([key, item]) => hasCondition(item) && !this.memory[key]);
    if (vanished) return Promise.reject(eTagConflictError(vanished[0]));
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  createItem(key: string, item: StoreItem): Promise<void> {
    if (this.memory[key]) return Promise.reject(eTagConflictError(key));
    return this.inner.write({ [key]: { ...withoutETag(item), eTag: '*' } });
  }
}

/** True when the item is to be written only over the version its eTag names. */
function hasCondition(item: StoreItem | undefined): boolean {
  return typeof item?.eTag === 'string' && item.eTag !== '' && item.eTag !== '*';
}
