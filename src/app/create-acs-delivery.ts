import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { AcsConnection } from '../verification/acs/acs-connection';
import { AcsSmsDelivery } from '../verification/acs/acs-sms-delivery';
import { AcsVoiceDelivery } from '../verification/acs/acs-voice-delivery';
import { CallSessionStore } from '../verification/acs/call-session-store';
import type { Clock } from '../time/clock';
import type { CallOutcomeHandler } from '../verification/phone-delivery';
import { RoutingDelivery } from '../verification/routing-delivery';
import type { StateStorage } from '../storage/state-storage';

/** Real SMS and calls through Azure Communication Services, from config. */
export function createAcsDelivery(options: {
  readonly acs: NonNullable<Config['acs']>;
  readonly publicBaseUrl: string;
  readonly storage: StateStorage;
  readonly outcomeHandler: () => CallOutcomeHandler;
  readonly logger: Logger;
  readonly clock: Clock;
}): { delivery: RoutingDelivery; voice: AcsVoiceDelivery } {
  const { acs, storage, outcomeHandler, logger, clock } = options;
  const connection: AcsConnection = acs.connectionString ?? { endpoint: acs.endpoint ?? '', credential: new DefaultAzureCredential() };
  // Plain http endpoints exist only in local tests against a fake service.
  const insecure = /^endpoint=http:\/\//i.test(acs.connectionString ?? '') || (acs.endpoint ?? '').startsWith('http://');
  const clientOptions = insecure ? { allowInsecureConnection: true } : {};
  const sms = new AcsSmsDelivery({
    connection,
    from: acs.smsFrom,
    logger,
    clientOptions,
    ...(acs.messagingConnect ? { messagingConnect: acs.messagingConnect } : {}),
  });
  const voice = new AcsVoiceDelivery({
    connection,
    callerId: acs.callerId,
    publicBaseUrl: options.publicBaseUrl,
    sessions: new CallSessionStore({ storage, clock }),
    outcomeHandler,
    logger,
    clock,
    clientOptions,
    ...(acs.cognitiveServicesEndpoint ? { cognitiveServicesEndpoint: acs.cognitiveServicesEndpoint } : {}),
    ...(acs.callbackJwtAudience
      ? { callbackJwt: { audience: acs.callbackJwtAudience, ...(acs.callbackJwksUrl ? { jwksUrl: acs.callbackJwksUrl } : {}) } }
      : {}),
  });
  return { delivery: new RoutingDelivery(sms, voice), voice };
}
