import type { ConversationReference, TurnContext } from 'botbuilder';

/** The conversation reference of a turn, kept to continue the conversation when a call ends. */
export function conversationReferenceOf(context: TurnContext): Partial<ConversationReference> {
  const { activity } = context;
  return {
    activityId: activity.id,
    user: activity.from,
    bot: activity.recipient,
    conversation: activity.conversation,
    channelId: activity.channelId,
    locale: activity.locale,
    serviceUrl: activity.serviceUrl,
  };
}
