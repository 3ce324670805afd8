import type { Logger } from '../../logging/logger';
import { maskE164 } from '../../phone/mask-phone';
import type { DeliveryResult, PhoneDelivery, SmsRequest } from '../phone-delivery';
import type { TwilioClient } from './twilio-connection';
import { describeTwilioError, twilioFailure } from './twilio-failure';

export interface TwilioSmsDeliveryOptions {
  readonly client: Pick<TwilioClient, 'messages'>;
  /** A Twilio number in E.164, or a Messaging Service SID (`MG…`) that picks the sender. */
  readonly from: string;
  readonly logger: Logger;
}

const E164 = /^\+[1-9][0-9]{6,14}$/u;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/u;

/**
 * Sends verification texts through Twilio Programmable Messaging
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource). The
 * client never retries (createTwilioClient), so one send is one text at most.
 */
export class TwilioSmsDelivery implements Pick<PhoneDelivery, 'sendSms'> {
  private readonly logger: Logger;

  constructor(private readonly options: TwilioSmsDeliveryOptions) {
    if (!E164.test(options.from) && !MESSAGING_SERVICE_SID.test(options.from)) {
      throw new Error('Twilio SMS sender must be an E.164 number or a Messaging Service SID (MG…)');
    }
    this.logger = options.logger.child({ module: 'twilio-sms', provider: 'twilio' });
  }

  /** Sends `text` to one number: accepted → ok, refused → rejected/unavailable, anything unclear → failed. */
  async sendSms(request: SmsRequest): Promise<DeliveryResult> {
    const to = maskE164(request.to);
    if (!E164.test(request.to)) {
      this.logger.warn({ to }, 'SMS not sent: recipient is not an E.164 number');
      return { ok: false, reason: 'rejected' };
    }
    const sender = MESSAGING_SERVICE_SID.test(this.options.from) ? { messagingServiceSid: this.options.from } : { from: this.options.from };
    try {
      const message = await this.options.client.messages.create({ to: request.to, body: request.text, ...sender });
      if (message.status === 'failed' || message.status === 'undelivered') {
        this.logger.warn({ to, messageSid: message.sid, errorCode: message.errorCode }, 'SMS refused for recipient');
        return { ok: false, reason: 'rejected' };
      }
      this.logger.info({ to, messageSid: message.sid }, 'SMS accepted');
      return { ok: true, providerId: message.sid };
    } catch (error) {
      const failure = twilioFailure(error);
      this.logger.error({ to, err: describeTwilioError(error), reason: failure.reason, nothingSent: failure.nothingSent ?? false }, 'SMS send failed');
      return failure;
    }
  }
}
