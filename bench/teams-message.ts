/** Who sends a simulated Teams message, and where. */
export interface SimulatedSender {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly conversationId: string;
  /** The user's Entra object id. */
  readonly userId: string;
  readonly name: string;
}

let sequence = 0;

/** A 1:1 Teams message activity from a simulated user, as JSON; `extra` adds text, a card's value, a replyToId. */
export function teamsMessage(idPrefix: string, from: SimulatedSender, extra: Record<string, unknown>): string {
  return JSON.stringify({
    type: 'message',
    id: `${idPrefix}-${++sequence}`,
    channelId: 'msteams',
    serviceUrl: from.serviceUrl,
    locale: 'en-US',
    from: { id: `29:${from.userId}`, name: from.name, aadObjectId: from.userId },
    recipient: { id: '28:bot', name: 'Bot' },
    conversation: { id: from.conversationId, conversationType: 'personal', tenantId: from.tenantId, isGroup: false },
    channelData: { tenant: { id: from.tenantId } },
    ...extra,
  });
}
