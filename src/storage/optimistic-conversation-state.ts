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

  override async load(context: TurnContext, force = false): Promise<LoadedState> {
    const state = (await super.load(context, force)) as LoadedState;
    if (typeof state.eTag === 'string' && state.eTag !== '*') state[READ_ETAG] = state.eTag;
    return state;
  }
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
