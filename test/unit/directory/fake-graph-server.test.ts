import type { Agent } from 'undici';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';

const TOKEN = 'fake-graph-token';
const MOBILE_ID = '3179e48a-750b-4051-897c-87b9720928f7';
const ALTERNATE_ID = 'b6332ec1-7057-4abe-9331-3d72feddfe41';
const AUTHENTICATOR = { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'authn-1', displayName: 'Pixel' };

/** The fake is a test's stand-in for Graph, so its own behaviour is pinned here. */
describe('FakeGraphServer', () => {
  let tls: TestTls;
  let fake: FakeGraphServer;
  let agent: Agent;

  beforeAll(async () => {
    tls = await createTestTls();
  });
  beforeEach(async () => {
    fake = await FakeGraphServer.start({ tls, expectedToken: TOKEN, knownUsersOnly: true });
    agent = createTrustingAgent(tls.cert);
    fake.seedUser('u1', {
      phones: [
        { phoneType: 'mobile', phoneNumber: '+81 9012345678' },
        { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' },
      ],
      otherMethods: [AUTHENTICATOR],
      defaultMethodId: ALTERNATE_ID,
    });
  });
  afterEach(async () => {
    await fake.close();
    await agent.close();
  });

  async function call(method: string, path: string, body?: unknown, token = TOKEN) {
    const response = await fetch(`${fake.baseUrl}/v1.0${path}`, {
      method,
      dispatcher: agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    return { status: response.status, requestId: response.headers.get('request-id'), retryAfter: response.headers.get('retry-after'), json };
  }

  it('refuses a wrong token with a Graph-shaped 401', async () => {
    const wrong = await call('GET', '/users/u1/authentication/phoneMethods', undefined, 'other');
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: { code: 'InvalidAuthenticationToken', innerError: { 'request-id': wrong.requestId } } });
  });

  it('lists every method with its @odata.type, the password first', async () => {
    const all = await call('GET', '/users/u1/authentication/methods');
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({
      value: [
        { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod' },
        { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: MOBILE_ID, phoneType: 'mobile' },
        { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: ALTERNATE_ID, phoneType: 'alternateMobile' },
        AUTHENTICATOR,
      ],
    });
  });

  it('reads, updates and deletes one phone method', async () => {
    expect((await call('GET', `/users/u1/authentication/phoneMethods/${MOBILE_ID}`)).json).toMatchObject({
      id: MOBILE_ID,
      phoneNumber: '+81 9012345678',
    });
    const patched = await call('PATCH', `/users/u1/authentication/phoneMethods/${MOBILE_ID}`, { phoneNumber: '+81 7011112222' });
    expect(patched.status).toBe(204);
    expect(fake.phonesOf('u1').find((p) => p.id === MOBILE_ID)?.phoneNumber).toBe('+81 7011112222');
    fake.seedUser('u2', { phones: [{ phoneType: 'office', phoneNumber: '+1 2065555555' }] });
    const deleted = await call('DELETE', '/users/u2/authentication/phoneMethods/e37fc753-ff3b-4958-9484-eaa9425c82bc');
    expect(deleted.status).toBe(204);
    expect(fake.phonesOf('u2')).toEqual([]);
  });

  it.each<[string, string, string, unknown, number, RegExp]>([
    ['a number without the space', 'PATCH', `/users/u1/authentication/phoneMethods/${MOBILE_ID}`, { phoneNumber: '+817011112222' }, 400, /valid format/],
    [
      'a change of type',
      'PATCH',
      `/users/u1/authentication/phoneMethods/${MOBILE_ID}`,
      { phoneNumber: '+81 7011112222', phoneType: 'office' },
      400,
      /cannot be changed/,
    ],
    [
      'the default method',
      'DELETE',
      `/users/u1/authentication/phoneMethods/${ALTERNATE_ID}`,
      undefined,
      400,
      /matches the user's current default authentication method/,
    ],
    ['a mobile while an alternate exists', 'DELETE', `/users/u1/authentication/phoneMethods/${MOBILE_ID}`, undefined, 400, /alternate/],
    ['a second mobile', 'POST', '/users/u1/authentication/phoneMethods', { phoneType: 'mobile', phoneNumber: '+81 7011112222' }, 400, /already exists/],
    ['an unknown user', 'GET', '/users/nobody/authentication/phoneMethods', undefined, 404, /does not exist/],
    ['an unknown method id', 'GET', '/users/u1/authentication/phoneMethods/nope', undefined, 404, /not found/],
  ])('refuses %s', async (_name, method, path, body, status, message) => {
    const before = fake.phonesOf('u1');
    const answer = await call(method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ error: { message: expect.stringMatching(message), innerError: { 'request-id': answer.requestId } } });
    expect(fake.phonesOf('u1')).toEqual(before);
  });

  it.each<[string, unknown, RegExp]>([
    ['without phoneType', { phoneNumber: '+81 7011112222' }, /phoneType property is required/],
    ['without phoneNumber', { phoneType: 'office' }, /phoneNumber property is required/],
    ['with an unknown property', { phoneType: 'office', phoneNumber: '+81 928022111', extension: '12' }, /'extension' does not exist/],
    ['with the read-only smsSignInState', { phoneType: 'office', phoneNumber: '+81 928022111', smsSignInState: 'ready' }, /'smsSignInState'/],
  ])('refuses a create %s, as Graph does', async (_name, body, message) => {
    fake.seedUser('u4');
    const answer = await call('POST', '/users/u4/authentication/phoneMethods', body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { message: expect.stringMatching(message) } });
    expect(fake.phonesOf('u4')).toEqual([]);
  });

  it('refuses an update with a property the type does not have', async () => {
    const answer = await call('PATCH', `/users/u1/authentication/phoneMethods/${MOBILE_ID}`, { phoneNumber: '+81 7011112222', isDefault: true });
    expect(answer.status).toBe(400);
    expect(fake.phonesOf('u1').find((p) => p.id === MOBILE_ID)?.phoneNumber).toBe('+81 9012345678');
  });

  it('serves the policy root with its migration state, or without it', async () => {
    fake.setPhonePolicy({ migrationState: 'preMigration', sms: { state: 'disabled' } });
    const root = await call('GET', '/policies/authenticationMethodsPolicy');
    expect(root.status).toBe(200);
    expect(root.json).toMatchObject({
      id: 'authenticationMethodsPolicy',
      policyMigrationState: 'preMigration',
      authenticationMethodConfigurations: [
        { id: 'Sms', state: 'disabled' },
        { id: 'Voice', state: 'enabled', isOfficePhoneAllowed: true },
      ],
    });
    fake.setPhonePolicy({ migrationState: 'absent' });
    expect((await call('GET', '/policies/authenticationMethodsPolicy')).json).not.toHaveProperty('policyMigrationState');
  });

  it('finds a catalog app by its manifest id and refuses other filters', async () => {
    fake.setCatalogApps([
      { id: 'catalog-1', externalId: 'manifest-1', displayName: 'Phone MFA', distributionMethod: 'organization' },
      { id: 'catalog-2', externalId: 'manifest-2', displayName: 'Other', distributionMethod: 'organization' },
    ]);
    const found = await call('GET', `/appCatalogs/teamsApps?$filter=${encodeURIComponent("externalId eq 'manifest-1'")}`);
    expect(found.json).toMatchObject({ value: [{ id: 'catalog-1', externalId: 'manifest-1' }] });
    expect((found.json as { value: unknown[] }).value).toHaveLength(1);
    const bad = await call('GET', `/appCatalogs/teamsApps?$filter=${encodeURIComponent('displayName eq 1')}`);
    expect(bad.status).toBe(400);
  });

  it('refuses a call the token has no role for with 403 Authorization_RequestDenied', async () => {
    const jwt = (roles: string[]) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ roles })).toString('base64url')}.`;
    const readOnly = jwt(['UserAuthMethod-Phone.Read.All', 'Policy.Read.All']);
    await fake.close();
    fake = await FakeGraphServer.start({ tls, expectedToken: readOnly, knownUsersOnly: true });
    fake.seedUser('u1', { phones: [{ phoneType: 'mobile', phoneNumber: '+81 9012345678' }] });

    expect((await call('GET', '/users/u1/authentication/phoneMethods', undefined, readOnly)).status).toBe(200);
    const write = await call('POST', '/users/u1/authentication/phoneMethods', { phoneType: 'office', phoneNumber: '+81 928022111' }, readOnly);
    expect(write).toMatchObject({ status: 403, json: { error: { code: 'Authorization_RequestDenied' } } });
    expect(fake.phonesOf('u1')).toHaveLength(1);
    expect((await call('GET', '/users/u1/authentication/methods', undefined, readOnly)).status).toBe(403);
    // Policy.Read.All reads the policy root but is not listed for the SMS and voice configurations.
    expect((await call('GET', '/policies/authenticationMethodsPolicy', undefined, readOnly)).status).toBe(200);
    expect((await call('GET', '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms', undefined, readOnly)).status).toBe(403);
    expect((await call('GET', '/appCatalogs/teamsApps', undefined, readOnly)).status).toBe(403);
  });

  it('refuses an alternate phone before a mobile', async () => {
    fake.seedUser('u3');
    const answer = await call('POST', '/users/u3/authentication/phoneMethods', { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' });
    expect(answer.status).toBe(400);
    expect(fake.phonesOf('u3')).toEqual([]);
  });

  it('serves queued faults in order, only to matching methods, with Retry-After', async () => {
    fake.failNext({ method: 'POST', status: 429, retryAfter: 7 });
    const read = await call('GET', '/users/u1/authentication/phoneMethods');
    expect(read.status).toBe(200);
    expect(fake.pendingFaults).toBe(1);
    const throttled = await call('POST', '/users/u1/authentication/phoneMethods', { phoneType: 'office', phoneNumber: '+81 928022111' });
    expect(throttled).toMatchObject({ status: 429, retryAfter: '7', json: { error: { code: 'TooManyRequests' } } });
    expect(fake.phonesOf('u1')).toHaveLength(2);
    expect(fake.pendingFaults).toBe(0);
  });

  it('commits first when asked, then answers the fault', async () => {
    fake.failNext({ method: 'POST', status: 503, commitFirst: true });
    const answer = await call('POST', '/users/u1/authentication/phoneMethods', { phoneType: 'office', phoneNumber: '+81 928022111' });
    expect(answer.status).toBe(503);
    expect(fake.phonesOf('u1').map((p) => p.phoneType)).toContain('office');
  });

  it('records what it received', async () => {
    await call('POST', '/users/u1/authentication/phoneMethods', { phoneType: 'office', phoneNumber: '+81 928022111' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1.0/users/u1/authentication/phoneMethods',
      body: { phoneType: 'office', phoneNumber: '+81 928022111' },
    });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  describe('memberships and hardware tokens', () => {
    async function get(url: string) {
      const response = await fetch(url.startsWith('https://') ? url : `${fake.baseUrl}${url}`, {
        dispatcher: agent,
        headers: { Authorization: `Bearer ${TOKEN}` },
      });
      return { status: response.status, json: (await response.json()) as { value?: { id: string }[]; '@odata.nextLink'?: string; error?: { code: string } } };
    }

    it('lists transitive memberships once each, in pages of $top joined by @odata.nextLink', async () => {
      fake.groups.setGroup('g-direct', ['u1']);
      fake.groups.setGroup('g-parent', ['g-direct']);
      fake.groups.setGroup('g-grandparent', ['g-parent', 'u1']);
      fake.groups.setGroup('g-unrelated', ['someone-else']);
      const first = await get('/v1.0/users/u1/transitiveMemberOf?$select=id&$top=2');
      expect(first.json.value?.map((m) => m.id)).toEqual(['g-direct', 'g-grandparent']);
      const next = first.json['@odata.nextLink'];
      expect(next).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\/u1\/transitiveMemberOf\?\$select=id&\$top=2&\$skiptoken=/);
      const second = await get(next!);
      expect(second.json.value?.map((m) => m.id)).toEqual(['g-parent']);
      expect(second.json['@odata.nextLink']).toBeUndefined();
    });

    it('refuses a page size over 999 and a skip token it did not issue', async () => {
      expect((await get('/v1.0/users/u1/transitiveMemberOf?$top=1000')).status).toBe(400);
      expect((await get('/v1.0/users/u1/transitiveMemberOf?$skiptoken=made-up')).status).toBe(400);
    });

    it('answers 403 Authorization_RequestDenied to a token without a directory read permission', async () => {
      fake.grantOnly(['UserAuthenticationMethod.Read.All']);
      const denied = await get('/v1.0/users/u1/transitiveMemberOf');
      expect(denied.status).toBe(403);
      expect(denied.json.error?.code).toBe('Authorization_RequestDenied');
    });

    it('lists hardware tokens in beta only', async () => {
      fake.seedUser('u2', { hardwareOathMethods: [{ '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'hw-1' }] });
      expect((await get('/beta/users/u2/authentication/hardwareOathMethods')).json.value?.map((m) => m.id)).toEqual(['hw-1']);
      expect((await get('/v1.0/users/u2/authentication/hardwareOathMethods')).status).toBe(400);
      expect((await get('/v1.0/users/u2/authentication/methods')).json.value?.map((m) => m.id)).not.toContain('hw-1');
      fake.grantOnly(['UserAuthMethod-Phone.ReadWrite.All']);
      expect((await get('/beta/users/u2/authentication/hardwareOathMethods')).status).toBe(403);
    });

    it("lists every method in beta's method list: the password, phones with number and type, hardware tokens", async () => {
      fake.seedUser('u3', {
        phones: [{ phoneType: 'mobile', phoneNumber: '+81 9012345678' }],
        hardwareOathMethods: [{ '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'hw-1' }],
      });
      const listed = await get('/beta/users/u3/authentication/methods');
      expect(listed.status).toBe(200);
      expect(listed.json.value).toEqual([
        expect.objectContaining({ '@odata.type': '#microsoft.graph.passwordAuthenticationMethod' }),
        {
          '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
          id: '3179e48a-750b-4051-897c-87b9720928f7',
          phoneNumber: '+81 9012345678',
          phoneType: 'mobile',
          smsSignInState: 'notAllowedByPolicy',
        },
        { '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'hw-1' },
      ]);
      fake.grantOnly(['UserAuthMethod-Phone.ReadWrite.All']);
      expect((await get('/beta/users/u3/authentication/methods')).status).toBe(403);
      fake.grantOnly(['UserAuthenticationMethod.Read.All']);
      expect((await get('/beta/users/u3/authentication/methods')).status).toBe(200);
    });
  });
});
