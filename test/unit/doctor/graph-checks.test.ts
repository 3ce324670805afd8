import { adminConsentAdvice } from '../../../tools/doctor/admin-consent-url';
import { decodeJwtPayload } from '../../../tools/doctor/decode-jwt-payload';
import { checkGraphPermissions } from '../../../tools/doctor/graph-permissions-check';
import { checkGraphToken } from '../../../tools/doctor/graph-token-check';
import { FakeEntraNetwork, fakeJwt } from './fake-entra-network';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = '9a3c1d0e-1111-4222-8333-444455556666';
const SECRET = 'client-secret-value-Qx7~';
const CONSENT = adminConsentAdvice({ appId: APP });
const LEAST = ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.Read.All', 'Policy.Read.AuthenticationMethod'];

describe('adminConsentAdvice', () => {
  it("leads with the portal's Grant admin consent button, never the /adminconsent URL (AADSTS500113 without a redirect URI)", () => {
    expect(CONSENT).toBe(
      `grant admin consent: Entra admin center > App registrations > the app ${APP} > API permissions > "Grant admin consent for <your organization>"`,
    );
    expect(CONSENT).not.toContain('/adminconsent');
  });

  it('tells a managed identity to use an app-role assignment', () => {
    const advice = adminConsentAdvice({ appId: APP, managedIdentity: true });
    expect(advice).toContain('/servicePrincipals/{identity object id}/appRoleAssignments');
    expect(advice).toContain('New-MgServicePrincipalAppRoleAssignment');
  });
});

describe('decodeJwtPayload', () => {
  it('reads the claims of a token', () => {
    expect(decodeJwtPayload(fakeJwt({ roles: ['Policy.Read.All'], tid: TENANT }))).toEqual({ roles: ['Policy.Read.All'], tid: TENANT });
  });

  it.each(['', 'opaque-token', 'a.b', 'a.!!!.c', `x.${Buffer.from('[1,2]').toString('base64url')}.y`])('answers undefined for %p', (token) => {
    expect(decodeJwtPayload(token)).toBeUndefined();
  });
});

describe('checkGraphPermissions', () => {
  const lines = (roles: unknown, allowedGroup = false) =>
    checkGraphPermissions({ token: fakeJwt({ roles }), consentAdvice: CONSENT, allowedGroup }).map((r) => `${r.status} ${r.title}`);

  it('passes with exactly the least-privileged permissions, the catalog lookup being optional', () => {
    expect(lines([...LEAST, 'AppCatalog.Read.All'])).toEqual([
      'ok Permission UserAuthMethod-Phone.ReadWrite.All granted',
      'ok Permission UserAuthenticationMethod.Read.All granted',
      'ok Permission Policy.Read.AuthenticationMethod granted',
      'ok Permission AppCatalog.Read.All granted',
    ]);
    expect(lines(LEAST).at(-1)).toBe(
      "warn Optional permission AppCatalog.Read.All not granted: the doctor cannot look up the Teams app's catalog id for install links",
    );
  });

  it('passes a broader permission with a note naming the least-privileged one', () => {
    const results = checkGraphPermissions({
      token: fakeJwt({ roles: ['UserAuthenticationMethod.ReadWrite.All', 'Policy.ReadWrite.AuthenticationMethod'] }),
      consentAdvice: CONSENT,
    });
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(results.slice(0, 3).map((r) => [r.status, r.title, r.fix])).toEqual([
      [
        'warn',
        'Permission UserAuthMethod-Phone.ReadWrite.All covered by the broader UserAuthenticationMethod.ReadWrite.All',
        expect.stringMatching(
          /^replace it with UserAuthMethod-Phone\.ReadWrite\.All, the least-privileged permission for .*phoneMethods \(https:\/\/learn\.microsoft\.com\/graph\/api\/authentication-post-phonemethods\)$/,
        ),
      ],
      [
        'warn',
        'Permission UserAuthenticationMethod.Read.All covered by the broader UserAuthenticationMethod.ReadWrite.All',
        expect.stringContaining('replace it with UserAuthenticationMethod.Read.All'),
      ],
      [
        'warn',
        'Permission Policy.Read.AuthenticationMethod covered by the broader Policy.ReadWrite.AuthenticationMethod',
        expect.stringContaining('replace it with Policy.Read.AuthenticationMethod'),
      ],
    ]);
  });

  it('does not take Policy.Read.All for the policy read, and says why it is not wanted', () => {
    const results = checkGraphPermissions({ token: fakeJwt({ roles: [...LEAST.slice(0, 2), 'Policy.Read.All'] }), consentAdvice: CONSENT });
    expect(results.find((r) => r.status === 'fail')).toEqual({
      status: 'fail',
      title:
        'Missing permission Policy.Read.AuthenticationMethod (needed to read the authentication methods policy (SMS, voice, office phone, migration state))',
      fix: `add Policy.Read.AuthenticationMethod (API permissions > Add a permission > Microsoft Graph > Application permissions), then ${CONSENT}`,
    });
    expect(results.at(-1)).toMatchObject({
      status: 'warn',
      title: expect.stringMatching(/^Permission Policy\.Read\.All is not needed: it also reads Conditional Access/),
    });
  });

  it('asks for the group membership permission only when ALLOWED_GROUP_ID is set, and accepts each documented set', () => {
    expect(lines(LEAST).some((l) => l.includes('ALLOWED_GROUP_ID'))).toBe(false);
    expect(lines(LEAST, true)).toContain(
      'fail Missing permission User.Read.All (needed to check that the user is a direct or nested member of ALLOWED_GROUP_ID, only because ALLOWED_GROUP_ID is set)',
    );
    expect(lines([...LEAST, 'User.Read.All'], true)).toContain('ok Permission User.Read.All granted (only because ALLOWED_GROUP_ID is set)');
    for (const broader of ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All']) {
      expect(lines([...LEAST, broader], true)).toContain(
        `warn Permission User.Read.All covered by the broader ${broader} (only because ALLOWED_GROUP_ID is set)`,
      );
    }
  });

  it('names a permission the bot does not use', () => {
    expect(lines([...LEAST, 'User.ReadWrite.All'])).toContain('warn Permission User.ReadWrite.All is not needed by the bot');
    expect(lines([...LEAST, 'Mail.Send'], false)).toContain('warn Permission Mail.Send is not needed by the bot');
  });

  it('names campaign-only permissions as such, and never requires them', () => {
    const granted = lines([...LEAST, 'GroupMember.Read.All', 'TeamsAppInstallation.ReadWriteSelfForUser.All'], false);
    expect(granted).toContain('ok Permission GroupMember.Read.All granted (used by npm run campaign only)');
    expect(granted).toContain('ok Permission TeamsAppInstallation.ReadWriteSelfForUser.All granted (used by npm run campaign only)');
    expect(lines(LEAST, false).some((l) => l.includes('campaign') || l.startsWith('fail'))).toBe(false);
  });

  it('names each missing permission with how to grant it', () => {
    const results = checkGraphPermissions({ token: fakeJwt({ roles: ['UserAuthMethod-Phone.ReadWrite.All'] }), consentAdvice: CONSENT });
    const failed = results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.title)).toEqual([
      "Missing permission UserAuthenticationMethod.Read.All (needed to list all of a user's methods (phones and hardware tokens included) for the welcome and the step-up gate)",
      'Missing permission Policy.Read.AuthenticationMethod (needed to read the authentication methods policy (SMS, voice, office phone, migration state))',
    ]);
    for (const result of failed) expect(result.fix).toContain(CONSENT);
  });

  it.each([undefined, 'Policy.Read.AuthenticationMethod', [42]])('treats roles %p as holding none of them', (roles) => {
    expect(lines(roles).filter((l) => l.startsWith('fail'))).toHaveLength(3);
  });

  it('does not guess from an opaque token', () => {
    const results = checkGraphPermissions({ token: 'opaque', consentAdvice: CONSENT });
    expect(results).toEqual([expect.objectContaining({ status: 'warn', title: expect.stringContaining('not checked') })]);
  });
});

