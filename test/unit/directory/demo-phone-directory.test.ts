import { DemoPhoneDirectory, type DemoDefaultMethodSeed, type DemoDirectorySeed } from '../../../src/directory/demo-phone-directory';
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

describe('DemoPhoneDirectory changes and removals', () => {
  const MOBILE_ID = '3179e48a-750b-4051-897c-87b9720928f7';
  const ALTERNATE_ID = 'b6332ec1-7057-4abe-9331-3d72feddfe41';
  const OFFICE_ID = 'e37fc753-ff3b-4958-9484-eaa9425c82bc';
  const ALTERNATE: NewPhoneMethod = { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' };

  it.each<[string, readonly NewPhoneMethod[], string, string, DirectoryErrorCode | 'no error']>([
    ['mobile to a new number', [MOBILE], MOBILE_ID, '+81 8055556666', 'no error'],
    ['office with an extension', [OFFICE], OFFICE_ID, '+1 2065555555x42', 'no error'],
    ['to the same number', [MOBILE], MOBILE_ID, MOBILE.phoneNumber, 'no error'],
    ['to a number without the space', [MOBILE], MOBILE_ID, '+818055556666', 'invalid_phone_format'],
    ['to a national number', [MOBILE], MOBILE_ID, '080 55556666', 'invalid_phone_format'],
    ['a type the user lacks', [MOBILE], OFFICE_ID, '+81 928022111', 'method_not_found'],
    ['an unknown id with a bad number', [], 'nope', 'bad', 'method_not_found'],
  ])('update %s', async (_name, seeded, methodId, phoneNumber, expected) => {
    const directory = new DemoPhoneDirectory({ u1: seeded });
    const before = await directory.listPhoneMethods('u1');
    expect(await errorCodeOf(directory.updatePhoneMethod('u1', methodId, phoneNumber))).toBe(expected);
    const after = await directory.listPhoneMethods('u1');
    const changed = before.map((m) => (m.id === methodId ? { ...m, phoneNumber } : m));
    // Id and type stay; only the number changes, and only on success.
    expect(after).toEqual(expected === 'no error' ? changed : before);
  });

  it.each<[string, readonly NewPhoneMethod[], string, string | undefined, DirectoryErrorCode | 'no error']>([
    ['the only mobile', [MOBILE], MOBILE_ID, undefined, 'no error'],
    ['an alternate', [MOBILE, ALTERNATE], ALTERNATE_ID, undefined, 'no error'],
    ['an office next to a mobile', [MOBILE, OFFICE], OFFICE_ID, undefined, 'no error'],
    ['a mobile while an alternate exists', [MOBILE, ALTERNATE], MOBILE_ID, undefined, 'mobile_required_by_alternate'],
    ['the default method', [MOBILE, OFFICE], OFFICE_ID, OFFICE_ID, 'default_method'],
    ['a mobile that is the default, with an alternate', [MOBILE, ALTERNATE], MOBILE_ID, MOBILE_ID, 'default_method'],
    ['a phone while another method is the default', [MOBILE], MOBILE_ID, 'authenticator-1', 'no error'],
    ['a type the user lacks', [MOBILE], OFFICE_ID, undefined, 'method_not_found'],
    ['a non-phone method', [MOBILE], 'authenticator-1', undefined, 'method_not_found'],
  ])('delete %s', async (_name, seeded, methodId, defaultId, expected) => {
    const defaults: DemoDefaultMethodSeed = defaultId === undefined ? {} : { u1: defaultId };
    const directory = new DemoPhoneDirectory({ u1: seeded }, {}, defaults);
    expect(await errorCodeOf(directory.deletePhoneMethod('u1', methodId))).toBe(expected);
    const ids = (await directory.listPhoneMethods('u1')).map((m) => m.id);
    const seededIds = seeded.map((m) => ({ mobile: MOBILE_ID, alternateMobile: ALTERNATE_ID, office: OFFICE_ID })[m.phoneType]);
    expect(ids).toEqual(expected === 'no error' ? seededIds.filter((id) => id !== methodId) : seededIds);
  });

  it('allows the mobile to go once the alternate is gone', async () => {
    const directory = new DemoPhoneDirectory({ u1: [MOBILE, ALTERNATE] });
    await directory.deletePhoneMethod('u1', ALTERNATE_ID);
    await directory.deletePhoneMethod('u1', MOBILE_ID);
    expect(await directory.listPhoneMethods('u1')).toEqual([]);
  });

  it('returns no request id: nothing reached Graph', async () => {
    const directory = new DemoPhoneDirectory({ u1: [MOBILE] });
    expect(await directory.updatePhoneMethod('u1', MOBILE_ID, '+81 8055556666')).toEqual({});
    expect(await directory.deletePhoneMethod('u1', MOBILE_ID)).toEqual({});
  });

  it('carries the status a Graph refusal would have', async () => {
    const directory = new DemoPhoneDirectory({ u1: [MOBILE, ALTERNATE] });
    const statusOf = async (promise: Promise<unknown>): Promise<number | undefined> =>
      promise.then(
        () => undefined,
        (error: unknown) => (error instanceof DirectoryError ? error.details.status : undefined),
      );
    expect(await statusOf(directory.deletePhoneMethod('u1', MOBILE_ID))).toBe(400);
    expect(await statusOf(directory.deletePhoneMethod('u1', OFFICE_ID))).toBe(404);
    expect(await statusOf(directory.updatePhoneMethod('u1', MOBILE_ID, '+81-80'))).toBe(400);
  });
});

describe('DemoPhoneDirectory authentication method list', () => {
  const PASSWORD = { id: '28c10230-6103-485e-b985-444c60001490', kind: 'passwordAuthenticationMethod' };

  it('lists the password, each phone, then the seeded other methods', async () => {
    const directory = new DemoPhoneDirectory({ u1: [MOBILE, OFFICE] }, { u1: [{ id: 'authenticator-1', kind: 'microsoftAuthenticatorAuthenticationMethod' }] });
    expect(await directory.listAuthenticationMethods('u1')).toEqual([
      PASSWORD,
      { id: '3179e48a-750b-4051-897c-87b9720928f7', kind: 'phoneAuthenticationMethod' },
      { id: 'e37fc753-ff3b-4958-9484-eaa9425c82bc', kind: 'phoneAuthenticationMethod' },
      { id: 'authenticator-1', kind: 'microsoftAuthenticatorAuthenticationMethod' },
    ]);
  });

  it('lists only the password for a user with nothing else', async () => {
    const directory = new DemoPhoneDirectory({}, { u1: [{ id: 'fido-1', kind: 'fido2AuthenticationMethod' }] });
    expect(await directory.listAuthenticationMethods('u2')).toEqual([PASSWORD]);
  });

  it('follows phones as they are added and removed', async () => {
    const directory = new DemoPhoneDirectory();
    await directory.addPhoneMethod('u1', MOBILE);
    expect((await directory.listAuthenticationMethods('u1')).map((m) => m.kind)).toEqual(['passwordAuthenticationMethod', 'phoneAuthenticationMethod']);
    await directory.deletePhoneMethod('u1', '3179e48a-750b-4051-897c-87b9720928f7');
    expect(await directory.listAuthenticationMethods('u1')).toEqual([PASSWORD]);
  });

  it('hands out copies of the seeded methods', async () => {
    const directory = new DemoPhoneDirectory({}, { u1: [{ id: 'fido-1', kind: 'fido2AuthenticationMethod' }] });
    const listed = await directory.listAuthenticationMethods('u1');
    Object.assign(listed[1] ?? {}, { kind: 'changed' });
    expect((await directory.listAuthenticationMethods('u1'))[1]).toEqual({ id: 'fido-1', kind: 'fido2AuthenticationMethod' });
  });
});

describe('DemoPhoneDirectory, the parts Graph serves elsewhere', () => {
  it('counts everyone as a member of every group until told the members', async () => {
    const directory = new DemoPhoneDirectory();
    expect(await directory.isGroupMember('u1', 'G-1')).toBe(true);
    directory.setGroupMembers('G-1', ['u2']);
    expect(await directory.isGroupMember('u1', 'g-1')).toBe(false);
    expect(await directory.isGroupMember('u2', 'G-1')).toBe(true);
    expect(await directory.isGroupMember('u1', 'g-2')).toBe(true);
  });

  it('lists hardware tokens among the methods, as the Graph beta method list does', async () => {
    const token = { id: 'hw-1', kind: 'hardwareOathAuthenticationMethod' };
    const directory = new DemoPhoneDirectory({}, { u1: [token, { id: 'a1', kind: 'microsoftAuthenticatorAuthenticationMethod' }] });
    expect((await directory.listAuthenticationMethods('u1')).map((m) => m.id)).toEqual(['28c10230-6103-485e-b985-444c60001490', 'hw-1', 'a1']);
    expect((await directory.listAuthenticationMethods('u2')).map((m) => m.id)).not.toContain('hw-1');
  });
});
