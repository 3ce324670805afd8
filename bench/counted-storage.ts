import type { StoreItem, StoreItems } from 'botbuilder';
import type { StateStorage } from '../src/storage/state-storage';

/** One storage round trip per key: `read` and `delete` of several keys are one request each with Blob. */
export interface StorageOp {
  readonly at: number;
  readonly kind: 'read' | 'write' | 'create' | 'delete';
  readonly record: string;
}

/**
 * The record a key names, its ids replaced by `*`: the same record of different users counts as one
 * kind (`msteams/conversations/*`, `send-cap/*`, ...).
 */
function recordOf(key: string): string {
  return key
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/giu, '*')
    .replace(/[0-9a-f]{16,}/giu, '*')
    .replace(/a:bench-[a-z]+-\d+/gu, '*')
    .replace(/29:[^/]+/gu, '*')
    .replace(/\+?\d{6,}/gu, '*')
    .replace(/\d{4}-\d{2}-\d{2}/gu, '*');
}

/** The service's storage with every operation on every key recorded, for the benchmark's per-step counts. */
export class CountedStorage implements StateStorage {
  readonly ops: StorageOp[] = [];

  constructor(private readonly inner: StateStorage) {}

  read(keys: string[]): Promise<StoreItems> {
    this.note('read', keys);
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    this.note('write', Object.keys(changes));
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    this.note('delete', keys);
    return this.inner.delete(keys);
  }

  createItem(key: string, item: StoreItem): Promise<void> {
    this.note('create', [key]);
    return this.inner.createItem(key, item);
  }

  private note(kind: StorageOp['kind'], keys: readonly string[]): void {
    const at = performance.now();
    for (const key of keys) this.ops.push({ at, kind, record: recordOf(key) });
  }
}
