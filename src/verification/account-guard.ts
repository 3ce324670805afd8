import type { StateStorage } from '../storage/state-storage';
import type { Clock } from '../time/clock';
import { guardAt, guardOf, userRecordKey, type GuardState, type UserRecordGuard } from './guard-state';
import { KeyedLock } from './keyed-lock';
import { readItem, updateItem } from './storage-update';

export interface AccountGuardOptions {
  readonly storage: StateStorage;
  readonly clock: Clock;
  /** Consecutive failed verifications that block the account; default 20. */
  readonly maxConsecutiveFailures?: number;
  /** How long a block lasts; default 24 hours. */
  readonly blockDurationMs?: number;
  /** Key prefix of the per-user record the guard shares with the send limiter; default `sendLimits`. */
  readonly keyPrefix?: string;
}

export type AccountStatus = { readonly blocked: false; readonly failuresLeft: number } | { readonly blocked: true; readonly retryAfterSeconds: number };

/**
 * Blocks phone verification for a user after too many consecutive failed verifications (NIST
 * SP 800-63B: limit failed attempts per account), for a configurable time. A success resets the count.
 *
 * The state lives in the user's send-limit record (`guard` beside the send buckets): the send limiter
 * refuses a blocked user from the record it reads for the user's caps anyway, so a send pays no
 * round trip for the guard. Both write the record under its eTag and keep each other's fields.
 */
export class AccountGuard {
  private readonly storage: StateStorage;
  private readonly clock: Clock;
  private readonly maxFailures: number;
  private readonly blockDurationMs: number;
  private readonly keyPrefix: string;
  private readonly lock = new KeyedLock();

  constructor(options: AccountGuardOptions) {
    this.storage = options.storage;
    this.clock = options.clock;
    this.maxFailures = options.maxConsecutiveFailures ?? 20;
    this.blockDurationMs = options.blockDurationMs ?? 24 * 60 * 60 * 1000;
    if (!Number.isInteger(this.maxFailures) || this.maxFailures < 1) throw new RangeError('maxConsecutiveFailures must be a positive integer');
    if (!Number.isInteger(this.blockDurationMs) || this.blockDurationMs < 1) throw new RangeError('blockDurationMs must be a positive integer');
    this.keyPrefix = options.keyPrefix ?? 'sendLimits';
  }

  /** Whether the user may try to verify now. */
  async status(userId: string): Promise<AccountStatus> {
    const { value } = await readItem<UserRecordGuard>(this.storage, userRecordKey(this.keyPrefix, userId));
    return this.statusOf(guardAt(await guardOf(this.storage, userId, value), this.clock.now()));
  }

  /** Counts one failed verification; returns the status after it (blocked once the limit is reached). */
  async recordFailure(userId: string): Promise<AccountStatus> {
    const guard = await this.update(userId, (record) => {
      // Failures while blocked do not extend the block: the caller should not have tried.
      if (record.blockedUntil !== undefined) return undefined;
      const failures = record.failures + 1;
      return failures >= this.maxFailures ? { failures, blockedUntil: this.clock.now() + this.blockDurationMs } : { failures };
    });
    return this.statusOf(guard);
  }

  /** A verification succeeded: the consecutive count starts again. */
  async recordSuccess(userId: string): Promise<void> {
    await this.update(userId, (record) => (record.blockedUntil !== undefined || record.failures === 0 ? undefined : { failures: 0 }));
  }

  /**
   * Read-change-write of the guard in the user's record under its eTag, keeping the send buckets as
   * they are; retried when the limiter or another instance wrote the record in between. `change`
   * sees the guard as it stands now and returns undefined to leave it. Returns the guard after.
   */
  private update(userId: string, change: (current: GuardState) => GuardState | undefined): Promise<GuardState> {
    const key = userRecordKey(this.keyPrefix, userId);
    return this.lock.run(key, async () => {
      let after: GuardState = { failures: 0 };
      await updateItem<UserRecordGuard & Record<string, unknown>>(this.storage, key, async (value) => {
        const current = guardAt(await guardOf(this.storage, userId, value), this.clock.now());
        const next = change(current);
        after = next ?? current;
        return next === undefined ? undefined : { ...value, guard: next };
      });
      return after;
    });
  }

  private statusOf(record: GuardState): AccountStatus {
    if (record.blockedUntil !== undefined) {
      return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((record.blockedUntil - this.clock.now()) / 1000)) };
    }
    return { blocked: false, failuresLeft: this.maxFailures - record.failures };
  }
}
