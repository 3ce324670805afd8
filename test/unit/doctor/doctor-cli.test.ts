import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Agent } from 'undici';
import { runDoctorCli } from '../../../tools/cli/doctor';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';
import { FakeEntraNetwork, fakeJwt } from './fake-entra-network';
import { AZURITE_KEY, LocalAzurite } from '../../support/azurite';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = '9a3c1d0e-1111-4222-8333-444455556666';
const SECRET = 'client-secret-value-Qx7~';
const VERIFICATION_SECRET = 'verification-secret-'.repeat(3);
const ACS_KEY = Buffer.from('acs-access-key-0123456789').toString('base64');
const CONSENT = `grant admin consent: Entra admin center > App registrations > the app ${APP} > API permissions > "Grant admin consent for <your organization>"`;
const MANIFEST_ID = 'f31b1263-ba99-435a-a679-911d24850d7c';
const CATALOG_ID = '876df28f-2e78-423b-94a5-44181bd0e225';
const ALL_ROLES = ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.Read.All', 'Policy.Read.AuthenticationMethod', 'AppCatalog.Read.All'];
const BEFORE_RETIREMENT = new Date('2026-11-27T09:00:00Z');

describe('npm run doctor (runDoctorCli) against local fakes', () => {
  let tls: TestTls;
  let agent: Agent;
  let azurite: LocalAzurite | undefined;
  let health: https.Server;
  let publicBaseUrl: string;
  let graph: FakeGraphServer | undefined;

  beforeAll(async () => {
    tls = await createTestTls();
    agent = createTrustingAgent(tls.cert);
    azurite = await LocalAzurite.start();
    health = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    publicBaseUrl = `https://127.0.0.1:${(health.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    health.closeAllConnections();
    await new Promise<void>((resolve) => health.close(() => resolve()));
    await agent.close();
    await azurite?.stop();
  });

  afterEach(async () => {
    await graph?.close();
    graph = undefined;
  });

  function productionEnv(overrides: Record<string, string> = {}): Record<string, string> {
    if (!azurite) throw new Error('azurite did not start');
    return {
      NODE_ENV: 'production',
      MICROSOFT_APP_ID: APP,
      MICROSOFT_APP_PASSWORD: SECRET,
      MICROSOFT_APP_TENANT_ID: TENANT,
      VERIFICATION_SECRET,
      ACS_CONNECTION_STRING: `endpoint=https://contoso.communication.azure.com/;accesskey=${ACS_KEY}`,
      ACS_SMS_FROM: '+18005550100',
      ACS_CALLER_ID: '+18005550101',
      ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://contoso-ai.cognitiveservices.azure.com/',
      PUBLIC_BASE_URL: publicBaseUrl,
      STORAGE_CONNECTION_STRING: azurite.connectionString(),
      STORAGE_CONTAINER: 'bot-state',
      TELEPHONY_PROVIDER_CONFIGURED: 'true',
      TEAMS_APP_ID: MANIFEST_ID,
      TEAMS_CATALOG_APP_ID: CATALOG_ID,
      ...overrides,
    };
  }

  async function run(options: { env: Record<string, string>; roles?: readonly string[]; network?: FakeEntraNetwork }) {
    const token = fakeJwt({ aud: 'https://graph.microsoft.com', tid: TENANT, appid: APP, roles: options.roles ?? ALL_ROLES });
    const fake = graph ?? (graph = await FakeGraphServer.start({ tls, expectedToken: token }));
    const network = options.network ?? FakeEntraNetwork.issuing(TENANT, token);
    const lines: string[] = [];
    const exitCode = await runDoctorCli({
      env: options.env,
      print: (line) => lines.push(line),
      now: () => BEFORE_RETIREMENT,
      networkClient: network,
      graphBaseUrl: fake.baseUrl,
      fetchOptions: { dispatcher: agent },
    });
    const output = lines.join('\n');
    // Whatever the outcome, nothing secret reaches the screen.
    for (const secret of [SECRET, VERIFICATION_SECRET, ACS_KEY, AZURITE_KEY, token]) expect(output).not.toContain(secret);
    return { exitCode, lines, output, network, graph: fake };
  }

  async function startGraph(roles: readonly string[] = ALL_ROLES): Promise<FakeGraphServer> {
    const token = fakeJwt({ aud: 'https://graph.microsoft.com', tid: TENANT, appid: APP, roles });
    const started = await FakeGraphServer.start({ tls, expectedToken: token });
    started.setCatalogApps([{ id: CATALOG_ID, externalId: MANIFEST_ID, displayName: 'Phone MFA', distributionMethod: 'organization' }]);
    graph = started;
    return started;
  }

  it('exits 0 when everything production needs is in place', async () => {
    await startGraph();
    const { exitCode, lines, output, graph: fake } = await run({ env: productionEnv() });

    expect(exitCode).toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        '  ✔ Configuration is valid (NODE_ENV=production)',
        '  ✔ Graph token acquired (client credentials)',
        '  ✔ Permission UserAuthMethod-Phone.ReadWrite.All granted',
        '  ✔ Permission UserAuthenticationMethod.Read.All granted',
        '  ✔ Permission Policy.Read.AuthenticationMethod granted',
        '  ✔ Permission AppCatalog.Read.All granted',
        '  ✔ Policy migration complete (policyMigrationState=migrationComplete): this policy alone decides SMS, voice and office phone, and the bot applies it',
        '  ✔ SMS: enabled for all users',
        '  ✔ Voice call: enabled for all users',
        '  ✔ Office phone: allowed by the voice policy',
        '  ✔ From 1 September 2026 Microsoft prompts users enabled for SMS or voice to register a passkey',
        `  ✔ TEAMS_CATALOG_APP_ID matches your organization's catalog (manifest id ${MANIFEST_ID})`,
        '  ✔ Storage: wrote, read and deleted a probe blob in container bot-state of account devstoreaccount1',
      ]),
    );
    expect(output).toMatch(/✔ GET https:\/\/127\.0\.0\.1:\d+\/healthz answered 200 in \d+ ms/);
    expect(lines.at(-1)).toMatch(/^✔ Ready for production \(\d+ warning\(s\) to read\)$/);
    expect(fake.requestsTo('GET', '/authenticationMethodConfigurations/')).toHaveLength(2);
    expect(fake.requestsTo('GET', '/appCatalogs/teamsApps')).toHaveLength(1);
    expect(output).not.toContain('/adminconsent');
  });

  it('with Policy.Read.All instead of Policy.Read.AuthenticationMethod: names the missing one, and Graph refuses the configurations', async () => {
    const roles = [...ALL_ROLES.filter((r) => r !== 'Policy.Read.AuthenticationMethod'), 'Policy.Read.All'];
    await startGraph(roles);
    const { exitCode, lines } = await run({ env: productionEnv(), roles });

    expect(exitCode).toBe(1);
    expect(lines).toContain(
      `  ✖ Missing permission Policy.Read.AuthenticationMethod (needed to read the authentication methods policy (SMS, voice, office phone, migration state)) — add Policy.Read.AuthenticationMethod (API permissions > Add a permission > Microsoft Graph > Application permissions), then ${CONSENT}`,
    );
    // The fake refuses the sms and voice configurations for a token without a documented role, as Graph does.
    expect(lines).toContain(
      `  ✖ Authentication methods policy not readable (403 Authorization_RequestDenied): until it is readable the bot offers SMS, voice and office phone as allowed — add Policy.Read.AuthenticationMethod, then ${CONSENT}`,
    );
    expect(lines.some((l) => l.startsWith('  ! Permission Policy.Read.All is not needed: it also reads Conditional Access'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^✖ Not ready for production: 2 problem\(s\), \d+ warning\(s\)$/);
  });

  it.each([
    ['preMigration', '  ! Policy migration not started (policyMigrationState=preMigration): Entra also honours the legacy MFA and SSPR settings'],
    ['migrationInProgress', '  ! Policy migration in progress (policyMigrationState=migrationInProgress): Entra also honours the legacy MFA and SSPR settings'],
    ['absent', '  ! Policy migration state not reported: treated as not migrated'],
  ] as const)('explains a policy migration state %s and does not fail on methods the policy turns off', async (state, line) => {
    const fake = await startGraph();
    fake.setPhonePolicy({ migrationState: state, sms: { state: 'disabled' }, voice: { state: 'disabled', isOfficePhoneAllowed: false } });
    const { exitCode, lines, output } = await run({ env: productionEnv() });
    expect(lines.some((l) => l.startsWith(line))).toBe(true);
    expect(output).toContain('! SMS: disabled in this policy, but the legacy settings may still allow it, so the bot still offers it');
    expect(output).toContain('! Neither SMS nor voice is enabled in this policy; the legacy settings may still allow them');
    expect(output).toContain('! Office phone: not allowed by the voice policy (isOfficePhoneAllowed=false), but offered until the migration is complete');
    expect(exitCode).toBe(0);
  });

  it('looks up the catalog id when TEAMS_CATALOG_APP_ID is missing or wrong, and says where to find it without AppCatalog.Read.All', async () => {
    await startGraph();
    const missing = await run({ env: productionEnv({ TEAMS_CATALOG_APP_ID: '' }) });
    expect(missing.lines).toContain(
      `  ! Your organization's catalog holds the app as ${CATALOG_ID}, but TEAMS_CATALOG_APP_ID is not set — set TEAMS_CATALOG_APP_ID=${CATALOG_ID} so install links open it`,
    );
    const wrong = await run({ env: productionEnv({ TEAMS_CATALOG_APP_ID: '11111111-2222-4333-8444-555555555555' }) });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.lines).toContain(
      `  ✖ TEAMS_CATALOG_APP_ID 11111111-2222-4333-8444-555555555555 is not the catalog id of the app (${CATALOG_ID}) — set TEAMS_CATALOG_APP_ID=${CATALOG_ID}`,
    );

    await graph?.close();
    const roles = ALL_ROLES.filter((r) => r !== 'AppCatalog.Read.All');
    const fake = await startGraph(roles);
    const ungranted = await run({ env: productionEnv({ TEAMS_CATALOG_APP_ID: '' }), roles });
    expect(ungranted.exitCode).toBe(0);
    expect(ungranted.output).toContain(`! Install links use the manifest id ${MANIFEST_ID}, which opens only a custom app uploaded directly`);
    expect(ungranted.output).toContain('Teams admin center > Teams apps > Manage apps > the app > App ID');
    expect(fake.requestsTo('GET', '/appCatalogs/')).toHaveLength(0);
  });

  it('reports the tenant policy after a completed migration: SMS off is a warning, SMS and voice off is a failure', async () => {
    const fake = await startGraph();
    fake.setPhonePolicy({ sms: { state: 'disabled' }, voice: { state: 'enabled', isOfficePhoneAllowed: false } });
    const first = await run({ env: productionEnv() });
    expect(first.exitCode).toBe(0);
    expect(first.output).toContain('! SMS: disabled in the tenant, so the bot offers "Call me" only');
    expect(first.output).toContain('✔ Office phone: not allowed by the voice policy (isOfficePhoneAllowed=false), so the bot does not offer it');

    fake.setPhonePolicy({ voice: { state: 'disabled', isOfficePhoneAllowed: false } });
    const second = await run({ env: productionEnv() });
    expect(second.exitCode).toBe(1);
    expect(second.output).toContain('✖ Neither SMS nor voice is enabled: a registered phone cannot be used to sign in');
  });

  it('with a managed identity, does not ask Entra and says how its Graph roles are granted', async () => {
    const { lines, network } = await run({ env: productionEnv({ MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_PASSWORD: '' }) });
    const graphLine = lines.find((l) => l.startsWith('  ! Graph not checked: the bot gets Graph tokens from its user-assigned managed identity'));
    expect(graphLine).toContain('/servicePrincipals/{identity object id}/appRoleAssignments');
    expect(graphLine).toContain('New-MgServicePrincipalAppRoleAssignment');
    expect(graphLine).not.toContain('Grant admin consent');
    expect(network.posts).toHaveLength(0);
  });

  it('stops at the token when Entra refuses the secret', async () => {
    const fake = await startGraph();
    const network = new FakeEntraNetwork(TENANT, {
      status: 401,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] },
    });
    const { exitCode, lines } = await run({ env: productionEnv(), network });
    expect(exitCode).toBe(1);
    expect(lines).toContain(
      "  ✖ Graph token not acquired: MICROSOFT_APP_PASSWORD is not a valid client secret of the app (AADSTS7000215) — create a client secret (App registrations > the bot's app > Certificates & secrets) and copy its Value, not its Secret ID",
    );
    expect(lines).toContain('  ! Graph permissions and the authentication methods policy not checked: no token');
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 1 in demo mode with a clear verdict, still checking what makes sense, without calling Entra', async () => {
    const { exitCode, lines, network } = await run({ env: { PUBLIC_BASE_URL: publicBaseUrl } });
    expect(exitCode).toBe(1);
    expect(lines[4]).toMatch(/^ {2}✖ Demo mode: not production-ready/);
    expect(lines).toContain('  ! Graph not checked: demo mode has no app identity (the demo directory writes nothing to Entra ID)');
    expect(lines.some((l) => l.startsWith('  ! Storage: in memory'))).toBe(true);
    expect(lines.some((l) => /✔ GET .*\/healthz answered 200/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^✖ Demo mode: not production-ready \(1 problem\(s\), \d+ warning\(s\)\)$/);
    expect(network.posts).toHaveLength(0);
  });

  it('prints every configuration problem and skips the rest', async () => {
    const { exitCode, lines, network } = await run({
      env: productionEnv({ MICROSOFT_APP_TENANT_ID: 'contoso', ACS_SMS_FROM: '', VERIFICATION_SECRET: 'short' }),
    });
    expect(exitCode).toBe(1);
    expect(lines.filter((l) => l.startsWith('  ✖')).map((l) => l.split(' — ')[0])).toEqual([
      '  ✖ MICROSOFT_APP_TENANT_ID is missing or not a GUID',
      '  ✖ VERIFICATION_SECRET is missing or shorter than 32 characters',
      '  ✖ ACS_SMS_FROM is missing or invalid',
    ]);
    expect(lines).toContain('  ! Not checked: fix the configuration first');
    expect(network.posts).toHaveLength(0);
  });

  it('prints a malformed variable with its fix', async () => {
    const { exitCode, lines } = await run({ env: productionEnv({ PORT: 'eighty' }) });
    expect(exitCode).toBe(1);
    expect(lines).toContain('  ✖ PORT is invalid (Expected number, received nan) — use a port number between 0 and 65535');
  });
});
