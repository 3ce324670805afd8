import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isKnownRegion } from '../phone/country-list';
import { PHONE_TYPES, type PhoneType } from '../phone/phone-types';
import { parseRetirementDate } from '../policy/telephony-notice';
import { stripTrailing } from '../text/strip-trailing';
import type { Config } from './config';
import { demoConflictProblem, realServiceSettingsIn } from './real-service-settings';
import { deliveryRoutesFrom } from './delivery-routes-settings';
import { twilioConfig, twilioProblems, twilioWanted } from './twilio-settings';
import type { DeliveryProvider } from '../verification/delivery-routes';

/** Raised when the environment cannot run the service; lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PUBLIC_GRAPH_HOST = 'graph.microsoft.com';
/** Hosts of local Graph fakes (tests, development): the bot's token scope is Graph's, so these only ever see a fake token. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEFAULT_FREQUENT = 'US,GB,JP,DE,FR,IN,BR,AU,CA';

/** Reads the variables as strings with defaults; cross-field rules come after, so every problem is reported. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // No default here: the demo listens on loopback, production on every interface (decided below).
  HOST: z.string().trim().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 * 1024)
    .default(256 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  MICROSOFT_APP_ID: z.string().trim().default(''),
  MICROSOFT_APP_PASSWORD: z.string().default(''),
  MICROSOFT_APP_TYPE: z.enum(['SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
  MICROSOFT_APP_TENANT_ID: z.string().trim().default(''),
  GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com'),
  DEFAULT_REGION: z.string().trim().toUpperCase().default('US'),
  FREQUENT_COUNTRIES: z.string().default(DEFAULT_FREQUENT),
  ALLOWED_COUNTRIES: z.string().optional(),
  ALLOWED_PHONE_TYPES: z.string().default(PHONE_TYPES.join(',')),
  VERIFICATION_SECRET: z.string().default(''),
  CALLER_ID_DISPLAY: z.string().trim().default(''),
  DEMO_PLAYGROUND: z.enum(['true', 'false']).default('true'),
  DEMO_CALL_ANSWER_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  HELPDESK_CONTACT: z.string().trim().default(''),
  PORTAL_URL: z.string().url().default('https://mysignins.microsoft.com/security-info'),
  PUBLIC_BASE_URL: z.string().trim().default(''),
  TEAMS_APP_ID: z.string().trim().default(''),
  TEAMS_CATALOG_APP_ID: z.string().trim().default(''),
  TEAMS_SERVICE_URL: z.string().trim().url().default('https://smba.trafficmanager.net/teams/'),
  AZURE_CLIENT_ID: z.string().trim().default(''),
  ACS_CONNECTION_STRING: z.string().trim().default(''),
  ACS_ENDPOINT: z.string().trim().default(''),
  ACS_SMS_FROM: z.string().trim().default(''),
  ACS_CALLER_ID: z.string().trim().default(''),
  ACS_CALLBACK_JWT_AUDIENCE: z.string().trim().default(''),
  ACS_CALLBACK_JWKS_URL: z.string().trim().default(''),
  ACS_COGNITIVE_SERVICES_ENDPOINT: z.string().trim().default(''),
  ACS_MESSAGING_CONNECT_PARTNER: z.string().trim().default(''),
  ACS_MESSAGING_CONNECT_API_KEY: z.string().trim().default(''),
  ACS_MESSAGING_CONNECT_COUNTRIES: z.string().default(''),
  ACS_MESSAGING_CONNECT_FROM: z.string().trim().default(''),
  TWILIO_ACCOUNT_SID: z.string().trim().default(''),
  TWILIO_AUTH_TOKEN: z.string().trim().default(''),
  TWILIO_API_KEY: z.string().trim().default(''),
  TWILIO_API_SECRET: z.string().trim().default(''),
  TWILIO_SMS_FROM: z.string().trim().default(''),
  TWILIO_CALLER_ID: z.string().trim().default(''),
  TWILIO_API_BASE_URL: z.string().trim().default(''),
  DELIVERY_ROUTES: z.string().default(''),
  SEND_LIMIT_USER_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  SEND_LIMIT_USER_PER_DAY: z.coerce.number().int().min(1).max(10_000).default(10),
  SEND_LIMIT_NUMBER_PER_10MIN: z.coerce.number().int().min(1).max(1000).default(3),
  SEND_LIMIT_COUNTRY_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(200),
  ACCOUNT_GUARD_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(20),
  ACCOUNT_GUARD_BLOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .default(24 * 60),
  STORAGE_CONNECTION_STRING: z.string().trim().default(''),
  STORAGE_CONTAINER: z.string().trim().default('phone-mfa-bot-state'),
  TELEPHONY_PROVIDER_CONFIGURED: z.enum(['true', 'false']).default('false'),
  PHONE_MFA_RETIREMENT_DATE: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default('2027-02-01'),
  ALLOWED_GROUP_ID: z.string().trim().default(''),
  FIRST_PHONE_POLICY: z.enum(['allow', 'portal']).default('allow'),
});

/** Every variable the service reads (the .env.example test checks each is documented). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** The value of every variable when it is not set. */
const DEFAULTS = envSchema.parse({});

