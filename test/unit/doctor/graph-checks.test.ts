import { adminConsentUrl } from '../../../src/doctor/admin-consent-url';
import { decodeJwtPayload } from '../../../src/doctor/decode-jwt-payload';
import { checkGraphPermissions } from '../../../src/doctor/graph-permissions-check';
import { checkGraphToken } from '../../../src/doctor/graph-token-check';
import { FakeEntraNetwork, fakeJwt } from './fake-entra-network';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP = '9a3c1d0e-1111-4222-8333-444455556666';
const SECRET = 'client-secret-value-Qx7~';
const CONSENT = `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${APP}`;

describe('adminConsentUrl', () => {
  it('points at the tenant and the app', () => {
    expect(adminConsentUrl({ tenantId: TENANT, appId: APP })).toBe(CONSENT);
    expect(adminConsentUrl({ tenantId: TENANT, appId: APP, authorityHost: 'https://login.microsoftonline.us/' })).toBe(
      `https://login.microsoftonline.us/${TENANT}/adminconsent?client_id=${APP}`,
    );
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
  const lines = (roles: unknown) =>
    checkGraphPermissions({ token: fakeJwt({ roles }), consentUrl: CONSENT }).map((r) => `${r.status} ${r.title}`);

  it('passes with the three least-privilege permissions', () => {
    expect(lines(['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.Read.All', 'Policy.Read.All'])).toEqual([
      'ok Permission UserAuthMethod-Phone.ReadWrite.All granted',
      'ok Permission UserAuthenticationMethod.Read.All granted',
      'ok Permission Policy.Read.All granted',
    ]);
  });

  it('accepts UserAuthenticationMethod.ReadWrite.All for both method permissions, with a least-privilege warning', () => {
    expect(lines(['UserAuthenticationMethod.ReadWrite.All', 'Policy.Read.All'])).toEqual([
      'ok Permission UserAuthMethod-Phone.ReadWrite.All covered by UserAuthenticationMethod.ReadWrite.All',
      'ok Permission UserAuthenticationMethod.Read.All covered by UserAuthenticationMethod.ReadWrite.All',
      'ok Permission Policy.Read.All granted',
      'warn Permission UserAuthenticationMethod.ReadWrite.All is broader than the bot needs',
    ]);
  });

  it('names each missing permission with the consent URL', () => {
    const results = checkGraphPermissions({ token: fakeJwt({ roles: ['UserAuthMethod-Phone.ReadWrite.All'] }), consentUrl: CONSENT });
    const failed = results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.title)).toEqual([
      'Missing permission UserAuthenticationMethod.Read.All (needed to list a user\'s methods for the step-up gate)',
      'Missing permission Policy.Read.All (needed to read the authentication methods policy (SMS, voice, office phone))',
    ]);
    for (const result of failed) expect(result.fix).toContain(CONSENT);
  });

  it.each([undefined, 'Policy.Read.All', [42]])('treats roles %p as holding none of them', (roles) => {
    expect(lines(roles).filter((l) => l.startsWith('fail'))).toHaveLength(3);
  });

  it('does not guess from an opaque token', () => {
    const results = checkGraphPermissions({ token: 'opaque', consentUrl: CONSENT });
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
    const started = Date.now();
    const { result } = await check(new FakeEntraNetwork(TENANT, { hang: true }), 200);
    expect(Date.now() - started).toBeLessThan(2_000);
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
