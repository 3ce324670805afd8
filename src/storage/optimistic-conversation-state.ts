import { ConversationState, type Storage, type StoreItems, type TurnContext } from 'botbuilder';

/** The eTag the conversation's state had when this turn read it (a symbol: never stored, never hashed). */
const READ_ETAG = Symbol('eTag read at load');

type LoadedState = Record<string, unknown> & { eTag?: string; [READ_ETAG]?: string };

/** Another instance (or turn) saved this conversation's state after this turn read it. */
export class StateConflictError extends Error {
  override readonly name = 'StateConflictError';
}

/**
 * Conversation state saved only if nobody else saved it since it was read. botbuilder's BotState
 * always writes with eTag `*` (last writer wins), so with several instances a turn could silently
 * overwrite what another instance's turn of the same conversation had just written (a call's outcome
 * arriving at B while the user's click is handled at A). Here the save carries the eTag read at the
 * start of the turn, and a conflict is a StateConflictError: nothing is overwritten, and the caller
 * tells the user to try again.
 */
export class OptimisticConversationState extends ConversationState {
  constructor(storage: Storage, namespace?: string) {
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
    const state = (items[key] ?? {}) as LoadedState;
    if (typeof state.eTag === 'string' && state.eTag !== '*') state[READ_ETAG] = state.eTag;
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

/** Writes conversation state with the eTag it was read with, where BotState asks for `*`. */
class EtagGuardedWrites implements Storage {
  constructor(private readonly inner: Storage) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    const guarded: StoreItems = {};
    for (const [key, change] of Object.entries(changes) as Array<[string, LoadedState]>) {
      const readETag = change[READ_ETAG];
      guarded[key] = readETag && change.eTag === '*' ? { ...change, eTag: readETag } : change;
    }
    try {
      await this.inner.write(guarded);
    } catch (error) {
      // MemoryStorage and BlobsStorage both report a failed eTag condition with this message.
      if (error instanceof Error && /eTag conflict/i.test(error.message)) throw new StateConflictError(error.message);
      throw error;
    }
    // The eTag after this write is unknown (storages do not return it): a later save in the same turn writes unconditionally.
    for (const change of Object.values(changes) as LoadedState[]) delete change[READ_ETAG];
  }
}
