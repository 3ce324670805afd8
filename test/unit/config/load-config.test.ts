import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../../../src/config/load-config';
import { REAL_SERVICE_SETTINGS } from '../../../src/config/real-service-settings';
import { summarizeConfig } from '../../../src/config/summarize-config';
import { configProblems } from '../../support/config-problems';

const PROD = {
  NODE_ENV: 'production',
  MICROSOFT_APP_ID: '6f1c1d5e-2b7a-4c58-9c0e-1d2e3f4a5b6c',
  MICROSOFT_APP_PASSWORD: 'not-a-real-secret-value',
  MICROSOFT_APP_TENANT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  VERIFICATION_SECRET: 'v'.repeat(44),
  ACS_CONNECTION_STRING: 'endpoint=https://contoso.communication.azure.com/;accesskey=bm90LWEtcmVhbC1rZXk=',
  ACS_SMS_FROM: '+18005550100',
  ACS_CALLER_ID: '+18005550101',
  ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
  PUBLIC_BASE_URL: 'https://mfa-bot.contoso.example',
};
const MC_KEY = 'infobip-api-key-not-real-9f3e';

describe('loadConfig', () => {
  it('runs in demo mode with no credentials, with safe defaults', () => {
    const config = loadConfig({});
    expect(config.demoMode).toBe(true);
    expect(config.server.port).toBe(3978);
    expect(config.phone.allowedCountries).toEqual([]);
    expect(config.verification.secretGenerated).toBe(true);
    expect(config.verification.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('accepts .env.example as it is (empty values mean defaults)', () => {
    const env = Object.fromEntries(
      readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z0-9_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).length).toBeGreaterThan(40);
    expect(loadConfig(env).demoMode).toBe(true);
    const undocumented = CONFIG_VARIABLES.filter((name) => !(name in env));
    expect(undocumented).toEqual([]);
  });

  it('refuses demo mode in production with a clear message', () => {
    expect(configProblems({ NODE_ENV: 'production' })).toEqual([expect.stringContaining('MICROSOFT_APP_ID is missing: production refuses demo mode')]);
  });

  /** A value that reaches something real, for each real-service setting. */
  const REAL_VALUES: Record<string, string> = {
    ACS_CONNECTION_STRING: PROD.ACS_CONNECTION_STRING,
    ACS_ENDPOINT: 'https://contoso.communication.azure.com',
    MICROSOFT_APP_PASSWORD: PROD.MICROSOFT_APP_PASSWORD,
    MICROSOFT_APP_TYPE: 'UserAssignedMSI',
    MICROSOFT_APP_TENANT_ID: PROD.MICROSOFT_APP_TENANT_ID,
    GRAPH_BASE_URL: 'https://graph.microsoft.us',
    TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'b'.repeat(32),
    TWILIO_API_KEY: `SK${'c'.repeat(32)}`,
    TWILIO_API_SECRET: 'd'.repeat(32),
  };

  it("has a refusal case for every real-service setting (a new provider's variables get one too)", () => {
    expect(Object.keys(REAL_VALUES).sort()).toEqual([...REAL_SERVICE_SETTINGS].sort());
  });

  it.each(Object.entries(REAL_VALUES))('refuses demo mode with the real-service setting %s, naming it and both ways out', (name, value) => {
    const found = configProblems({ [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`yet ${name} is set`);
    expect(found[0]).toContain("add the bot's credentials (MICROSOFT_APP_ID");
    expect(found[0]).toContain(`or remove ${name} to run the demo`);
    expect(found[0]).not.toContain(value);
  });

  it('names every real-service setting of a half-filled production .env in one problem', () => {
    const { MICROSOFT_APP_ID: _id, NODE_ENV: _env, ...withoutAppId } = PROD;
    expect(configProblems(withoutAppId)).toEqual([
      expect.stringContaining('yet ACS_CONNECTION_STRING, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID are set'),
    ]);
  });

  it('lets the demo keep blob storage, the ACS numbers alone and the default Graph and app type', () => {
    const config = loadConfig({
      STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      VERIFICATION_SECRET: 'v'.repeat(44),
      ACS_SMS_FROM: '+18005550100',
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      MICROSOFT_APP_TYPE: 'SingleTenant',
    });
    expect(config.demoMode).toBe(true);
    expect(config.acs).toBeUndefined();
    expect(config.storage).toBeDefined();
  });

  it('listens on loopback in demo mode and on every interface in production, unless HOST says otherwise', () => {
    expect(loadConfig({}).server.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).server.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).server.host).toBe('0.0.0.0');
    expect(loadConfig(PROD).server.host).toBe('0.0.0.0');
    expect(loadConfig({ ...PROD, HOST: '10.0.0.4' }).server.host).toBe('10.0.0.4');
  });

  it('reports every problem at once, each naming the variable', () => {
    const found = configProblems({ MICROSOFT_APP_ID: 'not-a-guid', DEFAULT_REGION: 'XX', ALLOWED_COUNTRIES: 'JP,ZZ', ALLOWED_PHONE_TYPES: 'mobile,fax' });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('MICROSOFT_APP_ID is not a GUID'),
        expect.stringContaining('MICROSOFT_APP_TENANT_ID'),
        expect.stringContaining('MICROSOFT_APP_PASSWORD'),
        expect.stringContaining('VERIFICATION_SECRET'),
        expect.stringContaining('DEFAULT_REGION "XX"'),
        expect.stringContaining('ALLOWED_COUNTRIES has unknown regions (ZZ)'),
        expect.stringContaining('ALLOWED_PHONE_TYPES'),
      ]),
    );
  });

  it('reports badly typed values with the fix', () => {
    expect(configProblems({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toEqual([
      expect.stringMatching(/^PORT is invalid .*port number/),
      expect.stringMatching(/^LOG_LEVEL is invalid .*fatal, error/),
    ]);
  });

  it('limits production to the home country unless the admin says otherwise', () => {
    expect(loadConfig({ ...PROD, DEFAULT_REGION: 'JP' }).phone.allowedCountries).toEqual(['JP']);
    expect(loadConfig({ ...PROD, DEFAULT_REGION: 'JP', ALLOWED_COUNTRIES: '*' }).phone.allowedCountries).toEqual([]);
    expect(loadConfig({ ...PROD, DEFAULT_REGION: 'JP', ALLOWED_COUNTRIES: 'jp, us' }).phone.allowedCountries).toEqual(['JP', 'US']);
  });

  it('requires a real delivery in production and checks the ACS settings', () => {
    const { ACS_CONNECTION_STRING: _cs, ...withoutAcs } = PROD;
    expect(configProblems(withoutAcs)).toEqual([expect.stringContaining('ACS_CONNECTION_STRING (or ACS_ENDPOINT) is missing')]);
    expect(configProblems({ ...PROD, ACS_SMS_FROM: '', ACS_CALLER_ID: '0800', PUBLIC_BASE_URL: 'http://insecure.example' })).toEqual([
      expect.stringContaining('PUBLIC_BASE_URL must be an absolute https URL'),
      expect.stringContaining('ACS_SMS_FROM'),
      expect.stringContaining('ACS_CALLER_ID'),
    ]);
    expect(loadConfig(PROD).acs).toEqual(expect.objectContaining({ smsFrom: '+18005550100', callerId: '+18005550101' }));
  });

  it.each([
    ['https://graph.microsoft.com', true],
    ['https://127.0.0.1:8443', true],
    ['https://localhost:9443/', true],
    ['https://graph.microsoft.us', false],
    ['https://microsoftgraph.chinacloudapi.cn', false],
    ['https://graph.contoso.example', false],
  ] as const)('GRAPH_BASE_URL %s in production: accepted %s (national clouds would keep public-cloud sign-in and scope)', (url, accepted) => {
    const found = configProblems({ ...PROD, GRAPH_BASE_URL: url });
    if (accepted) expect(found).toEqual([]);
    else
      expect(found).toEqual([
        expect.stringMatching(/^GRAPH_BASE_URL .* is not the public cloud's Graph: national clouds are not supported .*; use https:\/\/graph\.microsoft\.com$/),
      ]);
  });

  it('checks TEAMS_CATALOG_APP_ID and AZURE_CLIENT_ID are GUIDs when set', () => {
    expect(configProblems({ ...PROD, TEAMS_CATALOG_APP_ID: 'catalog', AZURE_CLIENT_ID: 'identity' })).toEqual([
      expect.stringMatching(/^TEAMS_CATALOG_APP_ID is not a GUID: copy the App ID from Teams admin center/),
      expect.stringMatching(/^AZURE_CLIENT_ID is not a GUID/),
    ]);
    const config = loadConfig({ ...PROD, TEAMS_CATALOG_APP_ID: '876df28f-2e78-423b-94a5-44181bd0e225' });
    expect(config.teamsApp.catalogAppId).toBe('876df28f-2e78-423b-94a5-44181bd0e225');
  });

  it("takes Teams' service URL for campaigns from TEAMS_SERVICE_URL, the global endpoint by default, https only", () => {
    expect(loadConfig(PROD).teamsApp.serviceUrl).toBe('https://smba.trafficmanager.net/teams/');
    expect(loadConfig({ ...PROD, TEAMS_SERVICE_URL: 'https://smba.infra.gcc.teams.microsoft.com/gcc' }).teamsApp.serviceUrl).toBe(
      'https://smba.infra.gcc.teams.microsoft.com/gcc/',
    );
    expect(configProblems({ ...PROD, TEAMS_SERVICE_URL: 'http://smba.trafficmanager.net/teams/' })).toEqual([
      expect.stringMatching(/^TEAMS_SERVICE_URL is not an https URL: use the Teams service URL of your cloud/),
    ]);
    expect(configProblems({ ...PROD, TEAMS_SERVICE_URL: 'teams' })).toEqual([
      expect.stringMatching(/^TEAMS_SERVICE_URL is invalid .*smba\.trafficmanager\.net/),
    ]);
  });

  it('requires the AI services endpoint in production, where every call speaks', () => {
    expect(configProblems({ ...PROD, ACS_COGNITIVE_SERVICES_ENDPOINT: '' })).toEqual([
      expect.stringContaining('ACS_COGNITIVE_SERVICES_ENDPOINT is missing: verification calls cannot speak'),
    ]);
    expect(configProblems({ ...PROD, ACS_COGNITIVE_SERVICES_ENDPOINT: 'http://contoso-ai.cognitiveservices.azure.com/' })).toEqual([
      expect.stringContaining('ACS_COGNITIVE_SERVICES_ENDPOINT is not an https URL'),
    ]);
    expect(configProblems({ ...PROD, NODE_ENV: 'development', ACS_COGNITIVE_SERVICES_ENDPOINT: '' })).toEqual([]);
    expect(loadConfig(PROD).acs?.cognitiveServicesEndpoint).toBe('https://contoso-ai.cognitiveservices.azure.com/');
  });

  it('reads Messaging Connect for the listed countries and checks its settings together', () => {
    const mc = { ACS_MESSAGING_CONNECT_PARTNER: 'infobip', ACS_MESSAGING_CONNECT_API_KEY: MC_KEY, ACS_MESSAGING_CONNECT_COUNTRIES: 'jp' };
    expect(loadConfig({ ...PROD, ...mc }).acs?.messagingConnect).toEqual({ partner: 'infobip', apiKey: MC_KEY, countries: ['JP'], from: '+18005550100' });
    expect(loadConfig({ ...PROD, ...mc, ACS_MESSAGING_CONNECT_FROM: '+818012340000' }).acs?.messagingConnect?.from).toBe('+818012340000');
    expect(loadConfig(PROD).acs?.messagingConnect).toBeUndefined();
    const found = configProblems({ ...PROD, ACS_MESSAGING_CONNECT_PARTNER: 'acme', ACS_MESSAGING_CONNECT_COUNTRIES: 'JP,ZZ' });
    expect(found).toEqual([
      expect.stringContaining('ACS_MESSAGING_CONNECT_PARTNER must be one of infobip'),
      expect.stringContaining('ACS_MESSAGING_CONNECT_API_KEY is missing'),
      expect.stringContaining('ACS_MESSAGING_CONNECT_COUNTRIES has unknown regions (ZZ)'),
    ]);
    expect(configProblems({ ...PROD, ACS_MESSAGING_CONNECT_API_KEY: MC_KEY }).join('\n')).not.toContain(MC_KEY);
  });

  it('summarizes without secrets', () => {
    const summary = JSON.stringify(
      summarizeConfig(
        loadConfig({
          ...PROD,
          ACS_MESSAGING_CONNECT_PARTNER: 'infobip',
          ACS_MESSAGING_CONNECT_API_KEY: MC_KEY,
          ACS_MESSAGING_CONNECT_COUNTRIES: 'JP',
        }),
      ),
    );
    expect(summary).not.toContain(MC_KEY);
    expect(summary).toContain('infobip');
    expect(summary).not.toContain(PROD.MICROSOFT_APP_PASSWORD);
    expect(summary).not.toContain(PROD.VERIFICATION_SECRET);
    expect(summary).not.toContain('bm90LWEtcmVhbC1rZXk=');
    expect(summary).toContain(PROD.MICROSOFT_APP_ID);
  });
});
