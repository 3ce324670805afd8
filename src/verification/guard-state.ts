import type { Storage } from 'botbuilder';
import { readItem } from './storage-update';

/**
 * The account guard's part of a user's record: consecutive failed verifications and, once they reach
 * the limit, the end of the block (epoch ms).
 */
export interface GuardState {
  readonly failures: number;
  readonly blockedUntil?: number;
}

/**
 * What the per-user record (`<prefix>/user/<user id>`) holds: the send limiter's buckets and the
 * account guard's state, one blob, so a send reads and writes the guard with the counters it already
 * needs instead of one more round trip to a blob of its own.
 */
export interface UserRecordGuard {
  readonly guard?: GuardState;
}

/** The key of a user's record, shared by the send limiter and the account guard. */
export function userRecordKey(keyPrefix: string, userId: string): string {
  return `${keyPrefix}/user/${userId}`;
}

/** The guard as it stands at `now`: a block that has ended counts as a fresh start. */
export function guardAt(stored: GuardState | undefined, now: number): GuardState {
  if (!stored) return { failures: 0 };
  if (stored.blockedUntil !== undefined && stored.blockedUntil <= now) return { failures: 0 };
  return stored;
}

/**
 * The guard kept in a user's record as read. Earlier versions kept it in a blob of its own
 * (`accountGuard/<user id>`); a record they wrote has no `guard` field, and only then is that blob
 * read, so a block or a count from before the upgrade still holds. Every later write of the record
 * carries the field, so each user pays that read once. An absent record needs no look: the former
 * blob was written only after a failed check, and every check follows a send, which wrote the record
 * (a lifecycle rule of at least 30 days, as docs/storage.md asks, keeps it beside a live block).
 */
export async function guardOf(storage: Pick<Storage, 'read'>, userId: string, record: UserRecordGuard | undefined): Promise<GuardState | undefined> {
  if (record === undefined || record.guard !== undefined) return record?.guard;
  const { value } = await readItem<GuardState>(storage, `accountGuard/${userId}`);
  return value ? { failures: value.failures, ...(value.blockedUntil !== undefined ? { blockedUntil: value.blockedUntil } : {}) } : { failures: 0 };
}
