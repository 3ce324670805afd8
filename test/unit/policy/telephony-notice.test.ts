import { parseRetirementDate, telephonyNotice } from '../../../src/policy/telephony-notice';

const RETIREMENT = '2027-02-01';

describe('telephonyNotice', () => {
  it.each([
    { today: '2026-11-27T09:00:00Z', provider: false, expected: 'before_retirement' },
    { today: '2027-01-31T23:59:59.999Z', provider: false, expected: 'before_retirement' },
    { today: '2027-02-01T00:00:00Z', provider: false, expected: 'after_retirement_no_provider' },
    { today: '2028-06-01T12:00:00Z', provider: false, expected: 'after_retirement_no_provider' },
    { today: '2026-11-27T09:00:00Z', provider: true, expected: 'none' },
    { today: '2027-02-01T00:00:00Z', provider: true, expected: 'none' },
  ] as const)('$today, provider configured $provider → $expected', ({ today, provider, expected }) => {
    expect(telephonyNotice({ today: new Date(today), retirementDate: RETIREMENT, providerConfigured: provider })).toBe(expected);
  });

  it('follows a configured date', () => {
    const today = new Date('2026-06-15T00:00:00Z');
    expect(telephonyNotice({ today, retirementDate: '2026-06-15', providerConfigured: false })).toBe('after_retirement_no_provider');
    expect(telephonyNotice({ today, retirementDate: '2026-06-16', providerConfigured: false })).toBe('before_retirement');
  });

  it.each(['2027-02-30', '2027-13-01', '27-02-01', '2027-2-1', ''])('rejects %p as a date', (value) => {
    expect(() => telephonyNotice({ today: new Date(), retirementDate: value, providerConfigured: true })).toThrow(RangeError);
  });
});

describe('parseRetirementDate', () => {
  it('is midnight UTC of the day', () => {
    expect(parseRetirementDate('2027-02-01')).toBe(Date.UTC(2027, 1, 1));
    expect(parseRetirementDate('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
  });
});
