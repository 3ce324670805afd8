import { demoExposureWarning } from '../../../src/config/demo-exposure';
import { loadConfig } from '../../../src/config/load-config';

const PROD = {
  MICROSOFT_APP_ID: '6f1c1d5e-2b7a-4c58-9c0e-1d2e3f4a5b6c',
  MICROSOFT_APP_PASSWORD: 'not-a-real-secret-value',
  MICROSOFT_APP_TENANT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  VERIFICATION_SECRET: 'v'.repeat(44),
  ACS_CONNECTION_STRING: 'endpoint=https://contoso.communication.azure.com/;accesskey=bm90LWEtcmVhbC1rZXk=',
  ACS_SMS_FROM: '+18005550100',
  ACS_CALLER_ID: '+18005550101',
  PUBLIC_BASE_URL: 'https://mfa-bot.contoso.example',
};

describe('demoExposureWarning', () => {
  it('says nothing for the demo on its default loopback address', () => {
    expect(demoExposureWarning(loadConfig({}))).toBeUndefined();
  });

  it.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('says nothing for the demo on loopback HOST=%s', (host) => {
    expect(demoExposureWarning(loadConfig({ HOST: host }))).toBeUndefined();
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'devbox.contoso.example', '::ffff:10.0.0.4', '128.0.0.1'])(
    'warns when HOST=%s opens the demo to other machines',
    (host) => {
      const warning = demoExposureWarning(loadConfig({ HOST: host }));
      expect(warning).toContain(`HOST=${host}`);
      expect(warning).toContain('anyone who can reach this port can talk to the anonymous bot');
      expect(warning).toContain('/demo/messages');
      expect(warning).toContain('Remove HOST to listen on 127.0.0.1 only');
    },
  );

  it('says nothing in production, where every interface is the default and the bot authenticates', () => {
    expect(demoExposureWarning(loadConfig(PROD))).toBeUndefined();
    expect(demoExposureWarning(loadConfig({ ...PROD, HOST: '0.0.0.0' }))).toBeUndefined();
  });
});
