import type { Config } from '../../src/config/config';
import { createTwilioClient } from '../../src/verification/twilio/twilio-connection';
import { fail, ok, warn, type CheckResult } from './check-result';

/** Twilio's error code for credentials it does not accept (https://www.twilio.com/docs/api/errors/20003). */
const AUTHENTICATE = 20003;

/**
 * Tries the Twilio credentials by reading the account (Fetch an Account: no text, no call, no cost),
 * and reports whether the account is active. Only the SID and the status are shown, never a secret.
 */
export async function checkTwilioCredentials(config: Pick<Config, 'twilio'>): Promise<CheckResult[]> {
  const { twilio } = config;
  if (!twilio) return [];
  const client = createTwilioClient({ ...twilio, timeoutMs: 10_000 });
  try {
    const account = await client.api.v2010.accounts(twilio.accountSid).fetch();
    if (account.status !== 'active') {
      return [
        fail(
          `Twilio account ${twilio.accountSid} is ${account.status}`,
          'reactivate it in the Twilio Console, or route the countries to another provider (DELIVERY_ROUTES)',
        ),
      ];
    }
    return [ok(`Twilio accepted the credentials; account ${twilio.accountSid} is active`)];
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
    if (code === AUTHENTICATE) {
      return [
        fail(
          `Twilio refused the credentials for account ${twilio.accountSid}`,
          'copy the Account SID and Auth Token (or an API key SID and secret of that account) from the Twilio Console into TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (TWILIO_API_KEY, TWILIO_API_SECRET)',
        ),
      ];
    }
    return [warn('Twilio credentials not checked: Twilio could not be reached', 'run the doctor again from a host that reaches api.twilio.com over https')];
  }
}
