import type { StateStorage } from '../storage/state-storage';
import type { Clock } from '../time/clock';
import { KeyedLock } from './keyed-lock';
import { readItem, updateItem } from './storage-update';

export interface AccountGuardOptions {
  readonly storage: StateStorage;
  readonly clock: Clock;
  /** Consecutive failed verifications that block the account; default 20. */
  readonly maxConsecutiveFailures?: number;
  /** How long a block lasts; default 24 hours. */
  readonly blockDurationMs?: number;
  /** Storage key prefix; default `accountGuard`. */
  readonly keyPrefix?: string;
}

export type AccountStatus = { readonly blocked: false; readonly failuresLeft: number } | { readonly blocked: true; readonly retryAfterSeconds: number };

interface GuardRecord {
  readonly failures: number;
  /** Epoch ms until which the account is blocked; absent when not blocked. */
  readonly blockedUntil?: number;
}

/**
 * Blocks phone verification for a user after too many consecutive failed verifications (NIST
 * SP 800-63B: limit failed attempts per account), for a configurable time. A success resets the count.
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
    this.keyPrefix = options.keyPrefix ?? 'accountGuard';
  }

  /** Whether the user may try to verify now. */
  async status(userId: string): Promise<AccountStatus> {
    const { value } = await readItem<GuardRecord>(this.storage, this.key(userId));
    return this.statusOf(this.current(value));
  }

  /** Counts one failed verification; returns the status after it (blocked once the limit is reached). */
  recordFailure(userId: string): Promise<AccountStatus> {
    const key = this.key(userId);
    return this.lock.run(key, async () => {
      const { current } = await updateItem<GuardRecord>(this.storage, key, (stored) => {
        const record = this.current(stored);
        // Failures while blocked do not extend the block: the caller should not have tried.
        if (record.blockedUntil !== undefined) return undefined;
        const failures = record.failures + 1;
        return failures >= this.maxFailures ? { failures, blockedUntil: this.clock.now() + this.blockDurationMs } : { failures };
      });
      return this.statusOf(this.current(current));
    });
  }

  /** A verification succeeded: the consecutive count starts again. */
  recordSuccess(userId: string): Promise<void> {
    const key = this.key(userId);
    return this.lock.run(key, async () => {
      await updateItem<GuardRecord>(this.storage, key, (stored) => {
        const record = this.current(stored);
        if (record.blockedUntil !== undefined || record.failures === 0) return undefined;
        return { failures: 0 };
      });
    });
  }

  /** The record as it stands now: an expired block counts as a fresh start. */
  private current(stored: GuardRecord | undefined): GuardRecord {
    if (!stored) return { failures: 0 };
    if (stored.blockedUntil !== undefined && stored.blockedUntil <= this.clock.now()) return { failures: 0 };
    return stored;
  }

  private statusOf(record: GuardRecord): AccountStatus {
    if (record.blockedUntil !== undefined) {
      return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((record.blockedUntil - this.clock.now()) / 1000)) };
    }
    return { blocked: false, failuresLeft: this.maxFailures - record.failures };
  }

  private key(userId: string): string {
    return `${this.keyPrefix}/${userId}`;
  }
}
