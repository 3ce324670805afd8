import { ConversationState, type StoreItems, type TurnContext } from 'botbuilder';
import { isETagConflict, type StateStorage } from './state-storage';

/** The eTag the conversation's state had when this turn read it (a symbol: never stored, never hashed). */
const READ_ETAG = Symbol('eTag read at load');
/** In place of the eTag read: the conversation had no state when this turn read it. */
const ABSENT = Symbol('no state at load');

type LoadedState = Record<string, unknown> & { eTag?: string; [READ_ETAG]?: string | typeof ABSENT };

/** Another instance (or turn) saved this conversation's state after this turn read it. */
export class StateConflictError extends Error {
  override readonly name = 'StateConflictError';
}

/**
 * Conversation state saved only if nobody else saved it since it was read. botbuilder's BotState
 * always writes with eTag `*` (last writer wins), so with several instances a turn could silently
 * overwrite what another instance's turn of the same conversation had just written (a call's outcome
 * arriving at B while the user's click is handled at A). Here the save carries the eTag read at the
 * start of the turn (or, for a conversation that had no state, is created only if it still has none),
 * and a conflict is a StateConflictError: nothing is overwritten, and the caller tells the user to
 * try again.
 */
export class OptimisticConversationState extends ConversationState {
  constructor(storage: StateStorage, namespace?: string) {
    super(new EtagGuardedWrites(storage), namespace);
  }

  /**
   * Where BotState keeps the turn's state in turn state. It is private there; load and save below
   * replace BotState's own, and `clear` and `delete` (kept) use the same entry.
   */
  private get cacheKey(): symbol {
    return this['stateKey'] as symbol;
  }

  /**
   * Reads the state once per turn (as BotState does), keeping what it looked like as JSON to see
   * later whether the turn changed it. BotState hashes it instead (its own JSON writer, then SHA-256)
   * on load, on save and again after the save: about 3% of a turn's CPU, for the same answer.
   */
  override async load(context: TurnContext, force = false): Promise<LoadedState> {
    const cached = context.turnState.get(this.cacheKey) as CachedState | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const found = items[key] as LoadedState | undefined;
    const state: LoadedState = found ?? {};
    if (!found) state[READ_ETAG] = ABSENT;
    else if (typeof state.eTag === 'string' && state.eTag !== '*') state[READ_ETAG] = state.eTag;
    context.turnState.set(this.cacheKey, { state, hash: snapshot(state) } satisfies CachedState);
    return state;
  }

  /** Writes the state if the turn changed it (or if forced), as BotState does. */
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = context.turnState.get(this.cacheKey) as CachedState | undefined;
    const now = cached ? snapshot(cached.state) : '';
    if (!force && (!cached || cached.hash === now)) return;
    const key = await this.storageKey(context);
    const saving: CachedState = cached ?? { state: {}, hash: '' };
    saving.state.eTag = '*';
    await this.storage.write({ [key]: saving.state });
    saving.hash = cached ? now : snapshot(saving.state);
    context.turnState.set(this.cacheKey, saving);
  }
}

/** What BotState keeps in turn state for a loaded state; `hash` is whatever load and save compare. */
interface CachedState {
  state: LoadedState;
  hash: string;
}

/** The state as JSON, without its eTag (which the storage changes on every write). */
function snapshot(state: LoadedState): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

/**
 * Writes conversation state with the eTag it was read with, where BotState asks for `*`; state that
 * did not exist when it was read is created only if it still does not.
 */
class EtagGuardedWrites implements StateStorage {
  constructor(private readonly inner: StateStorage) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  createItem(key: string, item: StoreItems[string]): Promise<void> {
    return this.inner.createItem(key, item);
  }

  async write(changes: StoreItems): Promise<void> {
    const guarded: StoreItems = {};
    const created: Array<[string, LoadedState]> = [];
    for (const [key, change] of Object.entries(changes) as Array<[string, LoadedState]>) {
      const readETag = change[READ_ETAG];
      if (readETag === ABSENT && change.eTag === '*') created.push([key, change]);
      else guarded[key] = readETag && change.eTag === '*' ? { ...change, eTag: readETag } : change;
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
    for (const change of Object.values(changes) as LoadedState[]) delete change[READ_ETAG];
  }
}