describe('checkGraphToken', () => {
  const check = (network: FakeEntraNetwork, timeoutMs?: number) =>
    checkGraphToken({ clientId: APP, clientSecret: SECRET, tenantId: TENANT, networkClient: network, ...(timeoutMs ? { timeoutMs } : {}) });

  it('acquires a token from the tenant by client credentials', async () => {
    const token = fakeJwt({ roles: [] });
    const network = FakeEntraNetwork.issuing(TENANT, token);
    const result = await check(network);
    expect(result).toEqual({ result: { status: 'ok', title: 'Graph token acquired (client credentials)' }, token });
    expect(network.posts.map((u) => `${u.origin}${u.pathname}`)).toEqual([`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`]);
  });

  it.each([
    ['7000215', 'invalid_client', 'is not a valid client secret', 'copy its Value, not its Secret ID'],
    ['7000222', 'invalid_client', 'has expired', 'create a new client secret'],
    ['700016', 'unauthorized_client', 'was not found in the tenant', 'Overview page'],
    ['90002', 'invalid_request', 'tenant MICROSOFT_APP_TENANT_ID was not found', 'Directory (tenant) ID'],
  ])('explains AADSTS%s', async (code, error, problem, fix) => {
    const network = new FakeEntraNetwork(TENANT, {
      status: 400,
      body: { error, error_description: `AADSTS${code}: something went wrong. Trace ID: 1`, error_codes: [Number(code)] },
    });
    const { result, token } = await check(network);
    expect(token).toBeUndefined();
    expect(result.status).toBe('fail');
    expect(result.title).toContain(problem);
    expect(result.title).toContain(`AADSTS${code}`);
    expect(result.fix).toContain(fix);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('names an unknown Entra error by its codes', async () => {
    const network = new FakeEntraNetwork(TENANT, { status: 400, body: { error: 'invalid_scope', error_description: 'AADSTS70011: bad scope' } });
    const { result } = await check(network);
    expect(result.title).toBe('Graph token not acquired: invalid_scope, AADSTS70011');
  });

  it('reports an unreachable sign-in host', async () => {
    const { result } = await check(new FakeEntraNetwork(TENANT, { networkError: 'getaddrinfo ENOTFOUND login.microsoftonline.com' }));
    expect(result.status).toBe('fail');
    expect(result.title).toContain('could not be reached');
    expect(result.fix).toContain('outbound https');
  });

  it('gives up when the token endpoint does not answer', async () => {
    // The token endpoint never answers: the check returns only by giving up.
    const { result } = await check(new FakeEntraNetwork(TENANT, { hang: true }), 200);
    expect(result.title).toContain('no answer in time');
  });

  it('refuses an empty token', async () => {
    const { result, token } = await check(new FakeEntraNetwork(TENANT, { status: 404, body: {} }));
    expect(token).toBeUndefined();
    expect(result.status).toBe('fail');
  });

  it('fails without a client secret and sends nothing', async () => {
    const network = FakeEntraNetwork.issuing(TENANT, 'x');
    const { result } = await checkGraphToken({ clientId: APP, clientSecret: '', tenantId: TENANT, networkClient: network });
    expect(result.title).toContain('MICROSOFT_APP_PASSWORD is empty');
    expect(network.posts).toHaveLength(0);
  });
});
