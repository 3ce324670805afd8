import type { Storage, StoreItem } from 'botbuilder';

/**
 * A bot `Storage` that can also create an item only while nothing is stored under its key.
 * botbuilder's stores write an item with eTag `*` (or none) unconditionally, so two instances
 * creating the same record at the same moment would both succeed and one would overwrite the other.
 */
export interface StateStorage extends Storage {
  /**
   * Writes `item` (its `eTag`, if any, is ignored) only if nothing is stored under `key`; otherwise
   * fails with the error botbuilder's stores raise for an eTag conflict (see `eTagConflictError`).
   */
  createItem(key: string, item: StoreItem): Promise<void>;
}

/** The error botbuilder's MemoryStorage and BlobsStorage raise when a write's condition fails. */
export function eTagConflictError(key: string): Error {
  return new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

/** True for the error botbuilder stores (and `createItem`) raise when a write's condition fails. */
export function isETagConflict(error: unknown): error is Error {
  return error instanceof Error && /etag conflict/iu.test(error.message);
}

/** The item as it is stored: everything but its eTag, which the store keeps beside it. */
export function withoutETag(item: StoreItem): Record<string, unknown> {
  const { eTag: _eTag, ...content } = item;
  return content;
}