const FIX: Record<string, string> = {
  NODE_ENV: 'use development, production or test',
  PORT: 'use a port number between 0 and 65535',
  MAX_BODY_BYTES: 'use a size in bytes between 1024 and 4194304',
  LOG_LEVEL: 'use one of fatal, error, warn, info, debug, trace, silent',
  LOG_FORMAT: 'use json or pretty',
  MICROSOFT_APP_TYPE: 'use SingleTenant or UserAssignedMSI (new multi-tenant bots cannot be created)',
  GRAPH_BASE_URL: 'use an absolute https URL such as https://graph.microsoft.com',
  DEMO_PLAYGROUND: 'use true or false',
  DEMO_CALL_ANSWER_DELAY_MS: 'use milliseconds between 0 and 60000',
  PORTAL_URL: 'use an absolute URL such as https://mysignins.microsoft.com/security-info',
  SEND_LIMIT_USER_PER_HOUR: 'use a whole number of sends (default 5)',
  SEND_LIMIT_USER_PER_DAY: 'use a whole number of sends (default 10)',
  SEND_LIMIT_NUMBER_PER_10MIN: 'use a whole number of sends (default 3)',
  SEND_LIMIT_COUNTRY_PER_DAY: 'use a whole number of sends (default 200)',
  ACCOUNT_GUARD_MAX_FAILURES: 'use a whole number between 1 and 100 (default 20)',
  ACCOUNT_GUARD_BLOCK_MINUTES: 'use minutes between 1 and 43200 (default 1440)',
  TELEPHONY_PROVIDER_CONFIGURED: 'use true or false',
  PHONE_MFA_RETIREMENT_DATE: 'use a date as YYYY-MM-DD',
  TWILIO_API_BASE_URL: "leave it empty (Twilio's own address is used)",
  TEAMS_SERVICE_URL:
    'use the Teams service URL of your cloud: https://smba.trafficmanager.net/teams/ (commercial), https://smba.infra.gcc.teams.microsoft.com/gcc (GCC), https://smba.infra.gov.teams.microsoft.us/gcch (GCC High)',
  FIRST_PHONE_POLICY: 'use allow (a first phone may be added in the chat) or portal (first methods are registered on the Security info page)',
};

