import { stripTrailing } from '../text/strip-trailing';
import type { Config } from './config';

/** The TWILIO_* variables as read from the environment ('' = not set). */
export interface TwilioEnv {
  readonly TWILIO_ACCOUNT_SID: string;
  readonly TWILIO_AUTH_TOKEN: string;
  readonly TWILIO_API_KEY: string;
  readonly TWILIO_API_SECRET: string;
  readonly TWILIO_SMS_FROM: string;
  readonly TWILIO_CALLER_ID: string;
  readonly TWILIO_API_BASE_URL: string;
}

/** Twilio's REST origin; anything else is accepted only on loopback (a local test fake). */
const TWILIO_API_ORIGIN = 'https://api.twilio.com';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when any Twilio setting is present: the admin meant to use Twilio, so every gap is reported. */
export function twilioWanted(e: TwilioEnv): boolean {
  return [e.TWILIO_ACCOUNT_SID, e.TWILIO_AUTH_TOKEN, e.TWILIO_API_KEY, e.TWILIO_API_SECRET, e.TWILIO_SMS_FROM, e.TWILIO_CALLER_ID].some(
    (value) => value !== '',
  );
}

/** Every problem with the Twilio settings, each naming the variable and the fix; secrets are never echoed. */
export function twilioProblems(e: TwilioEnv, publicBaseUrl: string): string[] {
  const problems: string[] = [];
  if (!/^AC[0-9a-fA-F]{32}$/.test(e.TWILIO_ACCOUNT_SID)) {
    problems.push('TWILIO_ACCOUNT_SID is missing or invalid: copy the Account SID (AC followed by 32 hex digits) from the Twilio Console home page');
  }
  // The auth token is needed even with an API key: Twilio signs webhooks with it.
  if (e.TWILIO_AUTH_TOKEN === '') {
    problems.push(
      "TWILIO_AUTH_TOKEN is missing: copy the Auth Token from the Twilio Console home page (it checks the signature of Twilio's webhooks, even when an API key sends the requests)",
    );
  }
  if (e.TWILIO_API_KEY !== '' || e.TWILIO_API_SECRET !== '') {
    if (!/^SK[0-9a-fA-F]{32}$/.test(e.TWILIO_API_KEY))
      problems.push(
        'TWILIO_API_KEY is missing or invalid: set it to an API key SID (SK…) from Twilio Console > Account > API keys, or leave both TWILIO_API_KEY and TWILIO_API_SECRET empty',
      );
    if (e.TWILIO_API_SECRET === '')
      problems.push(
        'TWILIO_API_SECRET is missing: set it to the secret shown when the API key was created, or leave both TWILIO_API_KEY and TWILIO_API_SECRET empty',
      );
  }
  if (!/^\+[1-9]\d{6,14}$/.test(e.TWILIO_SMS_FROM) && !/^MG[0-9a-fA-F]{32}$/.test(e.TWILIO_SMS_FROM)) {
    problems.push('TWILIO_SMS_FROM is missing or invalid: set it to an SMS-capable Twilio number (+18005550100) or a Messaging Service SID (MG…)');
  }
  if (!/^\+[1-9]\d{6,14}$/.test(e.TWILIO_CALLER_ID)) {
    problems.push('TWILIO_CALLER_ID is missing or invalid: set it to a voice-capable Twilio number (or a verified caller id) in E.164 form, e.g. +18005550100');
  }
  if (!publicBaseUrl) problems.push("PUBLIC_BASE_URL is missing: Twilio's call webhooks need the bot's public https address");
  if (e.TWILIO_API_BASE_URL !== '' && e.TWILIO_API_BASE_URL !== TWILIO_API_ORIGIN) {
    let host = '';
    try {
      host = new URL(e.TWILIO_API_BASE_URL).hostname.toLowerCase();
    } catch {
      // reported below
    }
    if (!LOOPBACK_HOSTS.has(host))
      problems.push(`TWILIO_API_BASE_URL must be ${TWILIO_API_ORIGIN} (another address is accepted only on loopback, for a local test fake): leave it empty`);
  }
  return problems;
}

/** The Twilio section of the config (call only when twilioProblems found nothing). */
export function twilioConfig(e: TwilioEnv): NonNullable<Config['twilio']> {
  return {
    accountSid: e.TWILIO_ACCOUNT_SID,
    authToken: e.TWILIO_AUTH_TOKEN,
    ...(e.TWILIO_API_KEY ? { apiKey: e.TWILIO_API_KEY, apiSecret: e.TWILIO_API_SECRET } : {}),
    smsFrom: e.TWILIO_SMS_FROM,
    callerId: e.TWILIO_CALLER_ID,
    ...(e.TWILIO_API_BASE_URL && e.TWILIO_API_BASE_URL !== TWILIO_API_ORIGIN ? { apiBaseUrl: stripTrailing(e.TWILIO_API_BASE_URL, '/') } : {}),
  };
}
