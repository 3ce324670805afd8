import type { CloudAdapter } from 'botbuilder';
import type { CardViews } from '../../src/cards/card-views';
import { translator } from '../../src/i18n/messages';
import type { Locale } from '../../src/i18n/locale';
import { backoffMs, RETRYABLE_STATUSES, type Sleep } from './pacing';

/** One welcome message to deliver. */
export interface WelcomeDelivery {
  readonly userId: string;
  readonly locale: Locale;
  /** Carried in channelData so the delivered activity can be matched with the person's record. */
  readonly clientActivityId: string;
  /** A short note from IT shown above the card, if the campaign has one. */
  readonly note?: string;
}

/** Delivers a campaign's welcome card to one person; resolves with the activity id Teams gave it. */
export interface WelcomeSender {
  send(delivery: WelcomeDelivery): Promise<{ readonly activityId: string; readonly conversationId: string }>;
}

export interface ConnectorWelcomeSenderOptions {
  readonly adapter: CloudAdapter;
  readonly botAppId: string;
  readonly tenantId: string;
  /** Teams' service URL for proactive messages, e.g. https://smba.trafficmanager.net/teams/. */
  readonly serviceUrl: string;
  readonly views: Pick<CardViews, 'welcome'>;
  readonly newNonce: () => string;
  /** The retirement notice in the person's language ('' for none), as the welcome from "hi" shows it. */
  readonly notice: (locale: Locale) => string;
  /** Resolves when the next request to Teams may go out (every try counts against the rate). */
  readonly pace: () => Promise<void>;
  readonly sleep: Sleep;
  readonly random?: () => number;
  readonly maxAttempts?: number;
}

/**
 * Sends the welcome card through botbuilder's public proactive API: CloudAdapter
 * `createConversationAsync` opens (or finds: Teams keeps one 1:1 chat per user and bot) the chat with
 * the user's Entra object id, and the card goes out in that turn. Chosen over Teams' batch
 * `sendMessageToListOfUsers` because each person is then one small, separately recorded step that
 * the ledger can make exactly-once; the batch API reports per-person failures only later, by
 * operation. The card is the same welcome "hi" shows, so its buttons work as there. A 429 (or 412,
 * 502, 503, 504) is waited out with Retry-After and jitter.
 */
export class ConnectorWelcomeSender implements WelcomeSender {
  constructor(private readonly options: ConnectorWelcomeSenderOptions) {}

  async send(delivery: WelcomeDelivery): Promise<{ activityId: string; conversationId: string }> {
    const o = this.options;
    const t = translator(delivery.locale);
    // Nobody who still needs a phone has one: the card offers to add one, as "hi" would.
    const card = o.views.welcome(t, [], true, o.newNonce(), o.notice(delivery.locale));
    const attempts = o.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      await o.pace();
      try {
        let result: { activityId: string; conversationId: string } | undefined;
        await o.adapter.createConversationAsync(
          o.botAppId,
          'msteams',
          o.serviceUrl,
          'https://api.botframework.com',
          {
            isGroup: false,
            bot: { id: o.botAppId, name: '' },
            members: [{ id: delivery.userId, name: '' }],
            tenantId: o.tenantId,
            channelData: { tenant: { id: o.tenantId } },
            activity: undefined as never,
          },
          async (context) => {
            const sent = await context.sendActivity({
              type: 'message',
              locale: delivery.locale === 'ja' ? 'ja-JP' : 'en-US',
              attachments: [card],
              ...(delivery.note ? { text: delivery.note } : {}),
              channelData: { clientActivityId: delivery.clientActivityId },
            });
            result = { activityId: sent?.id ?? '', conversationId: context.activity.conversation.id };
          },
        );
        if (!result) throw new Error('the connector accepted no message');
        return result;
      } catch (error) {
        const status = statusOf(error);
        if (status === undefined || !RETRYABLE_STATUSES.has(status) || attempt >= attempts) throw error;
        await o.sleep(backoffMs(attempt, retryAfterOf(error), o.random ?? Math.random));
      }
    }
  }
}

function statusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  const response =
    typeof error === 'object' && error !== null ? (error as { response?: { headers?: { get?: (n: string) => string | undefined } } }).response : undefined;
  const value = response?.headers?.get?.('retry-after');
  const seconds = value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) ? seconds : undefined;
}
