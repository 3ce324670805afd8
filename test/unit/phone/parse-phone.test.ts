import { parsePhone } from '../../../src/phone/parse-phone';
import type { PhoneRejection, PhoneType } from '../../../src/phone/phone-types';

/** One typed number and what must come out: a Graph number (starts with `+`) or a rejection code. */
interface Row {
  readonly input: string;
  readonly region: string;
  readonly expected: string;
  readonly type?: PhoneType;
  readonly extension?: string;
  readonly allowed?: readonly string[];
  /** A number already registered in Entra (step-up): its extension is accepted, never dialled. */
  readonly registered?: boolean;
  /** Checked only where given. */
  readonly sms?: boolean;
}

const rows: readonly Row[] = [
  // Japan: national and international forms, separators, (0), full-width input
  { input: '090-1234-5678', region: 'JP', expected: '+81 9012345678', sms: true },
  { input: '09012345678', region: 'JP', expected: '+81 9012345678', sms: true },
  { input: '０９０-１２３４-５６７８', region: 'JP', expected: '+81 9012345678', sms: true },
  { input: '０９０－１２３４－５６７８', region: 'JP', expected: '+81 9012345678' },
  { input: '090ー1234ー5678', region: 'JP', expected: '+81 9012345678' },
  { input: '＋８１ ９０ １２３４ ５６７８', region: 'US', expected: '+81 9012345678' },
  { input: '+81 (0)90-1234-5678', region: 'JP', expected: '+81 9012345678' },
  { input: '  080.1234.5678  ', region: 'JP', expected: '+81 8012345678', sms: true },
  { input: '(070) 1234 5678', region: 'JP', expected: '+81 7012345678', sms: true },
  { input: '٠٩٠١٢٣٤٥٦٧٨', region: 'JP', expected: '+81 9012345678' },
  { input: '+81 90 1234 5678', region: '', expected: '+81 9012345678' },
  { input: '092-802-2111', region: 'JP', type: 'office', expected: '+81 928022111', sms: false },
  { input: '092-802-2111', region: 'JP', type: 'alternateMobile', expected: '+81 928022111', sms: false },
  // Japan: extensions of registered office phones, typed or in the field (step-up reads them)
  { input: '092-802-2111 ext. 1234', region: 'JP', type: 'office', registered: true, expected: '+81 928022111x1234' },
  { input: '(092) 802-2111', region: 'JP', type: 'office', extension: '1234', registered: true, expected: '+81 928022111x1234' },
  { input: '092-802-2111', region: 'JP', type: 'office', extension: ' x 55 ', registered: true, expected: '+81 928022111x55' },
  { input: '092-802-2111 内線 12', region: 'JP', type: 'office', registered: true, expected: '+81 928022111x12' },
  { input: '092-802-2111 x１２', region: 'JP', type: 'office', registered: true, expected: '+81 928022111x12' },
  { input: '092-802-2111 #12', region: 'JP', type: 'office', extension: '12', registered: true, expected: '+81 928022111x12' },
  { input: '092-802-2111', region: 'JP', type: 'office', extension: '', registered: true, expected: '+81 928022111' },
  // Japan: extensions refused on registered numbers of other types, or malformed
  { input: '092-802-2111', region: 'JP', type: 'mobile', extension: '12', registered: true, expected: 'extension_not_allowed' },
  { input: '090-1234-5678 #12', region: 'JP', type: 'mobile', registered: true, expected: 'extension_not_allowed' },
  { input: '092-802-2111 x12', region: 'JP', type: 'alternateMobile', registered: true, expected: 'extension_not_allowed' },
  { input: '092-802-2111', region: 'JP', type: 'office', extension: '12345678901', registered: true, expected: 'invalid_extension' },
  { input: '092-802-2111 ext. 12a', region: 'JP', type: 'office', registered: true, expected: 'invalid_extension' },
  { input: '092-802-2111 x', region: 'JP', type: 'office', registered: true, expected: 'invalid_extension' },
  { input: '092-802-2111 x12', region: 'JP', type: 'office', extension: '34', registered: true, expected: 'invalid_extension' },
  // A new number with an extension: sign-in calls never dial it, so it is refused whatever the type
  { input: '092-802-2111 ext. 1234', region: 'JP', type: 'office', expected: 'extension_not_dialed' },
  { input: '092-802-2111', region: 'JP', type: 'office', extension: '1234', expected: 'extension_not_dialed' },
  { input: '092-802-2111 内線 12', region: 'JP', type: 'office', expected: 'extension_not_dialed' },
  { input: '092-802-2111 x１２', region: 'JP', type: 'office', expected: 'extension_not_dialed' },
  { input: '092-802-2111 x', region: 'JP', type: 'office', expected: 'extension_not_dialed' },
  { input: '090-1234-5678 #12', region: 'JP', type: 'mobile', expected: 'extension_not_dialed' },
  { input: '092-802-2111', region: 'JP', type: 'office', extension: '', expected: '+81 928022111' },
  // Japan: refused number types (PLATFORM.md)
  { input: '050-1234-5678', region: 'JP', expected: 'voip' },
  { input: '0120-123-456', region: 'JP', expected: 'toll_free' },
  { input: '0800-123-4567', region: 'JP', expected: 'toll_free' },
  { input: '0570-123-456', region: 'JP', expected: 'uan' },
  { input: '0990-123-456', region: 'JP', expected: 'premium_rate' },
  { input: '020-1234-5678', region: 'JP', expected: 'pager' },
  // Input that is not a number at all
  { input: '', region: 'JP', expected: 'empty' },
  { input: '   ', region: 'JP', expected: 'empty' },
  { input: '\u3000', region: 'JP', expected: 'empty' },
  { input: 'abc', region: 'JP', expected: 'not_a_number' },
  { input: '090-CALL-ME', region: 'JP', expected: 'not_a_number' },
  { input: '1 800 FLOWERS', region: 'US', expected: 'not_a_number' },
  { input: '---', region: 'JP', expected: 'not_a_number' },
  { input: '090', region: 'JP', expected: 'too_short' },
  { input: '+81', region: 'JP', expected: 'too_short' },
  { input: '+81 90 1234 5678 9012 3456', region: 'JP', expected: 'too_long' },
  { input: '9'.repeat(120), region: 'JP', expected: 'too_long' },
  // Length caps: checked on the typed text before it is normalized, with room for what NFKC shortens
  { input: '\u{1D7D8}\u{1D7E1}\u{1D7D8}-\u{1D7D9}\u{1D7DA}\u{1D7DB}\u{1D7DC}-\u{1D7DD}\u{1D7DE}\u{1D7DF}\u{1D7E0}', region: 'JP', expected: '+81 9012345678' },
  { input: `${' '.repeat(150)}090-1234-5678`, region: 'JP', expected: '+81 9012345678' },
  { input: `${' '.repeat(200)}090-1234-5678`, region: 'JP', expected: 'too_long' },
  { input: '03-1234-5678', region: 'JP', type: 'office', extension: `ext. ${' '.repeat(30)}12`, registered: true, expected: '+81 312345678x12' },
  { input: '03-1234-5678', region: 'JP', type: 'office', extension: `${' '.repeat(40)}12`, registered: true, expected: 'invalid_extension' },
  { input: '090 1234 5678', region: 'ZZ', expected: 'invalid_country' },
  { input: '090 1234 5678', region: '', expected: 'invalid_country' },
  { input: '+881 6 1234 5678', region: 'JP', expected: 'invalid_country' },
  { input: '+800 1234 5678', region: 'JP', expected: 'toll_free' },
  // United States
  { input: '(206) 555-5555', region: 'US', expected: '+1 2065555555', sms: true },
  { input: '206.555.5555', region: 'US', expected: '+1 2065555555', sms: true },
  { input: '+1 206-555-5555', region: 'JP', expected: '+1 2065555555', sms: true },
  { input: '(206) 555-5555 x123', region: 'US', type: 'office', registered: true, expected: '+1 2065555555x123' },
  { input: '1-900-555-1234', region: 'US', expected: 'premium_rate' },
  { input: '1-800-555-1234', region: 'US', expected: 'toll_free' },
  { input: '1-500-555-1234', region: 'US', expected: 'personal_number' },
  { input: '201 555 55555', region: 'US', expected: 'too_long' },
  { input: '1-700-555-1234', region: 'US', expected: 'invalid_for_region' },
  // Canada
  { input: '416-555-0123', region: 'CA', expected: '+1 4165550123', sms: true },
  { input: '+1 613 555 0123', region: 'JP', allowed: ['JP'], expected: 'country_not_allowed' },
  { input: '+1 613 555 0123', region: 'JP', allowed: ['JP', 'CA'], expected: '+1 6135550123' },
  // United Kingdom (and the Isle of Man, which shares +44)
  { input: '07400 123456', region: 'GB', expected: '+44 7400123456', sms: true },
  { input: '+44 (0)20 7946 0958', region: 'GB', type: 'office', expected: '+44 2079460958', sms: false },
  { input: '0871 123 4567', region: 'GB', expected: 'premium_rate' },
  { input: '0800 123 4567', region: 'GB', expected: 'toll_free' },
  { input: '0300 123 4567', region: 'GB', expected: 'uan' },
  { input: '056 1234 5678', region: 'GB', expected: 'voip' },
  { input: '070 1234 5678', region: 'GB', expected: 'personal_number' },
  { input: '076 0012 3456', region: 'GB', expected: 'pager' },
  { input: '07700 900123', region: 'GB', expected: 'invalid_for_region' },
  { input: '07624 123456', region: 'GB', expected: '+44 7624123456' },
  { input: '07624 123456', region: 'GB', allowed: ['GB'], expected: 'country_not_allowed' },
  { input: '+44 871 123 4567', region: 'JP', allowed: ['JP'], expected: 'country_not_allowed' },
  // Germany
  { input: '0151 23456789', region: 'DE', expected: '+49 15123456789', sms: true },
  { input: '+49 (0)30 1234567', region: 'DE', type: 'office', expected: '+49 301234567', sms: false },
  { input: '030/1234567', region: 'DE', type: 'office', extension: '89', registered: true, expected: '+49 301234567x89' },
  { input: '030/1234567', region: 'DE', type: 'office', extension: '89', expected: 'extension_not_dialed' },
  { input: '0180 5 123456', region: 'DE', expected: 'shared_cost' },
  { input: '0900 1 234567', region: 'DE', expected: 'premium_rate' },
  { input: '0700 12345678', region: 'DE', expected: 'personal_number' },
  { input: '0177 991 234567', region: 'DE', expected: 'voicemail' },
  { input: '0800 1234567', region: 'DE', expected: 'toll_free' },
  // India
  { input: '98765 43210', region: 'IN', expected: '+91 9876543210', sms: true },
  { input: '+91 (0)22 2266 1234', region: 'IN', expected: '+91 2222661234', sms: false },
  { input: '1860 123 4567', region: 'IN', expected: 'shared_cost' },
  { input: '1800 123 4567', region: 'IN', expected: 'toll_free' },
  // Brazil
  { input: '(11) 91234-5678', region: 'BR', expected: '+55 11912345678', sms: true },
  { input: '(11) 3123-4567', region: 'BR', type: 'office', expected: '+55 1131234567', sms: false },
  { input: '0300 123 4567', region: 'BR', expected: 'shared_cost' },
  { input: '0800 123 4567', region: 'BR', expected: 'toll_free' },
  // Australia
  { input: '0412 345 678', region: 'AU', expected: '+61 412345678', sms: true },
  { input: '(02) 9876 5432', region: 'AU', type: 'office', expected: '+61 298765432' },
  { input: '1300 123 456', region: 'AU', expected: 'shared_cost' },
  { input: '1900 123 456', region: 'AU', expected: 'premium_rate' },
  // France
  { input: '06 12 34 56 78', region: 'FR', expected: '+33 612345678', sms: true },
  { input: '+33 (0)1 23 45 67 89', region: 'FR', type: 'office', extension: '42', registered: true, expected: '+33 123456789x42' },
  { input: '+1 206 555 0123 x42', region: 'US', type: 'office', expected: 'extension_not_dialed' },
  { input: '09 12 34 56 78', region: 'FR', expected: 'voip' },
  { input: '0891 12 34 56', region: 'FR', expected: 'premium_rate' },
  { input: '0810 12 34 56', region: 'FR', expected: 'shared_cost' },
  { input: '0806 12 34 56', region: 'FR', expected: 'uan' },
  // Korea
  { input: '010-1234-5678', region: 'KR', expected: '+82 1012345678', sms: true },
  { input: '02-123-4567', region: 'KR', type: 'office', expected: '+82 21234567', sms: false },
  { input: '070-1234-5678', region: 'KR', expected: 'voip' },
  { input: '060-234-5678', region: 'KR', expected: 'premium_rate' },
  // Switzerland and Italy
  { input: '+41 860 12 345 67 89', region: 'CH', expected: 'voicemail' },
  { input: '+39 06 1234 5678', region: 'IT', type: 'office', expected: '+39 0612345678' },
  // Allow-list: case-insensitive, and the number's own country is what counts
  { input: '090-1234-5678', region: 'JP', allowed: ['jp'], expected: '+81 9012345678' },
  { input: '090-1234-5678', region: 'JP', allowed: ['US'], expected: 'country_not_allowed' },
  { input: '+81 90 1234 5678', region: 'US', allowed: ['US'], expected: 'country_not_allowed' },
  { input: '+81 90 1234 5678', region: 'US', allowed: [], expected: '+81 9012345678' },
];

