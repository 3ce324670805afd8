import type { Config } from '../../src/config/config';
import { DeliveryRouteTable } from '../../src/verification/delivery-routes';
import { ok, warn, type CheckResult } from './check-result';

/**
 * Checks the Twilio settings offline: nothing is sent and no call is placed (the credentials are
 * tried separately, online only: twilio-credentials-check.ts). The secrets are never shown.
 */
export function checkTwilio(config: Pick<Config, 'twilio' | 'deliveryRoutes' | 'publicBaseUrl' | 'demoMode'>): CheckResult[] {
  const { twilio } = config;
  if (!twilio) return [ok(config.demoMode ? 'Twilio not configured (demo delivery)' : 'Twilio not configured')];
  const routes = new DeliveryRouteTable(config.deliveryRoutes);
  return [
    ok(
      `Twilio account ${twilio.accountSid}, requests authenticated with ${twilio.apiKey ? `API key ${twilio.apiKey}` : 'the auth token'}; the auth token checks webhook signatures`,
    ),
    ok(`SMS sender ${twilio.smsFrom} (${twilio.smsFrom.startsWith('MG') ? 'Messaging Service' : 'number'})`),
    ok(`Caller id ${twilio.callerId}`),
    ok(`Delivery routes ${routes.toString()}`),
    ...(config.publicBaseUrl ? [ok(`Twilio call webhooks go to ${config.publicBaseUrl}/api/calls/twilio/… (signed, plus a per-call secret in the URL)`)] : []),
    warn(
      'Twilio numbers and geo permissions not checked: the doctor sends no SMS and places no call',
      'in the Twilio Console enable SMS and Voice geo permissions for every country in ALLOWED_COUNTRIES routed to Twilio, then register a test phone with "Receive a code" and with "Call me"',
    ),
  ];
}
