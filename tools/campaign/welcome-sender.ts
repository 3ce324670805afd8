import type { Activity, CloudAdapter } from 'botbuilder';
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
 * The welcome message in one language: the card "hi" shows (nobody who still needs a phone has one,
 * so it offers to add one), with the campaign's note above it. Its buttons start their dialog whatever
 * the conversation state holds and the bot claims a press per conversation and nonce, so one nonce
 * may serve everyone a batch reaches.
 */
export function welcomeActivity(
  o: Pick<ConnectorWelcomeSenderOptions, 'views' | 'notice'>,
  nonce: string,
  locale: Locale,
  note: string | undefined,
): Partial<Activity> {
  const card = o.views.welcome(translator(locale), [], true, nonce, o.notice(locale));
  return { type: 'message', locale: locale === 'ja' ? 'ja-JP' : 'en-US', attachments: [card], ...(note ? { text: note } : {}) };
}

/**
 * Sends the welcome card to ONE person through botbuilder's public proactive API: CloudAdapter
 * `createConversationAsync` opens (or finds: Teams keeps one 1:1 chat per user and bot) the chat with
 * the user's Entra object id, and the card goes out in that turn. The campaign sends most people
 * their card with Teams' batch API (see batch-delivery.ts); this path is for the few a batch does not
 * fit (a language with only a person or two in hand), where one request that answers with the
 * activity id beats a submit, polls and a failed-entries read. A 429 (or 412, 502, 503, 504) is
 * waited out with Retry-After and jitter.
 */
export class ConnectorWelcomeSender implements WelcomeSender {
  constructor(private readonly options: ConnectorWelcomeSenderOptions) {}

  async send(delivery: WelcomeDelivery): Promise<{ activityId: string; conversationId: string }> {
    const o = this.options;
    const activity = welcomeActivity(o, o.newNonce(), delivery.locale, delivery.note);
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
            const sent = await context.sendActivity({ ...activity, channelData: { clientActivityId: delivery.clientActivityId } });
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
