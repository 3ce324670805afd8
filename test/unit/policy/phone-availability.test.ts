import { translator } from '../../../src/i18n/messages';
import { PhoneAvailability } from '../../../src/policy/phone-availability';
import type { PolicyMigrationState } from '../../../src/policy/phone-policy';
import { StaticPolicyReader } from '../../../src/policy/static-policy-reader';
import { ManualClock } from '../../fakes/manual-clock';

const PORTAL = 'https://mysignins.microsoft.com/security-info';

function availability(migrationState: PolicyMigrationState, off: { sms?: boolean; voice?: boolean; office?: boolean } = {}): PhoneAvailability {
  const clock = new ManualClock(Date.parse('2026-11-27T09:00:00Z'));
  return new PhoneAvailability({
    policy: new StaticPolicyReader({
      smsEnabled: !off.sms,
      voiceEnabled: !off.voice,
      officePhoneAllowed: !off.office,
      source: 'graph',
      migrationState,
    }),
    clock,
    retirementDate: '2027-02-01',
    providerConfigured: false,
    portalUrl: PORTAL,
  });
}

describe('PhoneAvailability and the policy migration state', () => {
  const everythingOff = { sms: true, voice: true, office: true };

  it('hides SMS, calls and office phones only once the migration is complete', async () => {
    expect(await availability('migrationComplete', everythingOff).policy()).toMatchObject({
      smsEnabled: false,
      voiceEnabled: false,
      officePhoneAllowed: false,
    });
  });

  it.each<PolicyMigrationState>(['preMigration', 'migrationInProgress', 'unknown'])(
    'offers SMS, calls and office phones in %s: the legacy MFA and SSPR settings may still allow them',
    async (state) => {
      expect(await availability(state, everythingOff).policy()).toEqual({
        smsEnabled: true,
        voiceEnabled: true,
        officePhoneAllowed: true,
        source: 'graph',
        migrationState: state,
      });
    },
  );

  it('refuses a phone for "both methods off" only on the word of a completed migration', async () => {
    const t = translator('en');
    expect(await availability('migrationComplete', { sms: true, voice: true }).refusal(t, 'en')).toBe(t('policy.phoneOff', { url: PORTAL }));
    expect(await availability('preMigration', { sms: true, voice: true }).refusal(t, 'en')).toBe('');
    expect(await availability('unknown', { sms: true, voice: true }).refusal(t, 'en')).toBe('');
  });

  it('keeps one method off when the migration is complete and the other on', async () => {
    expect(await availability('migrationComplete', { sms: true }).policy()).toMatchObject({ smsEnabled: false, voiceEnabled: true });
  });
});
