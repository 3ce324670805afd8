import type { Storage } from 'botbuilder';
import type { Locale } from '../../i18n/locale';
import type { CallOutcome } from '../phone-delivery';
import { KeyedLock } from '../keyed-lock';
import { readItem, updateItem, type ItemUpdate } from '../storage-update';

/** What the bot remembers about one verification call, shared by every instance through Storage. */
export interface CallSession {
  readonly callId: string;
  /** E.164 number called; needed to aim keypad recognition at the callee. */
  readonly to: string;
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
  readonly storage: Storage;
  /** Storage key prefix; default `acsCalls`. */
  readonly keyPrefix?: string;
}

/** Call sessions in bot Storage, updated with eTags so concurrent callbacks see each other's changes. */
export class CallSessionStore {
  private readonly storage: Storage;
  private readonly keyPrefix: string;
  private readonly lock = new KeyedLock();

  constructor(options: CallSessionStoreOptions) {
    this.storage = options.storage;
    this.keyPrefix = options.keyPrefix ?? 'acsCalls';
  }

  /** The session, or undefined for an unknown call. */
  async get(callId: string): Promise<CallSession | undefined> {
    return (await readItem<CallSession>(this.storage, this.key(callId))).value;
  }

  /** Stores a new session; false when one with this id already exists. */
  create(session: CallSession): Promise<boolean> {
    return this.lock.run(session.callId, async () => {
      const result = await updateItem<CallSession>(this.storage, this.key(session.callId), (current) =>
        current === undefined ? session : undefined,
      );
      return result.written;
    });
  }

  /**
   * Applies a pure change to the latest stored session (retried on eTag conflicts); `change` returns
   * undefined to leave it alone. Missing sessions are never created here.
   */
  update(callId: string, change: (current: CallSession) => CallSession | undefined): Promise<ItemUpdate<CallSession>> {
    return this.lock.run(callId, () =>
      updateItem<CallSession>(this.storage, this.key(callId), (current) => (current === undefined ? undefined : change(current))),
    );
  }

  /** Removes a session (for housekeeping; finished sessions are otherwise kept for late callbacks). */
  async delete(callId: string): Promise<void> {
    await this.storage.delete([this.key(callId)]);
  }

  private key(callId: string): string {
    return `${this.keyPrefix}/${callId}`;
  }
}
