/**
 * Group membership as Graph answers it, for the fake Graph server: groups hold users and other groups,
 * and `GET /users/{id}/transitiveMemberOf` lists every group reached through any chain of nesting,
 * once each, in pages. Source: "List a user's memberships (direct and transitive)",
 * https://learn.microsoft.com/graph/api/user-list-transitivememberof (default page 100, largest 999,
 * `@odata.nextLink` carrying an opaque `$skiptoken`), and "Paging Microsoft Graph data in your app".
 */

/** One directory object a user is a member of, as the membership list shows it. */
interface FakeMembership {
  readonly '@odata.type': '#microsoft.graph.group' | '#microsoft.graph.directoryRole';
  readonly id: string;
}

/** One page of a membership list, and where the next one starts (undefined at the end). */
export interface FakeMembershipPage {
  readonly value: readonly FakeMembership[];
  readonly nextOffset?: number;
}

const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

export class FakeGroups {
  /** Group id → direct members (user or group ids). */
  private readonly members = new Map<string, Set<string>>();
  /** Directory roles per user (listed too, as Graph lists them among memberships). */
  private readonly roles = new Map<string, string[]>();

  /** Creates (or replaces) a group with these direct members: user ids or other group ids. */
  setGroup(groupId: string, memberIds: readonly string[]): void {
    this.members.set(groupId, new Set(memberIds));
  }

  /** Gives the user a directory role, which shows up in their membership list beside groups. */
  addRole(userId: string, roleId: string): void {
    this.roles.set(userId, [...(this.roles.get(userId) ?? []), roleId]);
  }

  /** Every group the object belongs to, directly or through nested groups, each once. */
  transitiveGroupsOf(objectId: string): string[] {
    const found: string[] = [];
    const queue = [objectId];
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const [groupId, members] of this.members) {
        if (members.has(current) && !found.includes(groupId)) {
          found.push(groupId);
          queue.push(groupId);
        }
      }
    }
    return found;
  }

  /** One page of the user's transitive memberships. */
  page(userId: string, offset: number, pageSize = DEFAULT_PAGE_SIZE): FakeMembershipPage {
    const all: FakeMembership[] = [
      ...this.transitiveGroupsOf(userId).map((id) => ({ '@odata.type': '#microsoft.graph.group' as const, id })),
      ...(this.roles.get(userId) ?? []).map((id) => ({ '@odata.type': '#microsoft.graph.directoryRole' as const, id })),
    ];
    const value = all.slice(offset, offset + pageSize);
    const next = offset + pageSize;
    return next < all.length ? { value, nextOffset: next } : { value };
  }
}

/** An opaque `$skiptoken` for an offset (URL-safe, as Graph's own tokens are). */
export function skipTokenFor(offset: number): string {
  return Buffer.from(`fake-graph-offset:${offset}`).toString('base64url');
}

/** The offset a `$skiptoken` stands for, or undefined when the fake did not issue it. */
export function offsetOf(token: string): number | undefined {
  const decoded = /^fake-graph-offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return decoded ? Number(decoded[1]) : undefined;
}
