import type { Agent } from 'undici';
import { checkGroupMembershipPermission } from '../../../src/doctor/group-membership-permission-check';
import { runDoctor } from '../../../src/doctor/run-doctor';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';
import { FakeEntraNetwork, fakeJwt } from './fake-entra-network';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = '9a3c1d0e-1111-4222-8333-444455556666';
const GROUP = '5e0c9a7b-1d2e-4f3a-8b4c-6d7e8f9a0b1c';
const CONSENT = `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${APP}`;
const BOT_ROLES = ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.Read.All', 'Policy.Read.All'];

describe('checkGroupMembershipPermission', () => {
  const lines = (roles: unknown, allowedGroupId = GROUP) =>
    checkGroupMembershipPermission({ token: fakeJwt({ roles }), consentUrl: CONSENT, allowedGroupId }).map((r) => `${r.status} ${r.title}`);

  it('asks for nothing when the bot is not limited to a group', () => {
    expect(lines(BOT_ROLES, '')).toEqual([]);
  });

  it('passes with User.Read.All, the least-privileged permission for the membership read', () => {
    expect(lines([...BOT_ROLES, 'User.Read.All'])).toEqual(['ok Permission User.Read.All granted (ALLOWED_GROUP_ID membership check)']);
  });

  it.each(['GroupMember.Read.All', 'Directory.Read.All'])('accepts %s, which also lets the bot read memberships', (role) => {
    expect(lines([...BOT_ROLES, role])).toEqual([`ok Permission User.Read.All covered by ${role} (ALLOWED_GROUP_ID membership check)`]);
  });

  it('fails without any of them, with the consent URL', () => {
    const results = checkGroupMembershipPermission({ token: fakeJwt({ roles: BOT_ROLES }), consentUrl: CONSENT, allowedGroupId: GROUP });
    expect(results).toEqual([
      {
        status: 'fail',
        title: 'Missing permission User.Read.All (needed to check membership of ALLOWED_GROUP_ID; without it every user is refused)',
        fix: `add it to the app registration (API permissions > Microsoft Graph > Application permissions), then grant admin consent: ${CONSENT}`,
      },
    ]);
  });

  it('does not guess from an opaque token', () => {
    expect(checkGroupMembershipPermission({ token: 'opaque', consentUrl: CONSENT, allowedGroupId: GROUP })).toEqual([
      expect.objectContaining({ status: 'warn' }),
    ]);
  });
});

describe('runDoctor with ALLOWED_GROUP_ID', () => {
  let tls: TestTls;
  let agent: Agent;
  let graph: FakeGraphServer | undefined;

  beforeAll(async () => {
    tls = await createTestTls();
    agent = createTrustingAgent(tls.cert);
  });
  afterAll(async () => {
    await agent.close();
  });
  afterEach(async () => {
    await graph?.close();
    graph = undefined;
  });

  async function graphLines(roles: readonly string[], env: Record<string, string>): Promise<string[]> {
    const token = fakeJwt({ aud: 'https://graph.microsoft.com', tid: TENANT, appid: APP, roles });
    graph = await FakeGraphServer.start({ tls, expectedToken: token });
    const report = await runDoctor({
      env: {
        MICROSOFT_APP_ID: APP,
        MICROSOFT_APP_PASSWORD: 'client-secret-value',
        MICROSOFT_APP_TENANT_ID: TENANT,
        VERIFICATION_SECRET: 'v'.repeat(40),
        ACS_CONNECTION_STRING: `endpoint=https://contoso.communication.azure.com/;accesskey=${Buffer.from('acs-key').toString('base64')}`,
        ACS_SMS_FROM: '+18005550100',
        ACS_CALLER_ID: '+18005550101',
        PUBLIC_BASE_URL: 'https://bot.example.test',
        ...env,
      },
      networkClient: FakeEntraNetwork.issuing(TENANT, token),
      graphBaseUrl: graph.baseUrl,
      fetchOptions: { dispatcher: agent },
      probePublicUrl: false,
    });
    const section = report.sections.find((s) => s.heading === 'Microsoft Graph');
    expect(section).toBeDefined();
    return (section?.results ?? []).map((r) => `${r.status} ${r.title}`);
  }

  it('reports the missing membership permission', async () => {
    const lines = await graphLines(BOT_ROLES, { ALLOWED_GROUP_ID: GROUP });
    expect(lines).toContain('fail Missing permission User.Read.All (needed to check membership of ALLOWED_GROUP_ID; without it every user is refused)');
  });

  it('passes it when granted, and does not ask for it without ALLOWED_GROUP_ID', async () => {
    expect(await graphLines([...BOT_ROLES, 'User.Read.All'], { ALLOWED_GROUP_ID: GROUP })).toContain('ok Permission User.Read.All granted (ALLOWED_GROUP_ID membership check)');
    await graph?.close();
    graph = undefined;
    const without = await graphLines(BOT_ROLES, {});
    expect(without.some((l) => l.includes('User.Read.All'))).toBe(false);
  });
});
