import type { ConversationReference } from 'botbuilder';
import { isETagConflict, type StateStorage } from '../storage/state-storage';
import { isPastCallLife } from './call-lifetime';
import { systemClock, type Clock } from '../time/clock';
import { KeyedLock } from './keyed-lock';
import { readItem } from './storage-update';

/** Where a verification call's outcome must be delivered: the conversation that asked for it. */
export interface PendingCall {
  readonly reference: Partial<ConversationReference>;
  readonly createdAt: number;
}

/** What an entry becomes while one taker owns it: it holds no reference, and its new eTag makes every other taker's stale. */
interface TakenMarker {
  readonly takenAt: number;
}

type StoredEntry = PendingCall | TakenMarker;

const KEY_PREFIX = 'pending-call/';

/**
 * Maps a call id to the conversation waiting for it, in the bot Storage so any instance can finish
 * the conversation when the call's outcome arrives.
 */
export class PendingCalls {
  // Storage eTags settle races between instances; this settles them inside one (see `take`).
  private readonly lock = new KeyedLock();

  constructor(
    private readonly storage: StateStorage,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Stores a new entry; a call id is new for every call, so one already stored is an eTag conflict and never overwritten. */
  async remember(callId: string, call: PendingCall): Promise<void> {
    await this.storage.createItem(KEY_PREFIX + callId, { ...call });
  }

  /**
   * Hands the entry to exactly one caller, whichever instance it runs on, and removes it. Returns
   * undefined when the entry is unknown, already taken, or older than any call can last, so a
   * repeated or very late outcome is ignored.
   *
   * The entry is read with its eTag and replaced by a taken marker under that eTag: only one writer
   * can win that, the others get an eTag conflict. The marker is then deleted; a taker still holding
   * the old eTag is refused after the delete too, because Azure Blob Storage refuses a conditional
   * write to a missing blob (412), and so does MemoryStateStorage.
   */
  take(callId: string): Promise<PendingCall | undefined> {
    return this.lock.run(callId, () => this.takeEntry(KEY_PREFIX + callId));
  }

  private async takeEntry(key: string): Promise<PendingCall | undefined> {
    const { value, eTag } = await readItem<StoredEntry>(this.storage, key);
    if (!value || !isPendingCall(value)) return undefined;
    if (isPastCallLife(value.createdAt, this.clock.now())) {
      await this.storage.delete([key]);
      return undefined;
    }
    if (!(await this.claim(key, eTag))) return undefined;
    await this.deleteMarker(key);
    return { reference: value.reference, createdAt: value.createdAt };
  }

  /** True when this caller replaced the entry it read; false when another taker changed it first. */
  private async claim(key: string, eTag: string): Promise<boolean> {
    const marker: TakenMarker = { takenAt: this.clock.now() };
    try {
      await this.storage.write({ [key]: { ...marker, eTag } });
      return true;
    } catch (error) {
      if (isETagConflict(error)) return false;
      throw error;
    }
  }

  private async deleteMarker(key: string): Promise<void> {
    try {
      await this.storage.delete([key]);
    } catch {
      // The caller owns the outcome now and must still deliver it; a marker left behind holds no
      // reference and is never taken again (the blob lifecycle rule removes it).
    }
  }
}

function isPendingCall(entry: StoredEntry): entry is PendingCall {
  return 'reference' in entry && typeof entry.createdAt === 'number';
}