const rejections: readonly PhoneRejection[] = [
  'empty',
  'not_a_number',
  'too_short',
  'too_long',
  'invalid_country',
  'invalid_for_region',
  'country_not_allowed',
  'premium_rate',
  'shared_cost',
  'voip',
  'toll_free',
  'uan',
  'pager',
  'voicemail',
  'personal_number',
  'invalid_extension',
  'extension_not_allowed',
  'extension_not_dialed',
];

const parse = (row: Row) =>
  parsePhone({
    number: row.input,
    region: row.region,
    phoneType: row.type ?? 'mobile',
    ...(row.extension === undefined ? {} : { extension: row.extension }),
    ...(row.allowed === undefined ? {} : { allowedCountries: row.allowed }),
    ...(row.registered ? { acceptExtension: true } : {}),
  });

describe('parsePhone', () => {
  it.each(rows.map((r) => [r.input, r.region, r.type ?? 'mobile', r.extension ?? '', r.expected, r] as const))(
    '%j in %s as %s (ext %j) → %s',
    (_input, _region, _type, _ext, expected, row) => {
      const result = parse(row);
      if (expected.startsWith('+')) {
        expect(result).toMatchObject({ ok: true, phone: { graphNumber: expected } });
        if (row.sms !== undefined && result.ok) expect(result.phone.canReceiveSms).toBe(row.sms);
      } else {
        expect(result).toEqual({ ok: false, error: expected });
      }
    },
  );

  it('gives the usual rejection for input far longer than a number, typed or in the extension field', () => {
    const huge = 256 * 1024;
    expect(parsePhone({ number: '.'.repeat(huge), region: 'JP', phoneType: 'mobile' })).toEqual({ ok: false, error: 'too_long' });
    expect(parsePhone({ number: '０'.repeat(huge), region: 'JP', phoneType: 'mobile' })).toEqual({ ok: false, error: 'too_long' });
    expect(parsePhone({ number: '03-1234-5678', extension: '1'.repeat(huge), region: 'JP', phoneType: 'office' })).toEqual({
      ok: false,
      error: 'extension_not_dialed',
    });
    // A registered office phone's extension is still read (its main number is called), with the same cap.
    expect(parsePhone({ number: '03-1234-5678', extension: '1'.repeat(huge), region: 'JP', phoneType: 'office', acceptExtension: true })).toEqual({
      ok: false,
      error: 'invalid_extension',
    });
    expect(parsePhone({ number: '090-1234-5678', extension: ' '.repeat(huge), region: 'JP', phoneType: 'mobile', acceptExtension: true })).toEqual({
      ok: false,
      error: 'extension_not_allowed',
    });
  });

  it('covers every rejection code and enough countries', () => {
    const expected = new Set(rows.map((r) => r.expected));
    expect(rejections.filter((code) => !expected.has(code))).toEqual([]);
    const countries = new Set(
      rows.flatMap((r) => {
        const result = parse(r);
        return result.ok ? [result.phone.region] : [];
      }),
    );
    expect(countries.size).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeGreaterThanOrEqual(50);
  });

  it('returns every form the bot needs for a mobile number', () => {
    expect(parsePhone({ number: '０９０-１２３４-５６７８', region: 'JP', phoneType: 'mobile' })).toEqual({
      ok: true,
      phone: {
        graphNumber: '+81 9012345678',
        e164: '+819012345678',
        region: 'JP',
        countryCallingCode: '81',
        nationalNumber: '9012345678',
        canReceiveSms: true,
      },
    });
  });

  it('keeps the extension of a registered number out of the E.164 form: it is never dialled', () => {
    expect(parsePhone({ number: '092-802-2111 ext. 1234', region: 'JP', phoneType: 'office', acceptExtension: true })).toEqual({
      ok: true,
      phone: {
        graphNumber: '+81 928022111x1234',
        e164: '+81928022111',
        region: 'JP',
        countryCallingCode: '81',
        nationalNumber: '928022111',
        extension: '1234',
        canReceiveSms: false,
      },
    });
  });

  it('takes the region from a number typed in international form', () => {
    const result = parsePhone({ number: '+1 613 555 0123', region: 'JP', phoneType: 'mobile' });
    expect(result).toMatchObject({ ok: true, phone: { region: 'CA', e164: '+16135550123', canReceiveSms: true } });
  });
});
