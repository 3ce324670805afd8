import { SmsClient, type SmsClientOptions } from '@azure/communication-sms';
import type { Logger } from '../../logging/logger';
import type { DeliveryResult, PhoneDelivery, SmsRequest } from '../phone-delivery';
import { describeError, statusCodeOf, type AcsConnection } from './acs-connection';
import { maskE164 } from '../../phone/mask-phone';
import { regionOfE164 } from '../../phone/region-of-number';

/**
 * Messaging Connect (public preview): ACS hands texts to these countries to a partner, and every such
 * send must carry the partner's API key (`smsSendOptions.messagingConnect`), or ACS answers 400.
 */
export interface MessagingConnectRoute {
  /** The partner that leased the sender, e.g. `infobip`. */
  readonly partner: string;
  /** Secret: sent to ACS with each text, never logged. */
  readonly apiKey: string;
  /** ISO regions texted through the partner, e.g. `['JP']`. */
  readonly countries: readonly string[];
  /** The partner's number or sender id used for these countries. */
  readonly from: string;
}

export interface AcsSmsDeliveryOptions {
  readonly connection: AcsConnection;
  /** Sender: an ACS phone number in E.164 or an alphanumeric sender id (1–11 letters/digits, one letter at least). */
  readonly from: string;
  readonly logger: Logger;
  /** Ask ACS for delivery reports on Event Grid; default false. */
  readonly enableDeliveryReport?: boolean;
  /** Tag echoed in delivery reports; default `phone-verification`. */
  readonly tag?: string;
  /** Give up waiting for ACS after this long; default 15 s. */
  readonly timeoutMs?: number;
  /** Extra pipeline options; tests pass `allowInsecureConnection` for a local http fake. */
  readonly clientOptions?: SmsClientOptions;
  /** Countries texted through Messaging Connect; none by default. */
  readonly messagingConnect?: MessagingConnectRoute;
}

const E164 = /^\+[1-9][0-9]{6,14}$/u;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/u;

/**
 * Sends verification SMS through Azure Communication Services. Each send goes out once: the SDK's
 * retry would resend a message that ACS accepted before answering 5xx, so retries are off.
 */
export class AcsSmsDelivery implements Pick<PhoneDelivery, 'sendSms'> {
  private readonly client: SmsClient;
  private readonly from: string;
  private readonly logger: Logger;
  private readonly enableDeliveryReport: boolean;
  private readonly tag: string;
  private readonly timeoutMs: number;
  private readonly messagingConnect?: MessagingConnectRoute;

  constructor(options: AcsSmsDeliveryOptions) {
    if (!E164.test(options.from) && !ALPHANUMERIC_SENDER.test(options.from)) {
      throw new Error('SMS sender must be an E.164 number or an alphanumeric sender id of at most 11 characters');
    }
    const clientOptions: SmsClientOptions = { retryOptions: { maxRetries: 0 }, ...options.clientOptions };
    this.client =
      typeof options.connection === 'string'
        ? new SmsClient(options.connection, clientOptions)
        : new SmsClient(options.connection.endpoint, options.connection.credential, clientOptions);
    this.from = options.from;
    this.logger = options.logger.child({ module: 'acs-sms' });
    this.enableDeliveryReport = options.enableDeliveryReport ?? false;
    this.tag = options.tag ?? 'phone-verification';
    this.timeoutMs = options.timeoutMs ?? 15_000;
    if (options.messagingConnect) {
      const { from } = options.messagingConnect;
      if (!E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) {
        throw new Error('Messaging Connect sender must be an E.164 number or an alphanumeric sender id of at most 11 characters');
      }
      this.messagingConnect = { ...options.messagingConnect, countries: options.messagingConnect.countries.map((r) => r.toUpperCase()) };
    }
  }

  /** Sends `text` to one number; a recipient ACS refused is `rejected`, anything transient `failed`. */
  async sendSms(request: SmsRequest): Promise<DeliveryResult> {
    const to = maskE164(request.to);
    if (!E164.test(request.to)) {
      this.logger.warn({ to }, 'SMS not sent: recipient is not an E.164 number');
      return { ok: false, reason: 'rejected' };
    }
    const region = regionOfE164(request.to);
    const partner = region !== undefined && this.messagingConnect?.countries.includes(region) ? this.messagingConnect : undefined;
    // The partner's name only: its API key is a secret.
    const route = partner ? { messagingConnect: partner.partner } : {};
    try {
      const results = await this.client.send(
        { from: partner?.from ?? this.from, to: [request.to], message: request.text },
        {
          enableDeliveryReport: this.enableDeliveryReport,
          tag: this.tag,
          ...(partner ? { messagingConnect: { apiKey: partner.apiKey, partner: partner.partner } } : {}),
          abortSignal: AbortSignal.timeout(this.timeoutMs),
        },
      );
      const result = results.find((r) => r.to === request.to) ?? results[0];
      if (!result) {
        this.logger.error({ to }, 'SMS send returned no result for the recipient');
        return { ok: false, reason: 'failed' };
      }
      if (!result.successful) {
        // errorMessage is left out: ACS may echo the number in it.
        this.logger.warn({ to, httpStatusCode: result.httpStatusCode, ...route }, 'SMS refused for recipient');
        return { ok: false, reason: result.httpStatusCode >= 500 ? 'failed' : 'rejected' };
      }
      this.logger.info({ to, messageId: result.messageId, ...route }, 'SMS accepted');
      return result.messageId ? { ok: true, providerId: result.messageId } : { ok: true };
    } catch (error) {
      const reason = failureReason(error);
      this.logger.error({ to, err: describeError(error), reason, ...route }, 'SMS send failed');
      return { ok: false, reason };
    }
  }
}

/** 401/403: the resource or key is wrong (nothing will work); other 4xx: this message; the rest: transient. */
function failureReason(error: unknown): 'rejected' | 'failed' | 'unavailable' {
  const status = statusCodeOf(error);
  if (status === 401 || status === 403) return 'unavailable';
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) return 'rejected';
  return 'failed';
}
