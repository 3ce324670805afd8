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

describe('retirement notice texts', () => {
  function noticeAt(iso: string, locale: 'en' | 'ja'): string {
    return new PhoneAvailability({
      policy: new StaticPolicyReader(),
      clock: new ManualClock(Date.parse(iso)),
      retirementDate: '2027-02-01',
      providerConfigured: false,
      portalUrl: PORTAL,
    }).noticeText(translator(locale), locale);
  }

  it.each([
    ['en', ['February 1, 2027', 'sign-in and password-reset', 'Microsoft Security Store', 'Since 1 September 2026', 'passkey']],
    ['ja', ['2027年2月1日以降', 'サインインとパスワード リセット', 'Microsoft Security Store', '2026 年 9 月 1 日以降', 'パスキー']],
  ] as const)('before the date (%s) say when delivery ends, for sign-in and password reset, the Security Store and the passkey prompt', (locale, facts) => {
    const text = noticeAt('2026-12-02T09:00:00Z', locale);
    for (const fact of facts) expect(text).toContain(fact);
  });

  it.each([
    ['en', ['Since February 1, 2027', 'not set up its own telecom provider', PORTAL]],
    ['ja', ['2027年2月1日以降', '独自の通信事業者を設定していない', PORTAL]],
  ] as const)('after the date (%s) say why a phone would not work and where to go instead', (locale, facts) => {
    const text = noticeAt('2027-02-01T00:00:00Z', locale);
    for (const fact of facts) expect(text).toContain(fact);
  });
});

describe('texts that send people to change a number', () => {
  it.each(['en', 'ja'] as const)('point to the bot\'s own "Change or remove" button, not the portal (%s)', (locale) => {
    const t = translator(locale);
    const button = t('welcome.manage');
    for (const key of ['welcome.allRegistered', 'typeError.type_already_registered'] as const) {
      const text = t(key, { type: t('type.mobile') });
      expect(text).toContain(button);
      expect(text).not.toMatch(/Security info|セキュリティ情報/);
    }
  });
});
