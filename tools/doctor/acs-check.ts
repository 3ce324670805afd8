import { CallAutomationClient } from '@azure/communication-call-automation';
import { SmsClient } from '@azure/communication-sms';
import type { Config } from '../../src/config/config';
import { MESSAGING_CONNECT_ONLY_COUNTRIES } from '../../src/verification/acs/acs-sms-coverage';
import { fail, ok, warn, type CheckResult } from './check-result';

const KEYS_PAGE = "the ACS resource's Keys page";

/** Checks the Azure Communication Services settings offline: nothing is sent, no call is placed. */
export function checkAcs(options: {
  readonly acs: Config['acs'];
  readonly publicBaseUrl: string;
  readonly demoMode: boolean;
  /** Countries users may register (empty = all), to say which ones cannot get texts. */
  readonly allowedCountries?: readonly string[];
}): CheckResult[] {
  const { acs } = options;
  if (!acs) {
    return options.demoMode
      ? [
          warn(
            'Azure Communication Services not configured: texts and calls go to the console (demo delivery)',
            "real SMS and calls need production mode: the bot's credentials as well as ACS_CONNECTION_STRING, ACS_SMS_FROM and ACS_CALLER_ID (demo mode refuses ACS settings)",
          ),
        ]
      : [fail('Azure Communication Services not configured', 'set ACS_CONNECTION_STRING (or ACS_ENDPOINT), ACS_SMS_FROM and ACS_CALLER_ID')];
  }
  const results: CheckResult[] = [];
  if (acs.connectionString !== undefined) {
    results.push(checkConnectionString(acs.connectionString));
  } else if (acs.endpoint !== undefined) {
    results.push(ok(`ACS endpoint ${acs.endpoint} with a managed identity (DefaultAzureCredential)`));
    results.push(
      warn('ACS managed identity access not checked', "give the service's managed identity a role on the ACS resource that may send SMS and place calls"),
    );
  }
  const senderKind = acs.smsFrom.startsWith('+') ? 'number' : 'alphanumeric sender id; not every country accepts one';
  results.push(ok(`SMS sender ${acs.smsFrom} (${senderKind})`));
  results.push(ok(`Caller id ${acs.callerId}`));
  results.push(checkSpokenPrompts(acs.cognitiveServicesEndpoint));
  results.push(...checkMessagingConnect(acs.messagingConnect, options.allowedCountries ?? []));
  results.push(
    warn(
      'ACS access key and numbers not checked: the doctor sends no SMS and places no call',
      'after deploying, register a test phone through the bot with "Receive a code" and with "Call me"',
    ),
  );
  if (options.publicBaseUrl) results.push(ok(`Voice callbacks go to ${options.publicBaseUrl}/api/calls (a per-call secret in the URL)`));
  results.push(
    acs.callbackJwtAudience
      ? ok(`Callback JWT check on (audience ${acs.callbackJwtAudience})`)
      : ok("Callback JWT check off (optional: set ACS_CALLBACK_JWT_AUDIENCE to the ACS resource's immutable id to add it)"),
  );
  return results;
}

/** ACS speaks the call's prompts only on calls created with the AI services endpoint. */
function checkSpokenPrompts(endpoint: string | undefined): CheckResult {
  if (!endpoint) {
    return fail(
      'ACS_COGNITIVE_SERVICES_ENDPOINT is not set: verification calls cannot speak (ACS fails every prompt with "Cognitive Service Configuration not set during call setup")',
      'create an Azure AI services (multi-service) resource, connect it to the ACS resource, give the ACS managed identity the Cognitive Services User role on it, and set its endpoint (docs/admin.md)',
    );
  }
  return warn(
    `Spoken prompts use the Azure AI services endpoint ${endpoint}; its connection to ACS and the role are not checked offline`,
    'check that the ACS resource is connected to it and that the ACS managed identity has Cognitive Services User on it; then test "Call me" once',
  );
}

/** Texts to countries only Messaging Connect reaches: set up (public preview) or not offered. */
function checkMessagingConnect(connect: NonNullable<Config['acs']>['messagingConnect'], allowedCountries: readonly string[]): CheckResult[] {
  const reachable = new Set(connect?.countries ?? []);
  const affected = MESSAGING_CONNECT_ONLY_COUNTRIES.filter((r) => !reachable.has(r) && (allowedCountries.length === 0 || allowedCountries.includes(r)));
  const results: CheckResult[] = [];
  if (connect) {
    // The partner's name only: the API key is a secret.
    results.push(
      warn(
        `Messaging Connect (public preview) through ${connect.partner} for ${connect.countries.join(', ')} (sender ${connect.from}); the partner key is not checked offline`,
        'after deploying, register a test phone of each of those countries with "Receive a code"',
      ),
    );
  }
  if (affected.length > 0) {
    results.push(
      warn(
        `ACS numbers cannot text ${affected.join(', ')}: users with such numbers are offered "Call me" only`,
        'to send texts there, set up Messaging Connect (public preview) and set ACS_MESSAGING_CONNECT_PARTNER, ACS_MESSAGING_CONNECT_API_KEY and ACS_MESSAGING_CONNECT_COUNTRIES',
      ),
    );
  }
  return results;
}

function checkConnectionString(connectionString: string): CheckResult {
  // Parsed here rather than by the SDK: its error messages quote the whole string, access key included.
  const fields = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const split = part.indexOf('=');
    if (split > 0) fields.set(part.slice(0, split).trim().toLowerCase(), part.slice(split + 1).trim());
  }
  const endpoint = fields.get('endpoint') ?? '';
  const key = fields.get('accesskey') ?? '';
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch (error) {
    void error; // reported below as an unreadable endpoint
  }
  if (!url) return fail('ACS_CONNECTION_STRING has no readable endpoint', `copy the connection string from ${KEYS_PAGE}`);
  if (!isBase64(key)) return fail('ACS_CONNECTION_STRING has no valid access key', `copy the connection string from ${KEYS_PAGE}`);
  try {
    // Building the clients runs the SDK's own parsing without any network call.
    new SmsClient(connectionString);
    new CallAutomationClient(connectionString);
  } catch (error) {
    void error; // the SDK message contains the key: say only that it was refused
    return fail('ACS_CONNECTION_STRING was refused by the ACS SDK', `copy the connection string from ${KEYS_PAGE}`);
  }
  const title = `ACS connection string parses (resource ${url.origin}); SMS and Call Automation clients built`;
  return url.protocol === 'https:' ? ok(title) : warn(`${title}, but over plain http`, 'use the https endpoint from ' + KEYS_PAGE);
}

function isBase64(value: string): boolean {
  if (value === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').length > 0;
}
