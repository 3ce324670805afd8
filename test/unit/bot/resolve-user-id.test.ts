import { resolveUserId } from '../../../src/bot/resolve-user-id';

const from = (aadObjectId: unknown) => ({ from: { id: '29:user', name: 'User', aadObjectId } as never });

describe('resolveUserId', () => {
  it("takes the sender's Entra object id, in lower case", () => {
    expect(resolveUserId(from('3F2504E0-4F89-41D3-9A0C-0305E82C3301'), false)).toBe('3f2504e0-4f89-41d3-9a0c-0305e82c3301');
  });

  it("accepts the Agents Playground's longer last group in demo mode only", () => {
    expect(resolveUserId(from('00000000-0000-0000-0000-0000000000020'), true)).toBe('00000000-0000-0000-0000-0000000000020');
    expect(resolveUserId(from('00000000-0000-0000-0000-0000000000020'), false)).toBeUndefined();
  });

  it.each(['03-1234-5678', '09012345678', 'user', '', 'x'.repeat(40), '3f2504e0-4f89-41d3-9a0c-0305e82c33', undefined, 42])(
    'refuses %p, even in demo mode (the id goes into the audit log)',
    (id) => {
      expect(resolveUserId(from(id), true)).toBeUndefined();
      expect(resolveUserId(from(id), false)).toBeUndefined();
    },
  );
});
