import { StaticPolicyReader } from '../../../src/policy/static-policy-reader';

describe('StaticPolicyReader', () => {
  it('allows everything by default (demo mode)', async () => {
    expect(await new StaticPolicyReader().read()).toEqual({
      smsEnabled: true,
      voiceEnabled: true,
      officePhoneAllowed: true,
      source: 'default',
      migrationState: 'migrationComplete',
    });
  });

  it('answers the state a test configures', async () => {
    const reader = new StaticPolicyReader({ smsEnabled: false, officePhoneAllowed: false, source: 'graph' });
    expect(await reader.read()).toEqual({
      smsEnabled: false,
      voiceEnabled: true,
      officePhoneAllowed: false,
      source: 'graph',
      migrationState: 'migrationComplete',
    });
  });
});
