import { loadConfig } from '../../../src/config/load-config';
import { summarizeConfig } from '../../../src/config/summarize-config';
import { DeliveryRouteTable } from '../../../src/verification/delivery-routes';
import { configProblems } from '../../support/config-problems';

const BOT = {
  NODE_ENV: 'production',
  MICROSOFT_APP_ID: '6f1c1d5e-2b7a-4c58-9c0e-1d2e3f4a5b6c',
  MICROSOFT_APP_PASSWORD: 'not-a-real-secret-value',
  MICROSOFT_APP_TENANT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  VERIFICATION_SECRET: 'v'.repeat(44),
  PUBLIC_BASE_URL: 'https://mfa-bot.contoso.example',
  DEFAULT_REGION: 'JP',
};
const ACS = {
  ACS_CONNECTION_STRING: 'endpoint=https://contoso.communication.azure.com/;accesskey=bm90LWEtcmVhbC1rZXk=',
  ACS_SMS_FROM: '+18005550100',
  ACS_CALLER_ID: '+18005550101',
  ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
};
const AUTH_TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_SMS_FROM: '+15005550006',
  TWILIO_CALLER_ID: '+15005550007',
};

describe('Twilio and delivery-route settings', () => {
  it('starts production with Twilio alone, routing everything through it', () => {
    const config = loadConfig({ ...BOT, ...TWILIO });
    expect(config.acs).toBeUndefined();
    expect(config.twilio).toMatchObject({ accountSid: TWILIO.TWILIO_ACCOUNT_SID, smsFrom: '+15005550006', callerId: '+15005550007' });
    expect(new DeliveryRouteTable(config.deliveryRoutes).toString()).toBe('*=twilio');
  });

  it('routes through ACS by default when both providers are configured', () => {
    const config = loadConfig({ ...BOT, ...ACS, ...TWILIO });
    expect(new DeliveryRouteTable(config.deliveryRoutes).toString()).toBe('*=acs');
  });

  it("does not ask for ACS's AI endpoint when ACS is not configured", () => {
    expect(configProblems({ ...BOT, ...TWILIO })).toEqual([]);
  });

  it('names every Twilio problem at once without echoing secrets', () => {
    const found = configProblems({
      ...BOT,
      TWILIO_ACCOUNT_SID: 'AC123',
      TWILIO_API_KEY: 'key-secret-looking',
      TWILIO_SMS_FROM: '0800',
      TWILIO_API_BASE_URL: 'https://evil.example',
    });
    expect(found).toEqual([
      expect.stringContaining('TWILIO_ACCOUNT_SID is missing or invalid'),
      expect.stringContaining('TWILIO_AUTH_TOKEN is missing'),
      expect.stringContaining('TWILIO_API_KEY is missing or invalid'),
      expect.stringContaining('TWILIO_API_SECRET is missing'),
      expect.stringContaining('TWILIO_SMS_FROM is missing or invalid'),
      expect.stringContaining('TWILIO_CALLER_ID is missing or invalid'),
      expect.stringContaining('TWILIO_API_BASE_URL must be https://api.twilio.com'),
    ]);
    expect(found.join('\n')).not.toContain('key-secret-looking');
    expect(found[1]).toContain('signature');
  });

  it('asks for the account when only a Twilio sender is set in production', () => {
    expect(configProblems({ ...BOT, ...ACS, TWILIO_SMS_FROM: '+15005550006' })).toEqual([
      expect.stringContaining('TWILIO_ACCOUNT_SID is missing or invalid'),
      expect.stringContaining('TWILIO_AUTH_TOKEN is missing'),
      expect.stringContaining('TWILIO_CALLER_ID is missing or invalid'),
    ]);
  });

  it('accepts a Messaging Service SID as the sender and an API key with its secret', () => {
    const config = loadConfig({
      ...BOT,
      ...TWILIO,
      TWILIO_SMS_FROM: `MG${'a'.repeat(32)}`,
      TWILIO_API_KEY: `SK${'b'.repeat(32)}`,
      TWILIO_API_SECRET: 'api-secret-not-real',
    });
    expect(config.twilio).toMatchObject({ smsFrom: `MG${'a'.repeat(32)}`, apiKey: `SK${'b'.repeat(32)}`, apiSecret: 'api-secret-not-real' });
  });

  it('refuses Twilio settings in demo mode, naming them', () => {
    expect(configProblems({ TWILIO_ACCOUNT_SID: TWILIO.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN })).toEqual([
      expect.stringMatching(/Demo mode .* TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN are set/),
    ]);
  });

  it('reads a route table per country and channel', () => {
    const config = loadConfig({ ...BOT, ...ACS, ...TWILIO, ALLOWED_COUNTRIES: 'JP,US', DELIVERY_ROUTES: 'JP:sms=twilio, JP:voice=acs, *=acs' });
    const table = new DeliveryRouteTable(config.deliveryRoutes);
    expect([table.providerFor('JP', 'sms'), table.providerFor('JP', 'voice'), table.providerFor('US', 'sms')]).toEqual(['twilio', 'acs', 'acs']);
  });

  it.each([
    ['JP:sms', 'is not COUNTRY[:sms|voice]=PROVIDER'],
    ['JP=sms,*=acs', 'names provider "sms"'],
    ['JP:fax=acs,*=acs', 'names channel "fax"'],
    ['JP=vonage,*=acs', 'names provider "vonage"'],
    ['JP=acs,JP=twilio', 'repeats an entry for JP'],
    ['XX=acs,*=acs', 'unknown regions (XX)'],
  ])('refuses DELIVERY_ROUTES=%s (%s)', (routes, message) => {
    expect(configProblems({ ...BOT, ...ACS, ...TWILIO, DELIVERY_ROUTES: routes })).toEqual([expect.stringContaining(message)]);
  });

  it('requires a route for every allowed country and channel, and only configured providers', () => {
    expect(configProblems({ ...BOT, ...ACS, ...TWILIO, ALLOWED_COUNTRIES: 'JP,US', DELIVERY_ROUTES: 'JP=twilio,US:sms=acs' })).toEqual([
      expect.stringContaining('no call (voice) route for US'),
    ]);
    expect(configProblems({ ...BOT, ...ACS, ALLOWED_COUNTRIES: 'JP', DELIVERY_ROUTES: 'JP:sms=twilio,*=acs' })).toEqual([
      expect.stringContaining('through twilio, which is not configured'),
    ]);
    expect(configProblems({ ...BOT, ...TWILIO, ALLOWED_COUNTRIES: '*', DELIVERY_ROUTES: 'JP=twilio' })).toEqual([
      expect.stringContaining('no text (sms) route for every country'),
      expect.stringContaining('no call (voice) route for every country'),
    ]);
  });

  it('summarizes Twilio without its secrets', () => {
    const apiSecret = 'api-secret-never-logged';
    const line = JSON.stringify(summarizeConfig(loadConfig({ ...BOT, ...TWILIO, TWILIO_API_KEY: `SK${'b'.repeat(32)}`, TWILIO_API_SECRET: apiSecret })));
    expect(line).toContain(TWILIO.TWILIO_ACCOUNT_SID);
    expect(line).toContain('*=twilio');
    expect(line).not.toContain(AUTH_TOKEN);
    expect(line).not.toContain(apiSecret);
  });
});
