import type { StateStorage } from '../../storage/state-storage';
import type { Locale } from '../../i18n/locale';
import type { CallOutcome } from '../phone-delivery';
import { isPastCallLife, MAX_CALL_LIFE_MS } from '../call-lifetime';
import { systemClock, type Clock } from '../../time/clock';
import { KeyedLock } from '../keyed-lock';
import { readItem, updateItem, type ItemUpdate } from '../storage-update';

/** What the bot remembers about one verification call, shared by every instance through Storage. */
export interface CallSession {
  readonly callId: string;
  /**
   * E.164 number called; needed to aim keypad recognition at the callee. Dropped in the same write
   * that marks the call finished, so a finished call's record never holds the number.
   */
  readonly to?: string;
  readonly locale: Locale;
  /** SHA-256 (hex) of the callback token; the token itself is never stored. */
  readonly tokenHash: string;
  /** Epoch ms when the call was requested. */
  readonly startedAt: number;
  readonly callConnectionId?: string;
  /** Epoch ms when the callee answered. */
  readonly connectedAt?: number;
  /** True once the code prompt was repeated after a failed recognition. */
  readonly reprompted: boolean;
  /** True once an outcome was reported: nothing is reported for this call again. */
  readonly finished: boolean;
  /** Kind of the reported outcome (never the digits). */
  readonly outcome?: CallOutcome['kind'];
  /** Recent CloudEvent ids already handled, so ACS retries are ignored. */
  readonly seenEventIds: readonly string[];
}

export interface CallSessionStoreOptions {
  readonly storage: StateStorage;
  /** Storage key prefix; default `acsCalls`. */
  readonly keyPrefix?: string;
  readonly clock?: Clock;
  /** Sessions started longer ago than this are treated as absent; default 15 minutes. */
  readonly maxLifeMs?: number;
}

/**
 * Call sessions in bot Storage, updated with eTags so concurrent callbacks see each other's changes.
 * A session older than a call can last is treated as absent (and removed when met): its call can no
 * longer report anything, and its callbacks are refused like those of an unknown call.
 */
export class CallSessionStore {
  private readonly storage: StateStorage;
  private readonly keyPrefix: string;
  private readonly clock: Clock;
  private readonly maxLifeMs: number;
  private readonly lock = new KeyedLock();

  constructor(options: CallSessionStoreOptions) {
    this.storage = options.storage;
    this.keyPrefix = options.keyPrefix ?? 'acsCalls';
    this.clock = options.clock ?? systemClock;
    this.maxLifeMs = options.maxLifeMs ?? MAX_CALL_LIFE_MS;
  }

  /** The session, or undefined for an unknown or expired call. */
  async get(callId: string): Promise<CallSession | undefined> {
    const stored = (await readItem<CallSession>(this.storage, this.key(callId))).value;
    return this.live(callId, stored);
  }

  /** Stores a new session; false when a live one with this id already exists. */
  create(session: CallSession): Promise<boolean> {
    return this.lock.run(session.callId, async () => {
      const result = await updateItem<CallSession>(this.storage, this.key(session.callId), (current) =>
        current === undefined || this.expired(current) ? session : undefined,
      );
      return result.written;
    });
  }

  /**
   * Applies a pure change to the latest stored session (retried on eTag conflicts); `change` returns
   * undefined to leave it alone. Missing or expired sessions are never created or changed here.
   */
  update(callId: string, change: (current: CallSession) => CallSession | undefined): Promise<ItemUpdate<CallSession>> {
    return this.lock.run(callId, async () => {
      const result = await updateItem<CallSession>(this.storage, this.key(callId), (current) =>
        current === undefined || this.expired(current) ? undefined : change(current),
      );
      return { ...result, current: await this.live(callId, result.current) };
    });
  }

  /** Removes a session: once its call is over and its outcome handled, or when it has expired. */
  async delete(callId: string): Promise<void> {
    await this.storage.delete([this.key(callId)]);
  }

  /** The session unless it has expired; an expired one is deleted on the way. */
  private async live(callId: string, session: CallSession | undefined): Promise<CallSession | undefined> {
    if (session === undefined || !this.expired(session)) return session;
    await this.delete(callId);
    return undefined;
  }

  private expired(session: CallSession): boolean {
    return isPastCallLife(session.startedAt, this.clock.now(), this.maxLifeMs);
  }

  private key(callId: string): string {
    return `${this.keyPrefix}/${callId}`;
  }
}
