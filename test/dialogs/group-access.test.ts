import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { DirectoryError } from '../../src/directory/phone-directory';
import { cardOf, cardText, inputOf } from '../support/card-helpers';
import { DialogHarness, USER_ID } from '../support/dialog-harness';

const GROUP = '5e0c9a7b-1d2e-4f3a-8b4c-6d7e8f9a0b1c';
const CONTACT = 'helpdesk@contoso.example, ext. 1234';
const PORTAL = 'https://mysignins.microsoft.com/security-info';

/** The demo directory, counting membership reads and failing them on request, as Graph can. */
class CountingDirectory extends DemoPhoneDirectory {
  membershipReads = 0;
  failMembership = false;
  override async isGroupMember(userId: string, groupId: string): Promise<boolean> {
    this.membershipReads += 1;
    if (this.failMembership) throw new DirectoryError('graph_unavailable', 'Graph list answered 503', { status: 503 });
    return super.isGroupMember(userId, groupId);
  }
}

function harness(members: readonly string[], env: Record<string, string> = {}, locale?: string) {
  const directory = new CountingDirectory();
  directory.setGroupMembers(GROUP, members);
  const h = new DialogHarness({ directory, env: { ALLOWED_GROUP_ID: GROUP, HELPDESK_CONTACT: CONTACT, ...env }, ...(locale ? { locale } : {}) });
  return { h, directory };
}

describe('ALLOWED_GROUP_ID', () => {
  it('refuses a non-member politely, naming the helpdesk contact, and shows no phone data', async () => {
    const { h } = harness(['someone-else']);
    const replies = await h.say('add phone');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe(
      `Sorry, this bot is not available for your account. If you need to register a phone for sign-in, please contact ${CONTACT}, or use the Security info page: ${PORTAL}`,
    );
    expect(cardOf(replies[0])).toBeUndefined();
    expect(h.log).toMatch(/"audit":true,"action":"access".*"result":"not_member"/);
  });

  it('refuses a non-member in Japanese', async () => {
    const { h } = harness(['someone-else'], {}, 'ja-JP');
    const replies = await h.say('こんにちは');
    expect(replies.map((r) => r.text)).toEqual([
      `申し訳ありません。このボットはあなたのアカウントではご利用いただけません。サインイン用の電話の登録が必要な場合は、${CONTACT} にお問い合わせいただくか、セキュリティ情報のページをご利用ください: ${PORTAL}`,
    ]);
  });

  it('points a non-member at the helpdesk in general words when no contact is configured', async () => {
    const { h } = harness(['someone-else'], { HELPDESK_CONTACT: '' });
    const replies = await h.say('hi');
    expect(replies.map((r) => r.text)).toEqual([
      `Sorry, this bot is not available for your account. If you need to register a phone for sign-in, please contact your helpdesk, or use the Security info page: ${PORTAL}`,
    ]);
  });

  it('refuses a non-member when the bot is installed for them, instead of the welcome card', async () => {
    const { h } = harness(['someone-else']);
    const replies = await h.turn({ type: 'conversationUpdate', membersAdded: [{ id: '29:user', name: 'Test User' }] });
    expect(replies.map((r) => r.text)).toEqual([expect.stringContaining('this bot is not available for your account')]);
    expect(replies.some((r) => cardOf(r))).toBe(false);
  });

  it('serves a member as usual', async () => {
    const { h } = harness([USER_ID]);
    const replies = await h.say('hi');
    expect(cardText(cardOf(replies[0])!)).toContain('Set up your phone for sign-in verification');
    await h.say('add phone');
    expect(inputOf(h.lastCard().card, 'phoneType')).toBeDefined();
    expect(h.log).toMatch(/"audit":true,"action":"access".*"result":"member"/);
  });

  it('refuses everyone, asking them to try later, when membership cannot be checked (fail closed)', async () => {
    const { h, directory } = harness([USER_ID]);
    directory.failMembership = true;
    const replies = await h.say('add phone');
    expect(replies.map((r) => r.text)).toEqual([
      'Sorry, I cannot check right now whether this bot is available for your account. Please try again in a few minutes.',
    ]);
    expect(h.log).toMatch(/"audit":true,"action":"access".*"result":"unavailable"/);
    // A failure is not remembered: the next message checks again and gets in.
    directory.failMembership = false;
    const next = await h.say('hi');
    expect(cardOf(next[0])).toBeDefined();
  });

  it('reads membership once per user for a few minutes, then again, so a removal shows within that time', async () => {
    const { h, directory } = harness([USER_ID]);
    await h.say('hi');
    expect(directory.membershipReads).toBe(1);
    directory.setGroupMembers(GROUP, []);
    h.clock.advance(4 * 60_000);
    const stillCached = await h.say('hi');
    expect(cardOf(stillCached[0])).toBeDefined();
    expect(directory.membershipReads).toBe(1);
    h.clock.advance(60_000 + 1);
    const refused = await h.say('hi');
    expect(refused.map((r) => r.text)).toEqual([expect.stringContaining('this bot is not available for your account')]);
    expect(directory.membershipReads).toBe(2);
  });

  it('does not check membership at all without ALLOWED_GROUP_ID', async () => {
    const directory = new CountingDirectory();
    directory.setGroupMembers(GROUP, []);
    const h = new DialogHarness({ directory });
    await h.say('hi');
    expect(directory.membershipReads).toBe(0);
    expect(cardText(h.lastCard().card)).toContain('Set up your phone for sign-in verification');
  });
});
