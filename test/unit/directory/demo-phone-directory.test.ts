import { DemoPhoneDirectory, type DemoDirectorySeed } from '../../../src/directory/demo-phone-directory';
import { DirectoryError, type DirectoryErrorCode, type NewPhoneMethod } from '../../../src/directory/phone-directory';

const MOBILE: NewPhoneMethod = { phoneType: 'mobile', phoneNumber: '+81 9012345678' };
const OFFICE: NewPhoneMethod = { phoneType: 'office', phoneNumber: '+81 928022111x123' };

async function errorCodeOf(promise: Promise<unknown>): Promise<DirectoryErrorCode | 'no error'> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    if (error instanceof DirectoryError) return error.code;
    throw error;
  }
}

describe('DemoPhoneDirectory', () => {
  it.each<[string, readonly NewPhoneMethod[], NewPhoneMethod, DirectoryErrorCode | 'no error']>([
    ['first mobile', [], MOBILE, 'no error'],
    ['second mobile', [MOBILE], { phoneType: 'mobile', phoneNumber: '+81 8011112222' }, 'type_already_registered'],
    ['same mobile again', [MOBILE], MOBILE, 'type_already_registered'],
    ['alternate without mobile', [], { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' }, 'alternate_requires_mobile'],
    ['alternate with only office', [OFFICE], { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' }, 'alternate_requires_mobile'],
    ['alternate after mobile', [MOBILE], { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' }, 'no error'],
    ['office with extension', [], OFFICE, 'no error'],
    ['second office', [OFFICE], { phoneType: 'office', phoneNumber: '+1 2065555555' }, 'type_already_registered'],
    ['number without the space', [], { phoneType: 'mobile', phoneNumber: '+819012345678' }, 'invalid_phone_format'],
    ['national form', [], { phoneType: 'mobile', phoneNumber: '090 12345678' }, 'invalid_phone_format'],
    ['dashes', [], { phoneType: 'mobile', phoneNumber: '+81 90-1234-5678' }, 'invalid_phone_format'],
    ['country code too long', [], { phoneType: 'mobile', phoneNumber: '+8123 9012345678' }, 'invalid_phone_format'],
    ['too few digits', [], { phoneType: 'mobile', phoneNumber: '+81 123' }, 'invalid_phone_format'],
    ['empty extension', [], { phoneType: 'office', phoneNumber: '+1 2065555555x' }, 'invalid_phone_format'],
  ])('%s', async (_name, seeded, method, expected) => {
    const directory = new DemoPhoneDirectory({ u1: seeded });
    expect(await errorCodeOf(directory.addPhoneMethod('u1', method))).toBe(expected);
    const list = await directory.listPhoneMethods('u1');
    expect(list).toHaveLength(seeded.length + (expected === 'no error' ? 1 : 0));
  });

  it("returns Graph's fixed id for each type", async () => {
    const directory = new DemoPhoneDirectory();
    const mobile = await directory.addPhoneMethod('u1', MOBILE);
    const alternate = await directory.addPhoneMethod('u1', { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' });
    const office = await directory.addPhoneMethod('u1', OFFICE);
    expect([mobile.id, alternate.id, office.id]).toEqual([
      '3179e48a-750b-4051-897c-87b9720928f7',
      'b6332ec1-7057-4abe-9331-3d72feddfe41',
      'e37fc753-ff3b-4958-9484-eaa9425c82bc',
    ]);
    expect(mobile).toEqual({ id: '3179e48a-750b-4051-897c-87b9720928f7', ...MOBILE });
  });

  it('keeps users apart', async () => {
    const seed: DemoDirectorySeed = { u1: [MOBILE] };
    const directory = new DemoPhoneDirectory(seed);
    expect(await directory.listPhoneMethods('u2')).toEqual([]);
    await directory.addPhoneMethod('u2', MOBILE);
    expect(await directory.listPhoneMethods('u1')).toHaveLength(1);
    expect(await directory.listPhoneMethods('u2')).toHaveLength(1);
  });

  it('hands out copies, not what it stores', async () => {
    const directory = new DemoPhoneDirectory({ u1: [MOBILE] });
    const listed = await directory.listPhoneMethods('u1');
    Object.assign(listed[0] ?? {}, { phoneNumber: '+1 2065555555' });
    listed.pop();
    const created = await directory.addPhoneMethod('u1', OFFICE);
    Object.assign(created, { phoneNumber: '+1 2065555555' });
    expect(await directory.listPhoneMethods('u1')).toEqual([
      { id: '3179e48a-750b-4051-897c-87b9720928f7', ...MOBILE },
      { id: 'e37fc753-ff3b-4958-9484-eaa9425c82bc', ...OFFICE },
    ]);
  });

  it('refuses a seed that breaks the rules', () => {
    expect(() => new DemoPhoneDirectory({ u1: [MOBILE, MOBILE] })).toThrow(DirectoryError);
  });
});
