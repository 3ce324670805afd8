import type { Agent } from 'undici';
import type { Scheduler } from '../../../src/time/scheduler';
import { GraphPhoneDirectory } from '../../../src/directory/graph-phone-directory';
import type { AccessTokenSource } from '../../../src/graph/access-token-source';
import { DirectoryError, UNREADABLE_METHOD_KIND, type DirectoryErrorCode, type NewPhoneMethod } from '../../../src/directory/phone-directory';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';
import { createCollectingLogger } from './log-sink';

const TOKEN = 'graph-token-5f1c9e';
const USER = '6f1d2a3b-0000-4c5d-9e8f-0123456789ab';
const MOBILE_ID = '3179e48a-750b-4051-897c-87b9720928f7';
const OFFICE_ID = 'e37fc753-ff3b-4958-9484-eaa9425c82bc';
const PASSWORD_ID = '28c10230-6103-485e-b985-444c60001490';
const MOBILE: NewPhoneMethod = { phoneType: 'mobile', phoneNumber: '+81 9012345678' };
const ALTERNATE: NewPhoneMethod = { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' };
const OFFICE: NewPhoneMethod = { phoneType: 'office', phoneNumber: '+81 928022111x123' };
const PHONE_PATH = `/v1.0/users/${USER}/authentication/phoneMethods`;
/** Graph beta's list of every method, the one read the directory makes of a user. */
const METHODS_PATH = `/beta/users/${USER}/authentication/methods`;
const REQUEST_ID = /^[0-9a-f-]{36}$/;
// As Graph beta lists one (authentication-list-hardwareoathmethods), its device shortened.
const HARDWARE_TOKEN = {
  '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod',
  id: 'aad49556-0000-4000-8000-00000000700c',
  device: { serialNumber: 'TOTP123456', manufacturer: 'Contoso', status: 'activated' },
};

class FixedToken implements AccessTokenSource {
  calls = 0;
  constructor(private readonly token: string) {}
  async getAccessToken(): Promise<string> {
    this.calls++;
    return this.token;
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DirectoryError) return error;
    throw error;
  }
  throw new Error('expected a DirectoryError, but the call succeeded');
}

