import type { Activity } from 'botbuilder';

export interface ActivityGuardPolicy {
  /** The only tenant served; empty in demo mode (any tenant). */
  readonly tenantId: string;
  /** Production accepts Microsoft Teams only; the demo also accepts emulators. */
  readonly teamsOnly: boolean;
}

/** Why an activity is not served, or 'ok'. */
export type ActivityVerdict = 'ok' | 'wrong_tenant' | 'wrong_channel' | 'not_personal';

/** The tenant of an activity as Teams sends it: on the conversation, or in channelData. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation) return fromConversation.toLowerCase();
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  return typeof fromChannelData === 'string' && fromChannelData ? fromChannelData.toLowerCase() : undefined;
}

/**
 * Decides whether the bot may act on an activity, before any directory call: the right tenant, the
 * Teams channel, and a 1:1 chat (phone data is never shown in group chats or channels).
 */
export function checkActivity(activity: Partial<Activity>, policy: ActivityGuardPolicy): ActivityVerdict {
  if (policy.teamsOnly && activity.channelId !== 'msteams') return 'wrong_channel';
  if (policy.tenantId && tenantOf(activity) !== policy.tenantId.toLowerCase()) return 'wrong_tenant';
  const conversationType = activity.conversation?.conversationType;
  if (activity.conversation?.isGroup === true || (conversationType !== undefined && conversationType !== 'personal')) return 'not_personal';
  return 'ok';
}
