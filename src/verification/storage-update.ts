import type { Storage, StoreItem } from 'botbuilder';

/** Thrown when an item kept changing under us for every allowed attempt. */
export class StorageContentionError extends Error {
  override readonly name = 'StorageContentionError';
  constructor(readonly key: string, readonly attempts: number) {
    super(`Storage item kept changing while being updated (${attempts} attempts)`);
  }
}

/** What `updateItem` did: the value before and after, and whether anything was written. */
export interface ItemUpdate<T> {
  readonly previous: T | undefined;
  readonly current: T | undefined;
  readonly written: boolean;
}

/** True for the error botbuilder stores throw when a write's eTag no longer matches. */
export function isETagConflict(error: unknown): boolean {
  return error instanceof Error && /etag conflict/iu.test(error.message);
}

/** Reads one item and returns it without its eTag, plus the eTag to write it back with. */
export async function readItem<T extends object>(storage: Storage, key: string): Promise<{ value: T | undefined; eTag: string }> {
  const found: Partial<Record<string, StoreItem>> = await storage.read([key]);
  const item = found[key];
  if (!item) return { value: undefined, eTag: '*' };
  const { eTag, ...rest } = item;
  // A stored item that has no eTag can only be overwritten unconditionally.
  return { value: rest as T, eTag: typeof eTag === 'string' && eTag !== '' ? eTag : '*' };
}

/**
 * Read-modify-write of one item guarded by its eTag, retried when another writer got there first.
 * `change` must be pure: it can run several times and sees the latest stored value each time;
 * returning `undefined` leaves the item as it is.
 */
export async function updateItem<T extends object>(
  storage: Storage,
  key: string,
  change: (current: T | undefined) => T | undefined,
  maxAttempts = 8,
): Promise<ItemUpdate<T>> {
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const { value, eTag } = await readItem<T>(storage, key);
    const next = change(value);
    if (next === undefined) return { previous: value, current: value, written: false };
    try {
      await storage.write({ [key]: { ...next, eTag } });
      return { previous: value, current: next, written: true };
    } catch (error) {
      if (!isETagConflict(error)) throw error;
    }
  }
  throw new StorageContentionError(key, maxAttempts);
}
