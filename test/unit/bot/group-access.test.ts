import { GroupAccess } from '../../../src/bot/group-access';
import { DirectoryError, type PhoneDirectory } from '../../../src/directory/phone-directory';
import { ManualClock } from '../../fakes/manual-clock';
import { createCollectingLogger } from '../directory/log-sink';

const GROUP = '5e0c9a7b-1d2e-4f3a-8b4c-6d7e8f9a0b1c';

/** Membership as a set the test changes; every read is counted. */
class FakeMembership implements Pick<PhoneDirectory, 'isGroupMember'> {
  readonly members = new Set<string>();
  reads: string[] = [];
  failWith?: Error;
  async isGroupMember(userId: string, groupId: string): Promise<boolean> {
    this.reads.push(userId);
    if (this.failWith) throw this.failWith;
    return groupId === GROUP && this.members.has(userId);
  }
}

function setup(options: { cacheTtlMs?: number; maxCachedUsers?: number } = {}) {
  const directory = new FakeMembership();
  const clock = new ManualClock();
  const log = createCollectingLogger();
  const access = new GroupAccess({ directory, groupId: GROUP, clock, logger: log.logger, ...options });
  return { directory, clock, access, log };
}

describe('GroupAccess', () => {
  it("keeps each user's answer for five minutes by default, per user", async () => {
    const { directory, clock, access } = setup();
    directory.members.add('alice');
    expect(await access.check('alice')).toBe('member');
    expect(await access.check('bob')).toBe('not_member');
    directory.members.delete('alice');
    directory.members.add('bob');
    clock.advance(5 * 60_000 - 1);
    expect(await access.check('alice')).toBe('member');
    expect(await access.check('bob')).toBe('not_member');
    expect(directory.reads).toEqual(['alice', 'bob']);
    clock.advance(1);
    expect(await access.check('alice')).toBe('not_member');
    expect(await access.check('bob')).toBe('member');
    expect(directory.reads).toEqual(['alice', 'bob', 'alice', 'bob']);
  });

  it('never keeps a failed check, and answers unavailable', async () => {
    const { directory, access, log } = setup();
    directory.members.add('alice');
    directory.failWith = new DirectoryError('permission_denied', 'Graph list answered 403', { status: 403, requestId: 'req-1' });
    expect(await access.check('alice')).toBe('unavailable');
    expect(log.lines.join('')).toMatch(/"errorCode":"permission_denied".*"requestId":"req-1"/);
    directory.failWith = undefined;
    expect(await access.check('alice')).toBe('member');
    expect(directory.reads).toHaveLength(2);
  });

  it('lets a programming error through instead of calling it a refusal', async () => {
    const { directory, access } = setup();
    directory.failWith = new TypeError('bug');
    await expect(access.check('alice')).rejects.toThrow('bug');
  });

  it('forgets the oldest answer first when it holds as many users as allowed', async () => {
    const { directory, access } = setup({ maxCachedUsers: 2 });
    await access.check('a');
    await access.check('b');
    await access.check('a'); // cached: 'a' stays the oldest
    await access.check('c'); // 'a' goes
    await access.check('b');
    await access.check('a');
    expect(directory.reads).toEqual(['a', 'b', 'c', 'a']);
  });
});
