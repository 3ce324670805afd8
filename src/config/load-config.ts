import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isKnownRegion } from '../phone/country-list';
import { PHONE_TYPES, type PhoneType } from '../phone/phone-types';
import type { Config } from './config';

/** Raised when the environment cannot run the service; lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_FREQUENT = 'US,GB,JP,DE,FR,IN,BR,AU,CA';

/** Reads the variables as strings with defaults; cross-field rules come after, so every problem is reported. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(4 * 1024 * 1024).default(256 * 1024),
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
});

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
};

function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}

/** Validates the environment and returns the typed config, or throws ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  const parsed = envSchema.safeParse(env);
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
    problems.push('MICROSOFT_APP_ID is missing: production refuses demo mode; set it to the bot\'s Entra app id (see .env.example)');
  }
  if (!demoMode) {
    if (!GUID.test(e.MICROSOFT_APP_ID)) problems.push('MICROSOFT_APP_ID is not a GUID: set it to the Application (client) ID of the bot\'s Entra app');
    if (!GUID.test(e.MICROSOFT_APP_TENANT_ID)) problems.push('MICROSOFT_APP_TENANT_ID is missing or not a GUID: set it to your Directory (tenant) ID');
    if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && e.MICROSOFT_APP_PASSWORD === '') {
      problems.push('MICROSOFT_APP_PASSWORD is missing: set it to a client secret of the bot\'s Entra app (or use MICROSOFT_APP_TYPE=UserAssignedMSI)');
    }
    if (e.VERIFICATION_SECRET.length < 32) {
      problems.push('VERIFICATION_SECRET is missing or shorter than 32 characters: set it to a long random value, e.g. `node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64\'))"`');
    }
    if (!e.GRAPH_BASE_URL.startsWith('https://')) problems.push('GRAPH_BASE_URL must use https: Graph tokens are only sent over https');
  }

  if (!isKnownRegion(e.DEFAULT_REGION)) problems.push(`DEFAULT_REGION "${e.DEFAULT_REGION}" is not a known region: use an ISO 3166 code such as JP or US`);
  const frequent = splitList(e.FREQUENT_COUNTRIES).map((r) => r.toUpperCase());
  const unknownFrequent = frequent.filter((r) => !isKnownRegion(r));
  if (unknownFrequent.length > 0) problems.push(`FREQUENT_COUNTRIES has unknown regions (${unknownFrequent.join(', ')}): use ISO 3166 codes separated by commas`);

  // Production defaults to the home country alone (SMS pumping and toll fraud); the demo shows every country.
  const allowedRaw = e.ALLOWED_COUNTRIES ?? (demoMode ? '*' : e.DEFAULT_REGION);
  const allowed = allowedRaw.trim() === '*' ? [] : splitList(allowedRaw).map((r) => r.toUpperCase());
  const unknownAllowed = allowed.filter((r) => !isKnownRegion(r));
  if (unknownAllowed.length > 0) problems.push(`ALLOWED_COUNTRIES has unknown regions (${unknownAllowed.join(', ')}): use ISO 3166 codes separated by commas, or * for all`);
  if (allowed.length > 0 && isKnownRegion(e.DEFAULT_REGION) && !allowed.includes(e.DEFAULT_REGION)) {
    problems.push(`DEFAULT_REGION ${e.DEFAULT_REGION} is not in ALLOWED_COUNTRIES: add it or choose another default`);
  }

  const types = splitList(e.ALLOWED_PHONE_TYPES);
  const badTypes = types.filter((t) => !(PHONE_TYPES as readonly string[]).includes(t));
  if (badTypes.length > 0 || types.length === 0) problems.push(`ALLOWED_PHONE_TYPES must list some of ${PHONE_TYPES.join(', ')} (got "${e.ALLOWED_PHONE_TYPES}")`);

  if (problems.length > 0) throw new ConfigError(problems);

  const secretGenerated = e.VERIFICATION_SECRET === '';
  return {
    nodeEnv: e.NODE_ENV,
    demoMode,
    server: { host: e.HOST, port: e.PORT, maxBodyBytes: e.MAX_BODY_BYTES },
    log: { level: e.LOG_LEVEL, pretty: (e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty')) === 'pretty' },
    bot: { appId: e.MICROSOFT_APP_ID, appPassword: e.MICROSOFT_APP_PASSWORD, appType: e.MICROSOFT_APP_TYPE, tenantId: e.MICROSOFT_APP_TENANT_ID },
    graph: { baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, '') },
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
  };
}
