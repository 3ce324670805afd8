import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../../src/config/load-config';
import { summarizeConfig } from '../../../src/config/summarize-config';

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

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

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
    const env = Object.fromEntries(readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8').split('\n').filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(Object.keys(env).length).toBeGreaterThan(40);
    expect(loadConfig(env).demoMode).toBe(true);
    const undocumented = CONFIG_VARIABLES.filter((name) => !(name in env));
    expect(undocumented).toEqual([]);
  });

  it('refuses demo mode in production with a clear message', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([expect.stringContaining('MICROSOFT_APP_ID is missing: production refuses demo mode')]);
  });

  it('reports every problem at once, each naming the variable', () => {
    const found = problems({ MICROSOFT_APP_ID: 'not-a-guid', DEFAULT_REGION: 'XX', ALLOWED_COUNTRIES: 'JP,ZZ', ALLOWED_PHONE_TYPES: 'mobile,fax' });
    expect(found).toEqual(expect.arrayContaining([
      expect.stringContaining('MICROSOFT_APP_ID is not a GUID'),
      expect.stringContaining('MICROSOFT_APP_TENANT_ID'),
      expect.stringContaining('MICROSOFT_APP_PASSWORD'),
      expect.stringContaining('VERIFICATION_SECRET'),
      expect.stringContaining('DEFAULT_REGION "XX"'),
      expect.stringContaining('ALLOWED_COUNTRIES has unknown regions (ZZ)'),
      expect.stringContaining('ALLOWED_PHONE_TYPES'),
    ]));
  });

  it('reports badly typed values with the fix', () => {
    expect(problems({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toEqual([
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
    expect(problems(withoutAcs)).toEqual([expect.stringContaining('ACS_CONNECTION_STRING (or ACS_ENDPOINT) is missing')]);
    expect(problems({ ...PROD, ACS_SMS_FROM: '', ACS_CALLER_ID: '0800', PUBLIC_BASE_URL: 'http://insecure.example' })).toEqual([
      expect.stringContaining('PUBLIC_BASE_URL must be an absolute https URL'),
      expect.stringContaining('ACS_SMS_FROM'),
      expect.stringContaining('ACS_CALLER_ID'),
    ]);
    expect(loadConfig(PROD).acs).toEqual(expect.objectContaining({ smsFrom: '+18005550100', callerId: '+18005550101' }));
  });

  it('requires the AI services endpoint in production, where every call speaks', () => {
    expect(problems({ ...PROD, ACS_COGNITIVE_SERVICES_ENDPOINT: '' })).toEqual([expect.stringContaining('ACS_COGNITIVE_SERVICES_ENDPOINT is missing: verification calls cannot speak')]);
    expect(problems({ ...PROD, ACS_COGNITIVE_SERVICES_ENDPOINT: 'http://contoso-ai.cognitiveservices.azure.com/' })).toEqual([expect.stringContaining('ACS_COGNITIVE_SERVICES_ENDPOINT is not an https URL')]);
    expect(problems({ ...PROD, NODE_ENV: 'development', ACS_COGNITIVE_SERVICES_ENDPOINT: '' })).toEqual([]);
    expect(loadConfig(PROD).acs?.cognitiveServicesEndpoint).toBe('https://contoso-ai.cognitiveservices.azure.com/');
  });

  it('reads Messaging Connect for the listed countries and checks its settings together', () => {
    const mc = { ACS_MESSAGING_CONNECT_PARTNER: 'infobip', ACS_MESSAGING_CONNECT_API_KEY: MC_KEY, ACS_MESSAGING_CONNECT_COUNTRIES: 'jp' };
    expect(loadConfig({ ...PROD, ...mc }).acs?.messagingConnect).toEqual({ partner: 'infobip', apiKey: MC_KEY, countries: ['JP'], from: '+18005550100' });
    expect(loadConfig({ ...PROD, ...mc, ACS_MESSAGING_CONNECT_FROM: '+818012340000' }).acs?.messagingConnect?.from).toBe('+818012340000');
    expect(loadConfig(PROD).acs?.messagingConnect).toBeUndefined();
    const found = problems({ ...PROD, ACS_MESSAGING_CONNECT_PARTNER: 'acme', ACS_MESSAGING_CONNECT_COUNTRIES: 'JP,ZZ' });
    expect(found).toEqual([
      expect.stringContaining('ACS_MESSAGING_CONNECT_PARTNER must be one of infobip'),
      expect.stringContaining('ACS_MESSAGING_CONNECT_API_KEY is missing'),
      expect.stringContaining('ACS_MESSAGING_CONNECT_COUNTRIES has unknown regions (ZZ)'),
    ]);
    expect(problems({ ...PROD, ACS_MESSAGING_CONNECT_API_KEY: MC_KEY }).join('\n')).not.toContain(MC_KEY);
  });

  it('summarizes without secrets', () => {
    const summary = JSON.stringify(summarizeConfig(loadConfig({
      ...PROD, ACS_MESSAGING_CONNECT_PARTNER: 'infobip', ACS_MESSAGING_CONNECT_API_KEY: MC_KEY, ACS_MESSAGING_CONNECT_COUNTRIES: 'JP',
    })));
    expect(summary).not.toContain(MC_KEY);
    expect(summary).toContain('infobip');
    expect(summary).not.toContain(PROD.MICROSOFT_APP_PASSWORD);
    expect(summary).not.toContain(PROD.VERIFICATION_SECRET);
    expect(summary).not.toContain('bm90LWEtcmVhbC1rZXk=');
    expect(summary).toContain(PROD.MICROSOFT_APP_ID);
  });
});