/** Production callbacks must reach us over https; the demo may use http on a developer machine. */
function isHttpsUrl(value: string, demoMode: boolean): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (demoMode && url.protocol === 'http:');
  } catch {
    return false;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Partners Messaging Connect routes through today (public preview). */
const MESSAGING_CONNECT_PARTNERS: readonly string[] = ['infobip'];

/**
 * The Azure AI services endpoint ACS speaks the prompts with. Text-to-speech works only on calls
 * created with it, so production (where every verification call speaks) cannot run without it.
 */
function cognitiveServicesProblems(endpoint: string, production: boolean): string[] {
  const fix =
    'set it to the endpoint of the Azure AI services (multi-service) resource connected to the ACS resource, e.g. https://contoso-ai.cognitiveservices.azure.com/ (see docs/admin.md)';
  if (endpoint === '') return production ? [`ACS_COGNITIVE_SERVICES_ENDPOINT is missing: verification calls cannot speak without it; ${fix}`] : [];
  try {
    if (new URL(endpoint).protocol === 'https:') return [];
  } catch {
    // reported below
  }
  return [`ACS_COGNITIVE_SERVICES_ENDPOINT is not an https URL: ${fix}`];
}

/** Messaging Connect (public preview) settings: all three together, a known partner, known countries. */
function messagingConnectProblems(e: {
  readonly ACS_MESSAGING_CONNECT_PARTNER: string;
  readonly ACS_MESSAGING_CONNECT_API_KEY: string;
  readonly ACS_MESSAGING_CONNECT_COUNTRIES: string;
  readonly ACS_MESSAGING_CONNECT_FROM: string;
}): string[] {
  const countries = splitList(e.ACS_MESSAGING_CONNECT_COUNTRIES).map((r) => r.toUpperCase());
  const anySet =
    e.ACS_MESSAGING_CONNECT_PARTNER !== '' || e.ACS_MESSAGING_CONNECT_API_KEY !== '' || countries.length > 0 || e.ACS_MESSAGING_CONNECT_FROM !== '';
  if (!anySet) return [];
  const problems: string[] = [];
  if (!MESSAGING_CONNECT_PARTNERS.includes(e.ACS_MESSAGING_CONNECT_PARTNER)) {
    problems.push(
      `ACS_MESSAGING_CONNECT_PARTNER must be one of ${MESSAGING_CONNECT_PARTNERS.join(', ')} (the Messaging Connect partner that leased your numbers)`,
    );
  }
  // The key itself is never echoed: it is a secret.
  if (e.ACS_MESSAGING_CONNECT_API_KEY === '')
    problems.push("ACS_MESSAGING_CONNECT_API_KEY is missing: set it to the API key from your Messaging Connect partner's portal");
  const unknown = countries.filter((r) => !isKnownRegion(r));
  if (countries.length === 0) problems.push('ACS_MESSAGING_CONNECT_COUNTRIES is missing: list the countries texted through Messaging Connect, e.g. JP');
  if (unknown.length > 0)
    problems.push(`ACS_MESSAGING_CONNECT_COUNTRIES has unknown regions (${unknown.join(', ')}): use ISO 3166 codes separated by commas, e.g. JP`);
  if (e.ACS_MESSAGING_CONNECT_FROM && !/^(\+\d{6,15}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/.test(e.ACS_MESSAGING_CONNECT_FROM)) {
    problems.push(
      'ACS_MESSAGING_CONNECT_FROM is invalid: set it to the number (E.164) or sender id your Messaging Connect partner assigned, or leave it empty to use ACS_SMS_FROM',
    );
  }
  return problems;
}

/** Validates the environment and returns the typed config, or throws ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  // An empty variable (as copied from .env.example) means "not set": the default applies.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name} is invalid (${issue.message}): ${FIX[name] ?? 'check its value'}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const demoMode = e.MICROSOFT_APP_ID === '';

  if (demoMode && e.NODE_ENV === 'production') {
    problems.push("MICROSOFT_APP_ID is missing: production refuses demo mode; set it to the bot's Entra app id (see .env.example)");
  }
  const realServices = demoMode ? realServiceSettingsIn(e, DEFAULTS) : [];
  if (realServices.length > 0) problems.push(demoConflictProblem(realServices));
  if (!demoMode) {
    if (!GUID.test(e.MICROSOFT_APP_ID)) problems.push("MICROSOFT_APP_ID is not a GUID: set it to the Application (client) ID of the bot's Entra app");
    if (!GUID.test(e.MICROSOFT_APP_TENANT_ID)) problems.push('MICROSOFT_APP_TENANT_ID is missing or not a GUID: set it to your Directory (tenant) ID');
    if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && e.MICROSOFT_APP_PASSWORD === '') {
      problems.push("MICROSOFT_APP_PASSWORD is missing: set it to a client secret of the bot's Entra app (or use MICROSOFT_APP_TYPE=UserAssignedMSI)");
    }
    if (e.VERIFICATION_SECRET.length < 32) {
      problems.push(
        "VERIFICATION_SECRET is missing or shorter than 32 characters: set it to a long random value, e.g. `node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"`",
      );
    }
    if (!e.GRAPH_BASE_URL.startsWith('https://')) problems.push('GRAPH_BASE_URL must use https: Graph tokens are only sent over https');
    const graphHost = new URL(e.GRAPH_BASE_URL).hostname.toLowerCase();
    if (graphHost !== PUBLIC_GRAPH_HOST && !LOOPBACK_HOSTS.has(graphHost)) {
      // Sign-in (login.microsoftonline.com) and the token scope stay public-cloud: a national-cloud Graph root alone gets no usable token.
      problems.push(
        `GRAPH_BASE_URL ${graphHost} is not the public cloud's Graph: national clouds are not supported (sign-in and the token scope would stay public-cloud); use https://graph.microsoft.com`,
      );
    }
  }

  if (!isKnownRegion(e.DEFAULT_REGION)) problems.push(`DEFAULT_REGION "${e.DEFAULT_REGION}" is not a known region: use an ISO 3166 code such as JP or US`);
  const frequent = splitList(e.FREQUENT_COUNTRIES).map((r) => r.toUpperCase());
  const unknownFrequent = frequent.filter((r) => !isKnownRegion(r));
  if (unknownFrequent.length > 0)
    problems.push(`FREQUENT_COUNTRIES has unknown regions (${unknownFrequent.join(', ')}): use ISO 3166 codes separated by commas`);

  // Production defaults to the home country alone (SMS pumping and toll fraud); the demo shows every country.
  const allowedRaw = e.ALLOWED_COUNTRIES ?? (demoMode ? '*' : e.DEFAULT_REGION);
  const allowed = allowedRaw.trim() === '*' ? [] : splitList(allowedRaw).map((r) => r.toUpperCase());
  const unknownAllowed = allowed.filter((r) => !isKnownRegion(r));
  if (unknownAllowed.length > 0)
    problems.push(`ALLOWED_COUNTRIES has unknown regions (${unknownAllowed.join(', ')}): use ISO 3166 codes separated by commas, or * for all`);
  if (allowed.length > 0 && isKnownRegion(e.DEFAULT_REGION) && !allowed.includes(e.DEFAULT_REGION)) {
    problems.push(`DEFAULT_REGION ${e.DEFAULT_REGION} is not in ALLOWED_COUNTRIES: add it or choose another default`);
  }

  const types = splitList(e.ALLOWED_PHONE_TYPES);
  const badTypes = types.filter((t) => !(PHONE_TYPES as readonly string[]).includes(t));
  if (badTypes.length > 0 || types.length === 0)
    problems.push(`ALLOWED_PHONE_TYPES must list some of ${PHONE_TYPES.join(', ')} (got "${e.ALLOWED_PHONE_TYPES}")`);

  try {
    parseRetirementDate(e.PHONE_MFA_RETIREMENT_DATE);
  } catch {
    problems.push(`PHONE_MFA_RETIREMENT_DATE "${e.PHONE_MFA_RETIREMENT_DATE}" is not a calendar date: use YYYY-MM-DD, e.g. 2027-02-01`);
  }
  const publicBaseUrl = stripTrailing(e.PUBLIC_BASE_URL, '/');
  if (publicBaseUrl && !isHttpsUrl(publicBaseUrl, demoMode)) {
    problems.push("PUBLIC_BASE_URL must be an absolute https URL such as https://mfa-bot.contoso.com (the bot's public address)");
  }
  if (e.TEAMS_APP_ID && !GUID.test(e.TEAMS_APP_ID))
    problems.push('TEAMS_APP_ID is not a GUID: generate one once with `node -e "console.log(crypto.randomUUID())"` and keep it');
  if (!e.TEAMS_SERVICE_URL.startsWith('https://')) problems.push(`TEAMS_SERVICE_URL is not an https URL: ${FIX['TEAMS_SERVICE_URL']}`);
  if (e.TEAMS_CATALOG_APP_ID && !GUID.test(e.TEAMS_CATALOG_APP_ID)) {
    problems.push('TEAMS_CATALOG_APP_ID is not a GUID: copy the App ID from Teams admin center > Teams apps > Manage apps > the app, or leave it empty');
  }
  if (e.AZURE_CLIENT_ID && !GUID.test(e.AZURE_CLIENT_ID)) {
    problems.push('AZURE_CLIENT_ID is not a GUID: set it to the Client ID of the user-assigned managed identity, or leave it empty');
  }

  const acsWanted = e.ACS_CONNECTION_STRING !== '' || e.ACS_ENDPOINT !== '';
  // In demo mode ACS is refused above with the other real-service settings; its details would only add noise.
  if (acsWanted && !demoMode) {
    if (e.ACS_CONNECTION_STRING && !/^endpoint=https?:\/\/[^;]+;accesskey=.+/i.test(e.ACS_CONNECTION_STRING)) {
      problems.push(
        "ACS_CONNECTION_STRING is not an Azure Communication Services connection string: copy it from the resource's Keys page (endpoint=https://…;accesskey=…)",
      );
    }
    if (e.ACS_ENDPOINT && !/^https?:\/\//.test(e.ACS_ENDPOINT))
      problems.push('ACS_ENDPOINT must be the resource URL, e.g. https://contoso.communication.azure.com');
    if (!/^(\+\d{6,15}|[A-Za-z0-9 ]{1,11})$/.test(e.ACS_SMS_FROM) || !/[A-Za-z+]/.test(e.ACS_SMS_FROM)) {
      problems.push(
        'ACS_SMS_FROM is missing or invalid: set it to an SMS-enabled ACS number (+18005550100) or an alphanumeric sender id of up to 11 characters',
      );
    }
    if (!/^\+\d{6,15}$/.test(e.ACS_CALLER_ID))
      problems.push('ACS_CALLER_ID is missing or invalid: set it to a voice-enabled ACS number in E.164 form, e.g. +18005550100');
    if (!publicBaseUrl) problems.push("PUBLIC_BASE_URL is missing: voice callbacks need the bot's public https address");
    problems.push(...cognitiveServicesProblems(e.ACS_COGNITIVE_SERVICES_ENDPOINT, e.NODE_ENV === 'production'));
    problems.push(...messagingConnectProblems(e));
  }
  // In demo mode Twilio is refused above with the other real-service settings.
  const twilioOn = twilioWanted(e) && !demoMode;
  if (twilioOn) problems.push(...twilioProblems(e, publicBaseUrl));
  if (!demoMode && !acsWanted && !twilioOn) {
    problems.push(
      'ACS_CONNECTION_STRING (or ACS_ENDPOINT) is missing, and so is TWILIO_ACCOUNT_SID: production needs a telecom provider to send codes and make calls; configure Azure Communication Services, Twilio (TWILIO_ settings), or both (see docs/admin.md)',
    );
  }
  const configuredProviders: DeliveryProvider[] = demoMode ? [] : [...(acsWanted ? (['acs'] as const) : []), ...(twilioOn ? (['twilio'] as const) : [])];
  const deliveryRoutes = deliveryRoutesFrom(e.DELIVERY_ROUTES, configuredProviders, allowed);
  problems.push(...deliveryRoutes.problems);
  if (demoMode && e.STORAGE_CONNECTION_STRING && e.VERIFICATION_SECRET.length < 32) {
    // Instances sharing state must hash codes with the same key, or a code sent by one fails on another.
    problems.push('VERIFICATION_SECRET is missing or shorter than 32 characters: with shared storage every instance needs the same long random value');
    // (Outside demo mode the secret is required anyway, with its own message above.)
  }
  if (e.STORAGE_CONNECTION_STRING && !/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(e.STORAGE_CONTAINER)) {
    problems.push('STORAGE_CONTAINER must be a valid blob container name (3-63 lowercase letters, digits and single dashes)');
  }

  if (e.ALLOWED_GROUP_ID && !GUID.test(e.ALLOWED_GROUP_ID)) {
    problems.push('ALLOWED_GROUP_ID is not a GUID: set it to the Object ID of the Entra group whose members may use the bot, or leave it empty for everyone');
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const secretGenerated = e.VERIFICATION_SECRET === '';
  return {
    nodeEnv: e.NODE_ENV,
    demoMode,
    // The demo is anonymous: only this machine may reach it unless HOST says otherwise (main.ts then warns).
    server: { host: e.HOST ?? (demoMode ? '127.0.0.1' : '0.0.0.0'), port: e.PORT, maxBodyBytes: e.MAX_BODY_BYTES },
    log: { level: e.LOG_LEVEL, pretty: (e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty')) === 'pretty' },
    bot: { appId: e.MICROSOFT_APP_ID, appPassword: e.MICROSOFT_APP_PASSWORD, appType: e.MICROSOFT_APP_TYPE, tenantId: e.MICROSOFT_APP_TENANT_ID },
    graph: { baseUrl: stripTrailing(e.GRAPH_BASE_URL, '/') },
    phone: {
      defaultRegion: e.DEFAULT_REGION,
      frequentCountries: frequent,
      allowedCountries: allowed,
      allowedTypes: types as PhoneType[],
    },
    verification: {
      secret: secretGenerated ? randomBytes(32).toString('base64') : e.VERIFICATION_SECRET,
      secretGenerated,
      callerIdDisplay: e.CALLER_ID_DISPLAY,
    },
    demo: { playground: demoMode && e.DEMO_PLAYGROUND === 'true', callAnswerDelayMs: e.DEMO_CALL_ANSWER_DELAY_MS },
    helpdesk: { contact: e.HELPDESK_CONTACT, portalUrl: e.PORTAL_URL },
    publicBaseUrl,
    teamsApp: {
      appId: e.TEAMS_APP_ID,
      catalogAppId: e.TEAMS_CATALOG_APP_ID,
      // The connector client joins paths onto it: keep the trailing slash it expects.
      serviceUrl: e.TEAMS_SERVICE_URL.endsWith('/') ? e.TEAMS_SERVICE_URL : `${e.TEAMS_SERVICE_URL}/`,
    },
    acs: acsWanted
      ? {
          ...(e.ACS_CONNECTION_STRING ? { connectionString: e.ACS_CONNECTION_STRING } : { endpoint: e.ACS_ENDPOINT }),
          smsFrom: e.ACS_SMS_FROM,
          callerId: e.ACS_CALLER_ID,
          ...(e.ACS_CALLBACK_JWT_AUDIENCE ? { callbackJwtAudience: e.ACS_CALLBACK_JWT_AUDIENCE } : {}),
          ...(e.ACS_CALLBACK_JWKS_URL ? { callbackJwksUrl: e.ACS_CALLBACK_JWKS_URL } : {}),
          ...(e.ACS_COGNITIVE_SERVICES_ENDPOINT ? { cognitiveServicesEndpoint: e.ACS_COGNITIVE_SERVICES_ENDPOINT } : {}),
          ...(e.ACS_MESSAGING_CONNECT_API_KEY
            ? {
                messagingConnect: {
                  partner: e.ACS_MESSAGING_CONNECT_PARTNER,
                  apiKey: e.ACS_MESSAGING_CONNECT_API_KEY,
                  countries: splitList(e.ACS_MESSAGING_CONNECT_COUNTRIES).map((r) => r.toUpperCase()),
                  from: e.ACS_MESSAGING_CONNECT_FROM || e.ACS_SMS_FROM,
                },
              }
            : {}),
        }
      : undefined,
    twilio: twilioOn ? twilioConfig(e) : undefined,
    deliveryRoutes: deliveryRoutes.routes,
    limits: {
      userPerHour: e.SEND_LIMIT_USER_PER_HOUR,
      userPerDay: e.SEND_LIMIT_USER_PER_DAY,
      numberPer10Min: e.SEND_LIMIT_NUMBER_PER_10MIN,
      countryPerDay: e.SEND_LIMIT_COUNTRY_PER_DAY,
      guardMaxFailures: e.ACCOUNT_GUARD_MAX_FAILURES,
      guardBlockMinutes: e.ACCOUNT_GUARD_BLOCK_MINUTES,
    },
    storage: e.STORAGE_CONNECTION_STRING ? { connectionString: e.STORAGE_CONNECTION_STRING, container: e.STORAGE_CONTAINER } : undefined,
    telephony: { providerConfigured: e.TELEPHONY_PROVIDER_CONFIGURED === 'true', retirementDate: e.PHONE_MFA_RETIREMENT_DATE },
    access: { allowedGroupId: e.ALLOWED_GROUP_ID.toLowerCase(), firstPhonePolicy: e.FIRST_PHONE_POLICY },
  };
}
