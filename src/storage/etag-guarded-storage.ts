import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { isETagConflict, type StateStorage } from './state-storage';

/** Another instance (or turn) saved this conversation's state after this turn read it. */
export class StateConflictError extends Error {
  override readonly name = 'StateConflictError';
}

/** What a read found under a key: the eTag to write over, or nothing stored (write = create). */
interface ReadVersion {
  readonly key: string;
  readonly eTag: string | undefined;
}

/**
 * The storage of a botbuilder `ConversationState` whose saves go through only if nobody saved the
 * conversation since it was read. `BotState.saveChanges` always writes with eTag `*` (last writer
 * wins), so with several instances a turn could silently overwrite what another instance's turn of
 * the same conversation had just written (a call's outcome arriving at B while the user's click is
 * handled at A). Here a write asking for `*` carries the eTag the item had when it was read, and an
 * item that did not exist when it was read is created only if it still does not (`createItem`). A
 * failed condition is a StateConflictError: nothing is overwritten, and the caller tells the user to
 * try again.
 *
 * Which read a write follows is known by the object itself: every read returns new objects, and
 * `BotState` keeps the one it read in that turn's turn state and hands that same object to `write`.
 * The eTag read is remembered in a WeakMap keyed by that object, so concurrent turns of one
 * conversation (each with its own copy) never see each other's eTag, and nothing outlives the turn.
 * A missing key is read as an empty item (`BotState` starts from `{}` for it either way), so that its
 * first save, too, is recognised and made a create. Objects this storage did not hand out (a state
 * replaced by `BotState.clear`, a save with nothing loaded) are written as asked.
 */
export class ETagGuardedStorage implements Storage {
  private readonly versions = new WeakMap<object, ReadVersion>();

  constructor(private readonly inner: StateStorage) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    const result: StoreItems = {};
    for (const key of keys) {
      const found = items[key] as StoreItem | undefined;
      const item: StoreItem = found ?? {};
      const eTag = found ? conditionOf(found) : undefined;
      // An item stored without an eTag gives no condition: its save is written as asked.
      if (!found || eTag) this.versions.set(item, { key, eTag });
      result[key] = item;
    }
    return result;
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    const guarded: StoreItems = {};
    const created: Array<[string, StoreItem]> = [];
    for (const [key, change] of Object.entries(changes) as Array<[string, StoreItem]>) {
      const read = this.versions.get(change);
      if (!read || read.key !== key || change.eTag !== '*') guarded[key] = change;
      else if (read.eTag === undefined) created.push([key, change]);
      else guarded[key] = { ...change, eTag: read.eTag };
    }
    try {
      await Promise.all([
        ...created.map(([key, change]) => this.inner.createItem(key, change)),
        ...(Object.keys(guarded).length > 0 ? [this.inner.write(guarded)] : []),
      ]);
    } catch (error) {
      // Every StateStorage reports a failed condition (eTag or create) with botbuilder's eTag-conflict error.
      if (isETagConflict(error)) throw new StateConflictError(error.message);
      throw error;
    }
    // The eTag after this write is unknown (storages do not return it): a later save in the same turn writes unconditionally.
    for (const change of Object.values(changes) as StoreItem[]) this.versions.delete(change);
  }
}

/** The eTag a write can be conditioned on, if the item carries one. */
function conditionOf(item: StoreItem): string | undefined {
  return typeof item.eTag === 'string' && item.eTag !== '' && item.eTag !== '*' ? item.eTag : undefined;
}
