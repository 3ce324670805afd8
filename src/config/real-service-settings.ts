/**
 * Settings that reach something real: delivery that costs money, or a credential or address that
 * reaches a tenant. Demo mode is anonymous (no Bot Framework auth, invented user ids, every country),
 * so it refuses to start while any of them is set: whoever reaches the demo would otherwise spend them.
 * A new delivery provider's variables go in this list.
 *
 * Left out on purpose: the ACS sender numbers and callback checks (nothing is sent without a
 * connection string or endpoint), PUBLIC_BASE_URL and TEAMS_APP_ID (addresses and ids, no
 * credential), and blob storage (the demo may keep its own state there).
 */
export const REAL_SERVICE_SETTINGS = [
  // Real texts and calls, paid for by the ACS resource.
  'ACS_CONNECTION_STRING',
  'ACS_ENDPOINT',
  // Real texts and calls, paid for by the Twilio account.
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_API_KEY',
  'TWILIO_API_SECRET',
  // The bot's Entra app: a client secret, or the host's managed identity, both get Graph tokens.
  'MICROSOFT_APP_PASSWORD',
  'MICROSOFT_APP_TYPE',
  // The tenant the bot would serve and write to.
  'MICROSOFT_APP_TENANT_ID',
  // A Graph other than the default one is a national cloud's: only a tenant's bot needs it.
  'GRAPH_BASE_URL',
] as const;

type RealServiceSetting = (typeof REAL_SERVICE_SETTINGS)[number];

/**
 * The real-service settings whose value differs from the default. A default (Graph's public address,
 * SingleTenant) reaches nothing by itself, so .env.example copied as it is still runs the demo.
 */
export function realServiceSettingsIn<T extends Readonly<Record<RealServiceSetting, unknown>>>(values: T, defaults: T): RealServiceSetting[] {
  return REAL_SERVICE_SETTINGS.filter((name) => values[name] !== defaults[name]);
}

/** The start-up problem for a demo given real-service settings: names each one and both ways out. */
export function demoConflictProblem(names: readonly string[]): string {
  const list = names.join(', ');
  return (
    `Demo mode (MICROSOFT_APP_ID empty) is anonymous and may not use real services, yet ${list} ${names.length === 1 ? 'is' : 'are'} set: ` +
    `either add the bot's credentials (MICROSOFT_APP_ID and the rest of the bot identity, see .env.example) to run in production, ` +
    `or remove ${list} to run the demo`
  );
}
