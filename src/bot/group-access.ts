import { DirectoryError, type PhoneDirectory } from '../directory/phone-directory';
import type { Logger } from '../logging/logger';
import type { Clock } from '../time/clock';

/** Whether a user may use the bot: a member, not a member, or unknown because the check failed. */
export type AccessVerdict = 'member' | 'not_member' | 'unavailable';

export interface GroupAccessOptions {
  readonly directory: Pick<PhoneDirectory, 'isGroupMember'>;
  /** Object id of the Entra group whose (transitive) members may use the bot. */
  readonly groupId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long one user's answer is reused. Default 5 minutes. */
  readonly cacheTtlMs?: number;
  /** Most users remembered at once; the oldest answer goes first. Default 10,000. */
  readonly maxCachedUsers?: number;
}

const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
const DEFAULT_MAX_CACHED_USERS = 10_000;

/**
 * Limits the bot to the members of one Entra group (ALLOWED_GROUP_ID), as Conditional Access scopes
 * the portal's "register security information" action. Answers are kept a few minutes per user, so a
 * conversation costs one Graph read, and a change of membership shows within that time. A failed
 * check is never kept and never lets the user in: the bot refuses and asks them to try later.
 */
export class GroupAccess {
  private readonly cache = new Map<string, { readonly member: boolean; readonly expiresAt: number }>();
  private readonly log: Logger;
  private readonly ttlMs: number;
  private readonly maxCachedUsers: number;

  constructor(private readonly options: GroupAccessOptions) {
    this.log = options.logger.child({ module: 'group-access' });
    this.ttlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.maxCachedUsers = options.maxCachedUsers ?? DEFAULT_MAX_CACHED_USERS;
  }

  async check(userId: string): Promise<AccessVerdict> {
    const now = this.options.clock.now();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.member ? 'member' : 'not_member';
    let member: boolean;
    try {
      member = await this.options.directory.isGroupMember(userId, this.options.groupId);
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      this.log.warn(
        {
          audit: true,
          action: 'access',
          userId,
          result: 'unavailable',
          errorCode: error.code,
          status: error.details.status,
          requestId: error.details.requestId,
        },
        'group membership could not be checked; refused',
      );
      return 'unavailable';
    }
    this.remember(userId, member, now);
    this.log.info(
      { audit: true, action: 'access', userId, groupId: this.options.groupId, result: member ? 'member' : 'not_member' },
      'group membership checked',
    );
    return member ? 'member' : 'not_member';
  }

  private remember(userId: string, member: boolean, now: number): void {
    // Re-inserting moves the user to the newest end, so the first key is always the oldest answer.
    this.cache.delete(userId);
    this.cache.set(userId, { member, expiresAt: now + this.ttlMs });
    while (this.cache.size > this.maxCachedUsers) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
