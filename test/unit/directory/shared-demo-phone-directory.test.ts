import { DemoPhoneDirectory } from '../../../src/directory/demo-phone-directory';
import { DirectoryError, type NewPhoneMethod } from '../../../src/directory/phone-directory';
import { MemoryStateStorage } from '../../../src/storage/memory-state-storage';

const USER = 'user-1';
const MOBILE: NewPhoneMethod = { phoneType: 'mobile', phoneNumber: '+81 9012345678' };
const ALTERNATE: NewPhoneMethod = { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' };

/** Two demo instances' directories over one storage, as two demo processes sharing a blob container. */
function twoInstances(seed: Record<string, readonly NewPhoneMethod[]> = {}): [DemoPhoneDirectory, DemoPhoneDirectory, MemoryStateStorage] {
  const storage = new MemoryStateStorage();
  return [new DemoPhoneDirectory(seed, {}, {}, storage), new DemoPhoneDirectory(seed, {}, {}, storage), storage];
}

describe('DemoPhoneDirectory on shared storage', () => {
  it('lists on one instance the phone added through the other', async () => {
    const [a, b] = twoInstances();
    await a.addPhoneMethod(USER, MOBILE);
    expect(await b.listPhoneMethods(USER)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: MOBILE.phoneNumber })]);
    expect((await b.listAuthenticationMethods(USER)).map((m) => m.kind)).toContain('phoneAuthenticationMethod');
  });

  it("applies Entra's rules to what the other instance added", async () => {
    const [a, b] = twoInstances();
    await a.addPhoneMethod(USER, MOBILE);
    await expect(b.addPhoneMethod(USER, MOBILE)).rejects.toMatchObject({ code: 'type_already_registered' });
    await b.addPhoneMethod(USER, ALTERNATE);
    await expect(a.deletePhoneMethod(USER, (await a.listPhoneMethods(USER))[0]!.id)).rejects.toMatchObject({ code: 'mobile_required_by_alternate' });
  });

  it('registers exactly one of two simultaneous adds of the same type', async () => {
    const [a, b] = twoInstances();
    const results = await Promise.allSettled([a.addPhoneMethod(USER, MOBILE), b.addPhoneMethod(USER, { ...MOBILE, phoneNumber: '+81 8099998888' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason instanceof DirectoryError && refused.reason.code).toBe('type_already_registered');
    expect(await a.listPhoneMethods(USER)).toHaveLength(1);
  });

  it('shares updates and deletes, and starts a user from the seed until something is stored', async () => {
    const [a, b] = twoInstances({ [USER]: [MOBILE] });
    expect(await b.listPhoneMethods(USER)).toEqual([expect.objectContaining({ phoneNumber: MOBILE.phoneNumber })]);
    const [mobile] = await a.listPhoneMethods(USER);
    await a.updatePhoneMethod(USER, mobile!.id, '+81 7055556666');
    expect((await b.listPhoneMethods(USER))[0]?.phoneNumber).toBe('+81 7055556666');
    await b.deletePhoneMethod(USER, mobile!.id);
    expect(await a.listPhoneMethods(USER)).toEqual([]);
  });

  it('changes nothing when a write breaks a rule', async () => {
    const [a, , storage] = twoInstances();
    await expect(a.addPhoneMethod(USER, { phoneType: 'mobile', phoneNumber: '090 12345678' })).rejects.toMatchObject({ code: 'invalid_phone_format' });
    expect(await storage.read([`demo-directory/${USER}`])).toEqual({});
  });

  it('keeps each directory to itself without shared storage', async () => {
    const a = new DemoPhoneDirectory();
    const b = new DemoPhoneDirectory();
    await a.addPhoneMethod(USER, MOBILE);
    expect(await b.listPhoneMethods(USER)).toEqual([]);
    expect(await a.listPhoneMethods(USER)).toHaveLength(1);
  });
});