describe('GraphPhoneDirectory against a local https Graph', () => {
  let tls: TestTls;
  let fake: FakeGraphServer;
  let agent: Agent;
  let log: ReturnType<typeof createCollectingLogger>;

  beforeAll(async () => {
    tls = await createTestTls();
  });

  beforeEach(async () => {
    fake = await FakeGraphServer.start({ tls, expectedToken: TOKEN, knownUsersOnly: true });
    fake.seedUser(USER);
    agent = createTrustingAgent(tls.cert);
    log = createCollectingLogger();
  });

  afterEach(async () => {
    await fake.close();
    await agent.close();
  });

  /** Answers every wait at once, noting how long it was asked to be and how many requests Graph had seen by then. */
  function recordedWaits(): { scheduler: Scheduler; waits: Array<{ ms: number; requestsBefore: number }> } {
    const waits: Array<{ ms: number; requestsBefore: number }> = [];
    const scheduler: Scheduler = {
      schedule(callback, delayMs) {
        waits.push({ ms: delayMs, requestsBefore: fake.requests.length });
        callback();
        return () => undefined;
      },
    };
    return { scheduler, waits };
  }

  function directory(options: { token?: AccessTokenSource; timeoutMs?: number; maxThrottleWaitMs?: number; scheduler?: Scheduler } = {}): GraphPhoneDirectory {
    return new GraphPhoneDirectory({
      tokenProvider: options.token ?? new FixedToken(TOKEN),
      baseUrl: fake.baseUrl,
      fetchOptions: { dispatcher: agent },
      logger: log.logger,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxThrottleWaitMs !== undefined ? { maxThrottleWaitMs: options.maxThrottleWaitMs } : {}),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    });
  }

  describe('list', () => {
    it('reads the phone methods with the bearer token', async () => {
      fake.seedUser(USER, {
        phones: [MOBILE, { phoneType: 'office', phoneNumber: '+81 928022111x123' }],
        otherMethods: [{ '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'auth-1' }],
      });
      const methods = await directory().listPhoneMethods(USER);
      expect(methods).toEqual([
        { id: MOBILE_ID, phoneType: 'mobile', phoneNumber: '+81 9012345678' },
        { id: OFFICE_ID, phoneType: 'office', phoneNumber: '+81 928022111x123' },
      ]);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({ method: 'GET', path: METHODS_PATH });
      expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('encodes the user id into the path', async () => {
      fake.seedUser('adele@contoso.com');
      await directory().listPhoneMethods('adele@contoso.com');
      expect(fake.requests[0]?.path).toBe('/beta/users/adele%40contoso.com/authentication/methods');
    });

    it('lets the client retry a throttled read, honouring Retry-After', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'GET', status: 429, retryAfter: 0 });
      const methods = await directory().listPhoneMethods(USER);
      expect(methods).toHaveLength(1);
      expect(fake.requestsTo('GET')).toHaveLength(2);
      expect(fake.requests[1]?.headers['retry-attempt']).toBe('1');
    });

    it('gives up on a read throttled longer than the budget', async () => {
      fake.failNext({ method: 'GET', status: 429, retryAfter: 30 });
      const error = await rejectionOf(directory({ maxThrottleWaitMs: 2000 }).listPhoneMethods(USER));
      expect(error.code).toBe('graph_throttled');
      expect(error.details.retryAfterSeconds).toBe(30);
      expect(fake.requests).toHaveLength(1);
    });

    it('reports graph_unavailable when 503 outlasts the retries', async () => {
      for (let i = 0; i < 3; i++) fake.failNext({ method: 'GET', status: 503, retryAfter: 0 });
      const error = await rejectionOf(directory().listPhoneMethods(USER));
      expect(error.code).toBe('graph_unavailable');
      expect(error.details.status).toBe(503);
      expect(error.details.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(fake.requests).toHaveLength(3);
    });

    it('times out a slow read', async () => {
      fake.failNext({ method: 'GET', hold: true });
      const error = await rejectionOf(directory({ timeoutMs: 200 }).listPhoneMethods(USER));
      expect(error.code).toBe('graph_timeout');
      // Gave up while Graph still held its answer.
      expect(fake.held).toBe(1);
    });

    it.each<[number, DirectoryErrorCode]>([
      [401, 'permission_denied'],
      [403, 'permission_denied'],
      [500, 'graph_unavailable'],
      [418, 'graph_error'],
    ])('maps a %i answer to %s', async (status, code) => {
      fake.failNext({ status });
      const error = await rejectionOf(directory().listPhoneMethods(USER));
      expect(error.code).toBe(code);
      expect(error.details.status).toBe(status);
    });

    it('maps an unknown user to user_not_found', async () => {
      const error = await rejectionOf(directory().listPhoneMethods('not-a-user'));
      expect(error.code).toBe('user_not_found');
      expect(error.details.status).toBe(404);
    });

    it('reports a token Graph refuses as permission_denied', async () => {
      const error = await rejectionOf(directory({ token: new FixedToken('stale-token') }).listPhoneMethods(USER));
      expect(error.code).toBe('permission_denied');
      expect(fake.requests[0]?.headers.authorization).toBe('Bearer stale-token');
    });

    it('passes a token failure through without calling Graph', async () => {
      const failing: AccessTokenSource = {
        getAccessToken: async () => {
          throw new DirectoryError('permission_denied', 'Token request failed: invalid_client');
        },
      };
      const error = await rejectionOf(directory({ token: failing }).listPhoneMethods(USER));
      expect(error.code).toBe('permission_denied');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('add', () => {
    it('posts the number in Graph format and returns the created method', async () => {
      const created = await directory().addPhoneMethod(USER, MOBILE);
      const [post] = fake.requestsTo('POST');
      // Graph's request id comes back for the audit record.
      expect(created).toEqual({ id: MOBILE_ID, phoneType: 'mobile', phoneNumber: '+81 9012345678', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(post?.path).toBe(PHONE_PATH);
      expect(post?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(post?.headers['content-type']).toMatch(/^application\/json/);
      expect(post?.body).toEqual({ phoneNumber: '+81 9012345678', phoneType: 'mobile' });
      expect(post?.rawBody).toContain('"+81 9012345678"');
      expect(fake.phonesOf(USER)).toEqual([{ id: MOBILE_ID, phoneType: 'mobile', phoneNumber: '+81 9012345678' }]);
    });

    it('waits out a 429 with Retry-After and tries again', async () => {
      fake.failNext({ method: 'POST', status: 429, retryAfter: 1 });
      const { scheduler, waits } = recordedWaits();
      const created = await directory({ scheduler }).addPhoneMethod(USER, MOBILE);
      // One wait of Retry-After's second, between the refused POST and the next.
      expect(waits).toEqual([{ ms: 1000, requestsBefore: 1 }]);
      expect(created.id).toBe(MOBILE_ID);
      expect(fake.requestsTo('POST')).toHaveLength(2);
      expect(fake.phonesOf(USER)).toHaveLength(1);
    });

    it('reports graph_throttled when Retry-After is longer than it may wait', async () => {
      fake.failNext({ method: 'POST', status: 429, retryAfter: 60 });
      const { scheduler, waits } = recordedWaits();
      const error = await rejectionOf(directory({ maxThrottleWaitMs: 3000, scheduler }).addPhoneMethod(USER, MOBILE));
      expect(error.code).toBe('graph_throttled');
      expect(error.details.retryAfterSeconds).toBe(60);
      // It gave up without waiting at all.
      expect(waits).toEqual([]);
      expect(fake.requestsTo('POST')).toHaveLength(1);
      expect(fake.phonesOf(USER)).toEqual([]);
    });

    it('stops retrying a create that stays throttled', async () => {
      for (let i = 0; i < 5; i++) fake.failNext({ method: 'POST', status: 429, retryAfter: 0 });
      const error = await rejectionOf(directory().addPhoneMethod(USER, MOBILE));
      expect(error.code).toBe('graph_throttled');
      expect(error.details.retryAfterSeconds).toBe(0);
      expect(fake.requestsTo('POST')).toHaveLength(4);
      expect(fake.phonesOf(USER)).toEqual([]);
    });

    it('does not let the client resend a committed create: 503 after commit → one phone, success', async () => {
      fake.failNext({ method: 'POST', status: 503, retryAfter: 0, commitFirst: true });
      const created = await directory().addPhoneMethod(USER, MOBILE);
      expect(created).toEqual({ id: MOBILE_ID, ...MOBILE });
      expect(fake.requestsTo('POST')).toHaveLength(1);
      expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
      expect(fake.phonesOf(USER)).toHaveLength(1);
    });

    it('retries once when a 503 create did not happen', async () => {
      fake.failNext({ method: 'POST', status: 503 });
      const created = await directory().addPhoneMethod(USER, MOBILE);
      expect(created.id).toBe(MOBILE_ID);
      expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
      expect(fake.phonesOf(USER)).toHaveLength(1);
    });

    it('gives up after the one retry with graph_unavailable', async () => {
      fake.failNext({ method: 'POST', status: 504 });
      fake.failNext({ method: 'POST', status: 503 });
      const error = await rejectionOf(directory().addPhoneMethod(USER, MOBILE));
      expect(error.code).toBe('graph_unavailable');
      expect(error.details.status).toBe(503);
      expect(fake.requestsTo('POST')).toHaveLength(2);
      expect(fake.phonesOf(USER)).toEqual([]);
    });

    it('reconciles a create whose answer was lost with the connection', async () => {
      fake.failNext({ method: 'POST', dropConnection: true, commitFirst: true });
      const created = await directory().addPhoneMethod(USER, MOBILE);
      expect(created.id).toBe(MOBILE_ID);
      expect(fake.requestsTo('POST')).toHaveLength(1);
      expect(fake.phonesOf(USER)).toHaveLength(1);
    });

    it('reconciles a create that committed but answered too late', async () => {
      fake.failNext({ method: 'POST', delayMs: 1500, commitFirst: true });
      const created = await directory({ timeoutMs: 300 }).addPhoneMethod(USER, MOBILE);
      expect(created.id).toBe(MOBILE_ID);
      expect(fake.requestsTo('POST')).toHaveLength(1);
      expect(fake.phonesOf(USER)).toHaveLength(1);
    });

    it('reports graph_timeout when neither attempt answers in time', async () => {
      fake.failNext({ method: 'POST', delayMs: 1000, status: 503 });
      fake.failNext({ method: 'POST', delayMs: 1000, status: 503 });
      const error = await rejectionOf(directory({ timeoutMs: 200 }).addPhoneMethod(USER, MOBILE));
      expect(error.code).toBe('graph_timeout');
      expect(fake.requestsTo('POST')).toHaveLength(2);
    });

    it.each<[string, NewPhoneMethod[], NewPhoneMethod, DirectoryErrorCode]>([
      ['a second mobile', [MOBILE], { phoneType: 'mobile', phoneNumber: '+81 8011112222' }, 'type_already_registered'],
      ['an alternate without a mobile', [], { phoneType: 'alternateMobile', phoneNumber: '+81 8011112222' }, 'alternate_requires_mobile'],
      ['a number without the space', [], { phoneType: 'mobile', phoneNumber: '+819012345678' }, 'invalid_phone_format'],
      ['an office number with letters', [], { phoneType: 'office', phoneNumber: '+81 92-802-2111' }, 'invalid_phone_format'],
    ])('explains a refused create of %s', async (_name, seeded, method, code) => {
      fake.seedUser(USER, { phones: seeded });
      const error = await rejectionOf(directory().addPhoneMethod(USER, method));
      expect(error.code).toBe(code);
      expect(error.details.status).toBe(400);
      expect(error.details.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
      expect(fake.phonesOf(USER)).toHaveLength(seeded.length);
    });

    it('maps a 409 to conflict when the list shows no broken rule', async () => {
      fake.failNext({ method: 'POST', status: 409 });
      const error = await rejectionOf(directory().addPhoneMethod(USER, MOBILE));
      expect(error.code).toBe('conflict');
    });

    it('maps 403 to permission_denied without retrying', async () => {
      fake.failNext({ method: 'POST', status: 403, code: 'accessDenied' });
      const error = await rejectionOf(directory().addPhoneMethod(USER, MOBILE));
      expect(error.code).toBe('permission_denied');
      expect(error.details.status).toBe(403);
      expect(fake.requests).toHaveLength(1);
    });

    it('maps an unknown user to user_not_found', async () => {
      const error = await rejectionOf(directory().addPhoneMethod('not-a-user', MOBILE));
      expect(error.code).toBe('user_not_found');
    });
  });

  describe('list all authentication methods', () => {
    it('reads /authentication/methods and names each kind without the OData prefix', async () => {
      fake.seedUser(USER, {
        phones: [MOBILE],
        otherMethods: [
          { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'auth-1', displayName: 'Pixel' },
          { '@odata.type': '#microsoft.graph.someMethodGraphAddsLater', id: 'new-1' },
          { '@odata.type': 'vendor.customMethod', id: 'odd-1' },
        ],
      });
      const methods = await directory().listAuthenticationMethods(USER);
      expect(methods).toEqual([
        { id: PASSWORD_ID, kind: 'passwordAuthenticationMethod' },
        { id: MOBILE_ID, kind: 'phoneAuthenticationMethod' },
        { id: 'auth-1', kind: 'microsoftAuthenticatorAuthenticationMethod' },
        { id: 'new-1', kind: 'someMethodGraphAddsLater' },
        { id: 'odd-1', kind: 'vendor.customMethod' },
      ]);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({ method: 'GET', path: METHODS_PATH });
      expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('keeps an item without a type or an id as an unreadable method (the gate fails closed), and says so', async () => {
      fake.seedUser(USER, {
        otherMethods: [
          { '@odata.type': '', id: 'untyped-1' },
          { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: '' },
          { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: 'key-1' },
        ],
      });
      const methods = await directory().listAuthenticationMethods(USER);
      expect(methods).toEqual([
        { id: PASSWORD_ID, kind: 'passwordAuthenticationMethod' },
        { id: 'untyped-1', kind: UNREADABLE_METHOD_KIND },
        { id: '', kind: UNREADABLE_METHOD_KIND },
        { id: 'key-1', kind: 'fido2AuthenticationMethod' },
      ]);
      expect(log.lines.some((line) => line.includes('unreadable authentication method in the list'))).toBe(true);
    });

    it('lists hardware tokens, which the beta list holds and the v1.0 one leaves out', async () => {
      fake.seedUser(USER, { hardwareOathMethods: [HARDWARE_TOKEN] });
      expect(await directory().listAuthenticationMethods(USER)).toEqual([
        { id: PASSWORD_ID, kind: 'passwordAuthenticationMethod' },
        { id: HARDWARE_TOKEN.id, kind: 'hardwareOathAuthenticationMethod' },
      ]);
      expect(fake.requestsTo('GET', '/hardwareOathMethods')).toHaveLength(0);
    });

    it('counts a phone entry it cannot read as a method it cannot check, and shows it nowhere', async () => {
      fake.seedUser(USER, {
        phones: [MOBILE],
        // A phone type Graph might add later: not one the bot can show, manage or send a code to.
        otherMethods: [{ '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: 'pager-1', phoneNumber: '+81 2012345678', phoneType: 'pager' }],
      });
      const reader = directory();
      expect(await reader.listAuthenticationMethods(USER)).toEqual([
        { id: PASSWORD_ID, kind: 'passwordAuthenticationMethod' },
        { id: MOBILE_ID, kind: 'phoneAuthenticationMethod' },
        { id: 'pager-1', kind: UNREADABLE_METHOD_KIND },
      ]);
      expect((await reader.listPhoneMethods(USER)).map((m) => m.id)).toEqual([MOBILE_ID]);
    });

    it('needs only UserAuthenticationMethod.Read.All to read', async () => {
      fake.grantOnly(['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.Read.All']);
      fake.seedUser(USER, { hardwareOathMethods: [HARDWARE_TOKEN] });
      expect(await directory().listAuthenticationMethods(USER)).toHaveLength(2);
      fake.grantOnly(['UserAuthMethod-Phone.ReadWrite.All', 'Policy.Read.AuthenticationMethod']);
      expect((await rejectionOf(directory().listAuthenticationMethods(USER))).code).toBe('permission_denied');
    });

    it('lets the client retry a throttled read', async () => {
      fake.failNext({ method: 'GET', status: 429, retryAfter: 0 });
      const methods = await directory().listAuthenticationMethods(USER);
      expect(methods).toHaveLength(1);
      expect(fake.requestsTo('GET', '/authentication/methods')).toHaveLength(2);
    });

    it.each<[number, DirectoryErrorCode]>([
      [403, 'permission_denied'],
      [503, 'graph_unavailable'],
    ])('maps a %i answer to %s', async (status, code) => {
      for (let i = 0; i < 3; i++) fake.failNext({ status, retryAfter: 0 });
      const error = await rejectionOf(directory().listAuthenticationMethods(USER));
      expect(error.code).toBe(code);
      expect(error.details.status).toBe(status);
    });

    it('maps an unknown user to user_not_found', async () => {
      const error = await rejectionOf(directory().listAuthenticationMethods('not-a-user'));
      expect(error.code).toBe('user_not_found');
    });
  });

  describe('one read of a user, shared for a minute', () => {
    function clocked(recentReadMs?: number): { reader: GraphPhoneDirectory; clock: { now: () => number; advance: (ms: number) => void } } {
      let now = 1_000_000;
      const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
      const reader = new GraphPhoneDirectory({
        tokenProvider: new FixedToken(TOKEN),
        baseUrl: fake.baseUrl,
        fetchOptions: { dispatcher: agent },
        logger: log.logger,
        clock,
        ...(recentReadMs !== undefined ? { recentReadMs } : {}),
      });
      return { reader, clock };
    }
    const methodReads = (): number => fake.requestsTo('GET', '/authentication/methods').length;

    it('answers the phones and the gate from one read, and reads again after a minute', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      const { reader, clock } = clocked();
      expect(await reader.listPhoneMethods(USER)).toHaveLength(1);
      clock.advance(59_999);
      expect((await reader.listAuthenticationMethods(USER)).map((m) => m.kind)).toEqual(['passwordAuthenticationMethod', 'phoneAuthenticationMethod']);
      expect(methodReads()).toBe(1);
      clock.advance(1);
      await reader.listPhoneMethods(USER);
      expect(methodReads()).toBe(2);
    });

    it('forgets the list when it writes, so the next read sees the change', async () => {
      const { reader } = clocked();
      expect(await reader.listPhoneMethods(USER)).toEqual([]);
      await reader.addPhoneMethod(USER, MOBILE);
      expect(await reader.listPhoneMethods(USER)).toEqual([{ id: MOBILE_ID, phoneType: 'mobile', phoneNumber: MOBILE.phoneNumber }]);
      await reader.updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666');
      expect((await reader.listPhoneMethods(USER))[0]?.phoneNumber).toBe('+81 8055556666');
      await reader.deletePhoneMethod(USER, MOBILE_ID);
      expect(await reader.listPhoneMethods(USER)).toEqual([]);
      expect(methodReads()).toBe(4);
    });

    it('does not keep a list read while a write was under way', async () => {
      const { reader } = clocked();
      // Answered as Graph had it when the read arrived (before the create), then held.
      fake.failNext({ method: 'GET', hold: true, commitFirst: true });
      const before = reader.listPhoneMethods(USER);
      // The fake holds the list's answer once the request arrived; each turn of the loop lets I/O run.
      while (fake.held === 0) await new Promise((resolve) => setImmediate(resolve));
      await reader.addPhoneMethod(USER, MOBILE);
      fake.releaseHeld();
      // True when it was read, but not to be remembered: the next read goes to Graph.
      expect(await before).toEqual([]);
      expect(await reader.listPhoneMethods(USER)).toHaveLength(1);
    });

    it('re-reads, never remembers, when a create is refused, to say why', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      const { reader } = clocked();
      // A list gone stale: the type card was built before the mobile was registered elsewhere.
      expect(await reader.listPhoneMethods(USER)).toHaveLength(1);
      const error = await rejectionOf(reader.addPhoneMethod(USER, { phoneType: 'mobile', phoneNumber: '+81 8011112222' }));
      expect(error.code).toBe('type_already_registered');
      expect(fake.requestsTo('POST')).toHaveLength(1);
      expect(methodReads()).toBe(2);
    });

    it('reads every time with recentReadMs 0', async () => {
      const { reader } = clocked(0);
      await reader.listPhoneMethods(USER);
      await reader.listAuthenticationMethods(USER);
      expect(methodReads()).toBe(2);
    });

    it('hands out copies, so a caller cannot change what another is answered', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      const { reader } = clocked();
      const first = await reader.listPhoneMethods(USER);
      Object.assign(first[0] ?? {}, { phoneNumber: 'changed' });
      expect((await reader.listPhoneMethods(USER))[0]?.phoneNumber).toBe(MOBILE.phoneNumber);
    });
  });

  describe('group membership', () => {
    const GROUP = 'a1b2c3d4-0000-4000-8000-00000000a110';
    const PARENT = 'a1b2c3d4-0000-4000-8000-00000000a111';
    const OTHER = 'a1b2c3d4-0000-4000-8000-00000000a112';

    it('finds a direct member with one read of transitiveMemberOf', async () => {
      fake.groups.setGroup(GROUP, [USER]);
      expect(await directory().isGroupMember(USER, GROUP)).toBe(true);
      expect(fake.requests.map((r) => r.path)).toEqual([`/v1.0/users/${USER}/transitiveMemberOf?$select=id&$top=999`]);
      expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('finds a member of a nested group', async () => {
      fake.groups.setGroup(GROUP, [USER]);
      fake.groups.setGroup(PARENT, [GROUP]);
      expect(await directory().isGroupMember(USER, PARENT)).toBe(true);
    });

    it('answers false for a user outside the group', async () => {
      fake.groups.setGroup(GROUP, ['someone-else']);
      fake.groups.setGroup(OTHER, [USER]);
      fake.groups.addRole(USER, GROUP.replace('a110', 'beef'));
      expect(await directory().isGroupMember(USER, GROUP)).toBe(false);
    });

    it('follows @odata.nextLink until the group shows up', async () => {
      // 2,100 other groups: the allowed one is on the third page of 999.
      for (let i = 0; i < 2_100; i++) fake.groups.setGroup(`group-${i}`, [USER]);
      fake.groups.setGroup(GROUP, [USER]);
      expect(await directory().isGroupMember(USER, GROUP)).toBe(true);
      const paths = fake.requests.map((r) => r.path);
      expect(paths).toHaveLength(3);
      expect(paths[1]).toMatch(/^\/v1\.0\/users\/[^/]+\/transitiveMemberOf\?\$select=id&\$top=999&\$skiptoken=[\w-]+$/);
      for (const request of fake.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('reads every page before answering false', async () => {
      for (let i = 0; i < 1_500; i++) fake.groups.setGroup(`group-${i}`, [USER]);
      expect(await directory().isGroupMember(USER, GROUP)).toBe(false);
      expect(fake.requests).toHaveLength(2);
    });

    it('maps a token without a directory read permission to permission_denied (Authorization_RequestDenied)', async () => {
      fake.grantOnly(['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.Read.All']);
      fake.groups.setGroup(GROUP, [USER]);
      const error = await rejectionOf(directory().isGroupMember(USER, GROUP));
      expect(error.code).toBe('permission_denied');
      expect(error.details.status).toBe(403);
    });

    it.each(['User.Read.All', 'GroupMember.Read.All', 'Directory.Read.All'])('reads memberships with %s alone', async (permission) => {
      fake.grantOnly([permission]);
      fake.groups.setGroup(GROUP, [USER]);
      expect(await directory().isGroupMember(USER, GROUP)).toBe(true);
    });

    it('fails on a server error rather than answering', async () => {
      for (let i = 0; i < 3; i++) fake.failNext({ status: 503, retryAfter: 0 });
      const error = await rejectionOf(directory().isGroupMember(USER, GROUP));
      expect(error.code).toBe('graph_unavailable');
    });
  });

  describe('update', () => {
    it('patches only the number of the addressed method and returns the request id', async () => {
      fake.seedUser(USER, { phones: [MOBILE, OFFICE] });
      const result = await directory().updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666');
      expect(result).toEqual({ requestId: expect.stringMatching(REQUEST_ID) });
      expect(fake.requests).toHaveLength(1);
      const [patch] = fake.requestsTo('PATCH');
      expect(patch?.path).toBe(`${PHONE_PATH}/${MOBILE_ID}`);
      expect(patch?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(patch?.headers['content-type']).toMatch(/^application\/json/);
      expect(patch?.body).toEqual({ phoneNumber: '+81 8055556666' });
      expect(fake.phonesOf(USER)).toEqual([
        { id: MOBILE_ID, phoneType: 'mobile', phoneNumber: '+81 8055556666' },
        { id: OFFICE_ID, ...OFFICE },
      ]);
    });

    it('encodes the method id into the path', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      await rejectionOf(directory().updatePhoneMethod(USER, 'a/b?c', '+81 8055556666'));
      expect(fake.requestsTo('PATCH')[0]?.path).toBe(`${PHONE_PATH}/a%2Fb%3Fc`);
    });

    it('maps a refused number to invalid_phone_format without re-reading', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      const error = await rejectionOf(directory().updatePhoneMethod(USER, MOBILE_ID, '+818055556666'));
      expect(error.code).toBe('invalid_phone_format');
      expect(error.details).toMatchObject({ status: 400, requestId: expect.stringMatching(REQUEST_ID) });
      expect(fake.requests.map((r) => r.method)).toEqual(['PATCH']);
      expect(fake.phonesOf(USER)[0]?.phoneNumber).toBe(MOBILE.phoneNumber);
    });

    it('maps a method the user does not have to method_not_found', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      const error = await rejectionOf(directory().updatePhoneMethod(USER, OFFICE_ID, '+81 928022111'));
      expect(error.code).toBe('method_not_found');
      expect(error.details.status).toBe(404);
    });

    it('maps an unknown user to user_not_found', async () => {
      const error = await rejectionOf(directory().updatePhoneMethod('not-a-user', MOBILE_ID, '+81 8055556666'));
      expect(error.code).toBe('user_not_found');
      expect(error.details.status).toBe(404);
    });

    it('waits out a 429 and tries again', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'PATCH', status: 429, retryAfter: 0 });
      const result = await directory().updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666');
      expect(result.requestId).toMatch(REQUEST_ID);
      expect(fake.requestsTo('PATCH')).toHaveLength(2);
      expect(fake.phonesOf(USER)[0]?.phoneNumber).toBe('+81 8055556666');
    });

    it('reports graph_throttled at once when Retry-After exceeds the budget', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'PATCH', status: 429, retryAfter: 60 });
      const error = await rejectionOf(directory({ maxThrottleWaitMs: 3000 }).updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666'));
      expect(error.code).toBe('graph_throttled');
      expect(error.details.retryAfterSeconds).toBe(60);
      expect(fake.requestsTo('PATCH')).toHaveLength(1);
    });

    it('repeats a change whose answer was a 503 after it was committed', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'PATCH', status: 503, commitFirst: true });
      const result = await directory().updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666');
      expect(result.requestId).toMatch(REQUEST_ID);
      expect(fake.requests.map((r) => r.method)).toEqual(['PATCH', 'PATCH']);
      expect(fake.phonesOf(USER)[0]?.phoneNumber).toBe('+81 8055556666');
    });

    it('gives up after one retry with graph_unavailable', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'PATCH', status: 503 });
      fake.failNext({ method: 'PATCH', status: 504 });
      const error = await rejectionOf(directory().updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666'));
      expect(error.code).toBe('graph_unavailable');
      expect(error.details.status).toBe(504);
      expect(fake.requestsTo('PATCH')).toHaveLength(2);
      expect(fake.phonesOf(USER)[0]?.phoneNumber).toBe(MOBILE.phoneNumber);
    });

    it('reports graph_timeout when neither attempt answers in time', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'PATCH', delayMs: 1000 });
      fake.failNext({ method: 'PATCH', delayMs: 1000 });
      const error = await rejectionOf(directory({ timeoutMs: 200 }).updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666'));
      expect(error.code).toBe('graph_timeout');
      expect(fake.requestsTo('PATCH')).toHaveLength(2);
    });

    it('maps 403 to permission_denied without retrying', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'PATCH', status: 403 });
      const error = await rejectionOf(directory().updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666'));
      expect(error.code).toBe('permission_denied');
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('delete', () => {
    it('deletes the addressed method and returns the request id', async () => {
      fake.seedUser(USER, { phones: [MOBILE, OFFICE] });
      const result = await directory().deletePhoneMethod(USER, OFFICE_ID);
      expect(result).toEqual({ requestId: expect.stringMatching(REQUEST_ID) });
      expect(fake.requests).toHaveLength(1);
      const [del] = fake.requestsTo('DELETE');
      expect(del?.path).toBe(`${PHONE_PATH}/${OFFICE_ID}`);
      expect(del?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(del?.rawBody).toBe('');
      expect(fake.phonesOf(USER)).toEqual([{ id: MOBILE_ID, ...MOBILE }]);
    });

    it('explains a refused mobile delete by the alternate it still carries', async () => {
      fake.seedUser(USER, { phones: [MOBILE, ALTERNATE] });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, MOBILE_ID));
      expect(error.code).toBe('mobile_required_by_alternate');
      expect(error.details).toMatchObject({ status: 400, requestId: expect.stringMatching(REQUEST_ID) });
      expect(fake.requests.map((r) => r.method)).toEqual(['DELETE', 'GET']);
      expect(fake.phonesOf(USER)).toHaveLength(2);
    });

    it("maps Graph's default-method refusal to default_method without re-reading", async () => {
      fake.seedUser(USER, { phones: [MOBILE, OFFICE], defaultMethodId: OFFICE_ID });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, OFFICE_ID));
      expect(error.code).toBe('default_method');
      expect(error.details.status).toBe(400);
      expect(fake.requests.map((r) => r.method)).toEqual(['DELETE']);
      expect(fake.phonesOf(USER)).toHaveLength(2);
    });

    it('reads the default-method message without regard to case', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'DELETE', status: 400, code: 'badRequest', message: 'Cannot delete the DEFAULT Authentication Method of a user.' });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, MOBILE_ID));
      expect(error.code).toBe('default_method');
    });

    it('maps a refusal the list does not explain to graph_error', async () => {
      fake.seedUser(USER, { phones: [MOBILE, OFFICE] });
      fake.failNext({ method: 'DELETE', status: 400, code: 'badRequest', message: 'Bad request.' });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, OFFICE_ID));
      expect(error.code).toBe('graph_error');
      expect(error.details.status).toBe(400);
      expect(fake.requests.map((r) => r.method)).toEqual(['DELETE', 'GET']);
    });

    it('falls back to graph_error when the list cannot be re-read', async () => {
      fake.seedUser(USER, { phones: [MOBILE, ALTERNATE] });
      fake.failNext({ method: 'DELETE', status: 400, code: 'badRequest', message: 'Bad request.' });
      fake.failNext({ method: 'GET', status: 403 });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, MOBILE_ID));
      expect(error.code).toBe('graph_error');
      expect(error.details.status).toBe(400);
    });

    it('maps a first 404 to method_not_found', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, OFFICE_ID));
      expect(error.code).toBe('method_not_found');
      expect(error.details.status).toBe(404);
      expect(fake.requests).toHaveLength(1);
    });

    it('maps an unknown user to user_not_found', async () => {
      const error = await rejectionOf(directory().deletePhoneMethod('not-a-user', MOBILE_ID));
      expect(error.code).toBe('user_not_found');
    });

    it('counts a 404 on the retry after a committed 503 as success', async () => {
      fake.seedUser(USER, { phones: [MOBILE, OFFICE] });
      fake.failNext({ method: 'DELETE', status: 503, commitFirst: true });
      const result = await directory().deletePhoneMethod(USER, OFFICE_ID);
      expect(result.requestId).toMatch(REQUEST_ID);
      expect(fake.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
      expect(fake.phonesOf(USER)).toEqual([{ id: MOBILE_ID, ...MOBILE }]);
      expect(log.lines.some((line) => line.includes('graph delete reconciled'))).toBe(true);
    });

    it('counts a 404 after a lost connection as success', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'DELETE', dropConnection: true, commitFirst: true });
      await directory().deletePhoneMethod(USER, MOBILE_ID);
      expect(fake.requestsTo('DELETE')).toHaveLength(2);
      expect(fake.phonesOf(USER)).toEqual([]);
    });

    it('retries once when a 503 delete did not happen', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'DELETE', status: 503 });
      await directory().deletePhoneMethod(USER, MOBILE_ID);
      expect(fake.requestsTo('DELETE')).toHaveLength(2);
      expect(fake.phonesOf(USER)).toEqual([]);
    });

    it('still explains a refusal that comes on the retry', async () => {
      fake.seedUser(USER, { phones: [MOBILE, ALTERNATE] });
      fake.failNext({ method: 'DELETE', status: 504 });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, MOBILE_ID));
      expect(error.code).toBe('mobile_required_by_alternate');
      expect(fake.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE', 'GET']);
    });

    it('waits out a 429 and tries again', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'DELETE', status: 429, retryAfter: 1 });
      const { scheduler, waits } = recordedWaits();
      await directory({ scheduler }).deletePhoneMethod(USER, MOBILE_ID);
      expect(waits).toEqual([{ ms: 1000, requestsBefore: 1 }]);
      expect(fake.requestsTo('DELETE')).toHaveLength(2);
      expect(fake.phonesOf(USER)).toEqual([]);
    });

    it('does not read a 404 after a 429 as success: a 429 was a clear refusal', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'DELETE', status: 429, retryAfter: 0 });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, OFFICE_ID));
      expect(error.code).toBe('method_not_found');
      expect(fake.requestsTo('DELETE')).toHaveLength(2);
    });

    it('stops retrying a delete that stays throttled', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      for (let i = 0; i < 5; i++) fake.failNext({ method: 'DELETE', status: 429, retryAfter: 0 });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, MOBILE_ID));
      expect(error.code).toBe('graph_throttled');
      expect(fake.requestsTo('DELETE')).toHaveLength(4);
      expect(fake.phonesOf(USER)).toHaveLength(1);
    });

    it('gives up after one retry with graph_unavailable', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'DELETE', status: 503 });
      fake.failNext({ method: 'DELETE', status: 503 });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, MOBILE_ID));
      expect(error.code).toBe('graph_unavailable');
      expect(fake.requestsTo('DELETE')).toHaveLength(2);
      expect(fake.phonesOf(USER)).toHaveLength(1);
    });

    it('reports graph_timeout when neither attempt answers in time', async () => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'DELETE', delayMs: 1000 });
      fake.failNext({ method: 'DELETE', delayMs: 1000 });
      const error = await rejectionOf(directory({ timeoutMs: 200 }).deletePhoneMethod(USER, MOBILE_ID));
      expect(error.code).toBe('graph_timeout');
      expect(fake.requestsTo('DELETE')).toHaveLength(2);
    });

    it.each([401, 403])('maps %i to permission_denied without retrying', async (status) => {
      fake.seedUser(USER, { phones: [MOBILE] });
      fake.failNext({ method: 'DELETE', status });
      const error = await rejectionOf(directory().deletePhoneMethod(USER, MOBILE_ID));
      expect(error.code).toBe('permission_denied');
      expect(error.details.status).toBe(status);
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('logs changes and removals by path and request id, never the number or the token', async () => {
    fake.seedUser(USER, { phones: [MOBILE] });
    fake.failNext({ method: 'PATCH', status: 503, commitFirst: true });
    await directory().updatePhoneMethod(USER, MOBILE_ID, '+81 8055556666');
    await directory().deletePhoneMethod(USER, MOBILE_ID);
    const calls = log.lines.map((line): Record<string, unknown> => JSON.parse(line)).filter((e) => e.graphMethod !== undefined);
    expect(calls.map((e) => [e.graphMethod, e.status, e.attempt])).toEqual([
      ['PATCH', 503, 1],
      ['PATCH', 204, 2],
      ['DELETE', 204, 1],
    ]);
    for (const call of calls) {
      expect(call.path).toBe(`/users/${USER}/authentication/phoneMethods/${MOBILE_ID}`);
      expect(call.requestId).toMatch(REQUEST_ID);
    }
    const all = log.lines.join('\n');
    expect(all).not.toContain('8055556666');
    expect(all).not.toContain('9012345678');
    expect(all).not.toContain(TOKEN);
  });

  it('logs each call with status and request id, never the number or the token', async () => {
    fake.failNext({ method: 'POST', status: 503, commitFirst: true });
    await directory().addPhoneMethod(USER, MOBILE);
    await directory().listPhoneMethods(USER);
    const entries: Record<string, unknown>[] = log.lines.map((line) => JSON.parse(line));
    const calls = entries.filter((e) => e.graphMethod !== undefined);
    expect(calls.map((e) => [e.graphMethod, e.status])).toEqual([
      ['POST', 503],
      ['GET', 200],
      ['GET', 200],
    ]);
    expect(calls.map((e) => `${String(e.graphVersion)}${String(e.path)}`)).toEqual([
      `v1.0/users/${USER}/authentication/phoneMethods`,
      `beta/users/${USER}/authentication/methods`,
      `beta/users/${USER}/authentication/methods`,
    ]);
    for (const call of calls) {
      expect(call.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof call.durationMs).toBe('number');
    }
    const all = log.lines.join('\n');
    expect(all).not.toContain('9012345678');
    expect(all).not.toContain(TOKEN);
  });
});
