import type { Storage, StoreItem } from 'botbuilder';
import { isETagConflict, type StateStorage } from '../storage/state-storage';

/** Thrown when an item kept changing under us for every allowed attempt. */
export class StorageContentionError extends Error {
  override readonly name = 'StorageContentionError';
  constructor(
    readonly key: string,
    readonly attempts: number,
  ) {
    super(`Storage item kept changing while being updated (${attempts} attempts)`);
  }
}

/** What `updateItem` did: the value before and after, and whether anything was written. */
export interface ItemUpdate<T> {
  readonly previous: T | undefined;
  readonly current: T | undefined;
  readonly written: boolean;
}

/** One item as read: its value without the eTag, and the eTag to write it back with (none when absent). */
export type ItemRead<T> = { readonly value: undefined; readonly eTag: undefined } | { readonly value: T; readonly eTag: string };

/** Reads one item and returns it without its eTag, plus the eTag to write it back with. */
export async function readItem<T extends object>(storage: Pick<Storage, 'read'>, key: string): Promise<ItemRead<T>> {
  const found: Partial<Record<string, StoreItem>> = await storage.read([key]);
  const item = found[key];
  if (!item) return { value: undefined, eTag: undefined };
  const { eTag, ...rest } = item;
  // A stored item that has no eTag can only be overwritten unconditionally.
  return { value: rest as T, eTag: typeof eTag === 'string' && eTag !== '' ? eTag : '*' };
}

/**
 * Writes one item over the version `readItem` returned: under the eTag it was read with, or, when it
 * was absent, only if it is still absent. Either way another writer in between makes it fail with
 * an eTag conflict, and the caller reads again and decides again.
 */
export function writeItem(storage: StateStorage, key: string, value: object, eTag: string | undefined): Promise<void> {
  return eTag === undefined ? storage.createItem(key, value) : storage.write({ [key]: { ...value, eTag } });
}

/**
 * Read-modify-write of one item guarded by its eTag, retried when another writer got there first.
 * `change` must be pure: it can run several times and sees the latest stored value each time;
 * returning `undefined` leaves the item as it is. It may be async (to read what the value refers to).
 */
export async function updateItem<T extends object>(
  storage: StateStorage,
  key: string,
  change: (current: T | undefined) => T | undefined | Promise<T | undefined>,
  maxAttempts = 8,
): Promise<ItemUpdate<T>> {
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const { value, eTag } = await readItem<T>(storage, key);
    const next = await change(value);
    if (next === undefined) return { previous: value, current: value, written: false };
    try {
      await writeItem(storage, key, next, eTag);
      return { previous: value, current: next, written: true };
    } catch (error) {
      if (!isETagConflict(error)) throw error;
    }
  }
  throw new StorageContentionError(key, maxAttempts);
}
