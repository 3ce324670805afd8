import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { CallSessionStore } from '../verification/acs/call-session-store';
import type { Clock } from '../time/clock';
import type { CallOutcomeHandler } from '../verification/phone-delivery';
import { RoutingDelivery } from '../verification/routing-delivery';
import type { StateStorage } from '../storage/state-storage';
import { createTwilioClient } from '../verification/twilio/twilio-connection';
import { TwilioSmsDelivery } from '../verification/twilio/twilio-sms-delivery';
import { TwilioVoiceDelivery } from '../verification/twilio/twilio-voice-delivery';

/** Real SMS and calls through Twilio, from config. */
export function createTwilioDelivery(options: {
  readonly twilio: NonNullable<Config['twilio']>;
  readonly publicBaseUrl: string;
  readonly storage: StateStorage;
  readonly outcomeHandler: () => CallOutcomeHandler;
  readonly logger: Logger;
  readonly clock: Clock;
}): { delivery: RoutingDelivery; voice: TwilioVoiceDelivery } {
  const { twilio, storage, outcomeHandler, logger, clock } = options;
  const client = createTwilioClient({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    ...(twilio.apiKey ? { apiKey: twilio.apiKey, apiSecret: twilio.apiSecret ?? '' } : {}),
    ...(twilio.apiBaseUrl ? { apiBaseUrl: twilio.apiBaseUrl } : {}),
  });
  const sms = new TwilioSmsDelivery({ client, from: twilio.smsFrom, logger });
  const voice = new TwilioVoiceDelivery({
    client,
    authToken: twilio.authToken,
    callerId: twilio.callerId,
    publicBaseUrl: options.publicBaseUrl,
    // A prefix of its own: ACS and Twilio records of one call id never meet.
    sessions: new CallSessionStore({ storage, clock, keyPrefix: 'twilioCalls' }),
    outcomeHandler,
    logger,
    clock,
  });
  return { delivery: new RoutingDelivery(sms, voice), voice };
}
