import type { Agent } from 'undici';
import { checkGraphPermissions } from '../../../tools/doctor/graph-permissions-check';
import { runDoctor } from '../../../tools/doctor/run-doctor';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';
import { FakeEntraNetwork, fakeJwt } from './fake-entra-network';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = '9a3c1d0e-1111-4222-8333-444455556666';
const GROUP = '5e0c9a7b-1d2e-4f3a-8b4c-6d7e8f9a0b1c';
const CONSENT_ADVICE = 'grant admin consent with the portal button';
const BOT_ROLES = ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.Read.All', 'Policy.Read.AuthenticationMethod'];
const MEMBERSHIP_OK = 'ok Permission User.Read.All granted (only because ALLOWED_GROUP_ID is set)';
const MEMBERSHIP_MISSING =
  'fail Missing permission User.Read.All (needed to check that the user is a direct or nested member of ALLOWED_GROUP_ID, only because ALLOWED_GROUP_ID is set)';

describe('the group membership permission', () => {
  const membershipLines = (roles: unknown, allowedGroup = true) =>
    checkGraphPermissions({ token: fakeJwt({ roles }), consentAdvice: CONSENT_ADVICE, allowedGroup })
      .map((r) => `${r.status} ${r.title}`)
      .filter((line) => line.includes('ALLOWED_GROUP_ID'));

  it('asks for nothing when the bot is not limited to a group', () => {
    expect(membershipLines(BOT_ROLES, false)).toEqual([]);
  });

  it('passes with User.Read.All, the least-privileged permission for the membership read', () => {
    expect(membershipLines([...BOT_ROLES, 'User.Read.All'])).toEqual([MEMBERSHIP_OK]);
  });

  it.each(['GroupMember.Read.All', 'Directory.Read.All'])('accepts %s, which also lets the bot read memberships, with a note', (role) => {
    expect(membershipLines([...BOT_ROLES, role])).toEqual([
      `warn Permission User.Read.All covered by the broader ${role} (only because ALLOWED_GROUP_ID is set)`,
    ]);
  });

  it('fails without any of them, saying how to grant it', () => {
    const results = checkGraphPermissions({ token: fakeJwt({ roles: BOT_ROLES }), consentAdvice: CONSENT_ADVICE, allowedGroup: true });
    expect(results).toContainEqual({
      status: 'fail',
      title: MEMBERSHIP_MISSING.slice('fail '.length),
      fix: expect.stringContaining(CONSENT_ADVICE),
    });
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
    expect(lines).toContain(MEMBERSHIP_MISSING);
  });

  it('passes it when granted, and does not ask for it without ALLOWED_GROUP_ID', async () => {
    expect(await graphLines([...BOT_ROLES, 'User.Read.All'], { ALLOWED_GROUP_ID: GROUP })).toContain(MEMBERSHIP_OK);
    await graph?.close();
    graph = undefined;
    const without = await graphLines(BOT_ROLES, {});
    expect(without.some((l) => l.includes('User.Read.All'))).toBe(false);
  });
});
