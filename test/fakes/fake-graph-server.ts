import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FakeGroups, MAX_PAGE_SIZE, offsetOf, skipTokenFor } from './fake-graph-groups';
import type {
  AuthenticationMethodsPolicy,
  AuthenticationMethodsPolicyMigrationState,
  AuthenticationMethodState,
  AuthenticationMethodTargetType,
  PhoneAuthenticationMethod,
  SmsAuthenticationMethodConfiguration,
  TeamsApp,
  TeamsAppDistributionMethod,
  VoiceAuthenticationMethodConfiguration,
} from '@microsoft/microsoft-graph-types';
import type { TestTls } from './test-tls';
import { FakeGraphThrottle, type FakeThrottleOptions } from './fake-graph-throttle';

// Requests and responses are typed with Microsoft's own Graph shapes (@microsoft/microsoft-graph-types),
// so the fake cannot serve or accept a property the service does not know.
type PhoneType = Exclude<NonNullable<PhoneAuthenticationMethod['phoneType']>, 'unknownFutureValue'>;

/** What an OData response carries besides the entity's own properties. */
interface ODataAnnotations {
  readonly '@odata.context'?: string;
  readonly '@odata.type'?: string;
}

// Graph's own values, written out here on purpose: the fake must not borrow the code under test.
const PHONE_IDS: Readonly<Record<PhoneType, string>> = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
};
const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
const NUMBER_FORMAT = /^\+\d{1,3} \d{4,15}(x\d{1,10})?$/;
const GRAPH_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata';
const BETA_CONTEXT = 'https://graph.microsoft.com/beta/$metadata';

/** A phone method as the fake stores it. */
export interface FakePhoneMethod {
  readonly id: string;
  readonly phoneType: PhoneType;
  phoneNumber: string;
}

/** Any other authentication method to show in `/authentication/methods`, with its `@odata.type`. */
interface FakeOtherMethod {
  readonly '@odata.type': string;
  readonly id: string;
  readonly [key: string]: unknown;
}

/** What a seeded user starts with. */
export interface FakeUserSeed {
  readonly phones?: readonly { readonly phoneType: PhoneType; readonly phoneNumber: string }[];
  readonly otherMethods?: readonly FakeOtherMethod[];
  /** Id of the user's default MFA method; Graph refuses to delete it. */
  readonly defaultMethodId?: string;
  /** Hardware OATH tokens: listed by beta `/authentication/hardwareOathMethods` and beta `/authentication/methods`, never by v1.0 `/methods`. */
  readonly hardwareOathMethods?: readonly FakeOtherMethod[];
}

/** One request the fake received, for assertions. */
export interface RecordedGraphRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1.0/users/u1/authentication/phoneMethods`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The JSON body, or undefined when there was none or it did not parse. */
  readonly body: unknown;
}

/** A scripted failure for the next request that matches. */
export interface GraphFault {
  /** Only requests with this HTTP method take the fault (any method when absent). */
  readonly method?: string;
  /** Only requests to exactly this path (without the query) take the fault, e.g. `/v1.0/policies/authenticationMethodsPolicy`. */
  readonly path?: string;
  /** Status to answer instead of the normal one; absent = answer normally (after `delayMs`). */
  readonly status?: number;
  /** Seconds for the `Retry-After` header. */
  readonly retryAfter?: number;
  /** Carry out the request before the delay, drop or error: "the write happened, the reply was lost or late". */
  readonly commitFirst?: boolean;
  /** Wait this long before answering (to trigger client timeouts). */
  readonly delayMs?: number;
  /** Hold the answer until `releaseHeld()` (or close): slower than any client time limit, with no clock involved. */
  readonly hold?: boolean;
  /** Drop the connection without an answer (a network error for the client). */
  readonly dropConnection?: boolean;
  readonly code?: string;
  readonly message?: string;
}

/** One include or exclude target of an authentication method configuration. */
interface FakePolicyTarget {
  readonly targetType: Exclude<AuthenticationMethodTargetType, 'unknownFutureValue'>;
  /** A group id, or `all_users`. */
  readonly id: string;
}

/** The SMS and voice method configurations of the fake tenant's authentication methods policy. */
export interface FakePhonePolicy {
  readonly sms: {
    readonly state: AuthenticationMethodState;
    readonly includeTargets?: readonly FakePolicyTarget[];
    readonly excludeTargets?: readonly FakePolicyTarget[];
  };
  readonly voice: {
    readonly state: AuthenticationMethodState;
    readonly isOfficePhoneAllowed: boolean;
    readonly includeTargets?: readonly FakePolicyTarget[];
    readonly excludeTargets?: readonly FakePolicyTarget[];
  };
  /**
   * `policyMigrationState` of the policy root; `absent` leaves the property out of the answer.
   * https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy
   */
  readonly migrationState?: AuthenticationMethodsPolicyMigrationState | 'absent';
}

/** An app in the fake tenant's Teams app catalog (`GET /appCatalogs/teamsApps`). */
export interface FakeCatalogApp {
  /** The catalog's own id (what install links for an org-catalog app need). */
  readonly id: string;
  /** The id in the app package's manifest. */
  readonly externalId: string;
  readonly displayName: string;
  readonly distributionMethod: Exclude<TeamsAppDistributionMethod, 'unknownFutureValue'>;
}

const ALL_USERS: readonly FakePolicyTarget[] = [{ targetType: 'group', id: 'all_users' }];

/**
 * Application permissions that let an app call each endpoint below (Graph's permission tables):
 * https://learn.microsoft.com/graph/api/user-list-transitivememberof and
 * https://learn.microsoft.com/graph/api/authentication-list-hardwareoathmethods?view=graph-rest-beta
 * (its "acting on other users" table, which `/users/{id}/…` is; the "Not supported" some versions of the
 * page give applications is in the "acting on self" table, `/me`, which an app-only token cannot call).
 */
const MEMBERSHIP_READERS = ['User.Read.All', 'User.ReadWrite.All', 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const HARDWARE_TOKEN_READERS = [
  'UserAuthMethod-HardwareOATH.Read.All',
  'UserAuthMethod-HardwareOATH.ReadWrite.All',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
];

/** Options for {@link FakeGraphServer.start}. */
export interface FakeGraphServerOptions {
  readonly tls: TestTls;
  /** The bearer token every request must carry. */
  readonly expectedToken: string;
  /** When true, only seeded users exist and any other id answers 404; otherwise users appear on first use. */
  readonly knownUsersOnly?: boolean;
}

/**
 * The application permissions (token `roles`) that let an app call each route, least privileged first,
 * from each call's permissions table in Microsoft's Graph v1.0 reference. A token that is a JWT with a
 * `roles` claim lacking all of them gets 403 Authorization_RequestDenied, as Graph answers.
 */
const ROUTE_ROLES = {
  // https://learn.microsoft.com/graph/api/authentication-list-phonemethods, .../phoneauthenticationmethod-get
  readPhones: [
    'UserAuthMethod-Phone.Read.All',
    'UserAuthMethod-Phone.ReadWrite.All',
    'UserAuthenticationMethod.Read.All',
    'UserAuthenticationMethod.ReadWrite.All',
  ],
  // https://learn.microsoft.com/graph/api/authentication-post-phonemethods, .../phoneauthenticationmethod-update, .../phoneauthenticationmethod-delete
  writePhones: ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  // https://learn.microsoft.com/graph/api/authentication-list-methods (acting on other users)
  listMethods: ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
  // https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get
  readPolicy: ['Policy.Read.AuthenticationMethod', 'Policy.ReadWrite.AuthenticationMethod', 'Policy.Read.All'],
  // https://learn.microsoft.com/graph/api/smsauthenticationmethodconfiguration-get, .../voiceauthenticationmethodconfiguration-get
  readMethodConfiguration: ['Policy.Read.AuthenticationMethod', 'Policy.ReadWrite.AuthenticationMethod'],
  // https://learn.microsoft.com/graph/api/appcatalogs-list-teamsapps
  listCatalogApps: ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** Properties a create may carry: https://learn.microsoft.com/graph/api/authentication-post-phonemethods (smsSignInState is read-only). */
const CREATE_PROPERTIES = ['phoneNumber', 'phoneType'] as const satisfies readonly (keyof PhoneAuthenticationMethod)[];
/** Properties an update may carry: https://learn.microsoft.com/graph/api/phoneauthenticationmethod-update */
const UPDATE_PROPERTIES = ['phoneNumber', 'phoneType'] as const satisfies readonly (keyof PhoneAuthenticationMethod)[];

interface FakeUser {
  readonly phones: Map<PhoneType, FakePhoneMethod>;
  readonly otherMethods: FakeOtherMethod[];
  readonly hardwareOathMethods: FakeOtherMethod[];
  defaultMethodId?: string;
}

interface GraphReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const DEFAULT_FAULT_CODES: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'badRequest', message: 'Bad request.' },
  401: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' },
  403: { code: 'accessDenied', message: 'Request Authorization failed' },
  404: { code: 'Request_ResourceNotFound', message: 'Resource does not exist.' },
  409: { code: 'conflict', message: 'The request conflicts with the current state.' },
  429: { code: 'TooManyRequests', message: 'Too many requests' },
  500: { code: 'generalException', message: 'General exception while processing.' },
  502: { code: 'badGateway', message: 'Bad gateway.' },
  503: { code: 'serviceNotAvailable', message: 'Service unavailable.' },
  504: { code: 'gatewayTimeout', message: 'Gateway timeout.' },
};

/** A local https stand-in for the Graph v1.0 phone authentication method endpoints (and the SMS and voice method policy), with Graph's rules and errors. */
export class FakeGraphServer {
  /** Every request received, in order. */
  readonly requests: RecordedGraphRequest[] = [];
  /** The tenant's groups, for `/users/{id}/transitiveMemberOf`. */
  readonly groups = new FakeGroups();
  /** The application permissions the token carries; undefined = every one (checked by the membership and hardware token routes). */
  private grantedPermissions: ReadonlySet<string> | undefined;
  private readonly users = new Map<string, FakeUser>();
  private readonly faults: GraphFault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly delays = new Map<NodeJS.Timeout, () => void>();
  private readonly heldReplies = new Set<() => void>();
  /** The tenant starts with SMS and voice enabled for all users and office phones allowed. */
  private phonePolicy: FakePhonePolicy = {
    sms: { state: 'enabled' },
    voice: { state: 'enabled', isOfficePhoneAllowed: true },
  };
  private policyReadDenied = false;
  private catalogApps: FakeCatalogApp[] = [];
  private throttle: FakeGraphThrottle | undefined;

  private constructor(
    private readonly server: https.Server,
    private readonly options: FakeGraphServerOptions,
  ) {}

  /** Starts the fake on 127.0.0.1 with a free port. */
  static async start(options: FakeGraphServerOptions): Promise<FakeGraphServer> {
    const server = https.createServer({ key: options.tls.key, cert: options.tls.cert });
    const fake = new FakeGraphServer(server, options);
    // Tracked so close() can cut connections a client abandoned mid-request.
    server.on('connection', (socket: Socket) => {
      fake.sockets.add(socket);
      socket.once('close', () => fake.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => {
        // A bug in the fake must show up as a failed request, not a hung test.
        fake.write(res, errorReply(500, 'fakeFailure', String(error)));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** `https://127.0.0.1:{port}`: the base URL to give a Graph client (it adds `/v1.0`). */
  get baseUrl(): string {
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return `https://127.0.0.1:${port}`;
  }

  /** Creates (or replaces) a user with the given methods. */
  seedUser(userId: string, seed: FakeUserSeed = {}): void {
    const user: FakeUser = { phones: new Map(), otherMethods: [...(seed.otherMethods ?? [])], hardwareOathMethods: [...(seed.hardwareOathMethods ?? [])] };
    if (seed.defaultMethodId !== undefined) user.defaultMethodId = seed.defaultMethodId;
    for (const phone of seed.phones ?? []) {
      user.phones.set(phone.phoneType, { id: PHONE_IDS[phone.phoneType], ...phone });
    }
    this.users.set(userId, user);
  }

  /** The user's phone methods as stored now (copies). */
  phonesOf(userId: string): FakePhoneMethod[] {
    return [...(this.users.get(userId)?.phones.values() ?? [])].map((p) => ({ ...p }));
  }

  /** Replaces the SMS and/or voice configuration of the authentication methods policy. */
  setPhonePolicy(policy: Partial<FakePhonePolicy>): void {
    this.phonePolicy = { ...this.phonePolicy, ...policy };
  }

  /** Puts apps in the tenant's Teams app catalog. */
  setCatalogApps(apps: readonly FakeCatalogApp[]): void {
    this.catalogApps = [...apps];
  }

  /** When denied, the policy endpoints answer 403 as Graph does for an app without a policy read permission. */
  denyPolicyRead(denied = true): void {
    this.policyReadDenied = denied;
  }

  /** The token carries only these application permissions: routes needing another answer 403 as Graph does. */
  grantOnly(permissions: readonly string[]): void {
    this.grantedPermissions = new Set(permissions);
  }

  /** The token carries every permission again (the default). */
  grantAll(): void {
    this.grantedPermissions = undefined;
  }

  /**
   * Throttles as Graph does (https://learn.microsoft.com/graph/throttling): over the budget, an app's
   * request answers 429 with `Retry-After` and `{"error":{"code":"TooManyRequests"}}`, and changes nothing.
   */
  throttleAt(options: FakeThrottleOptions): void {
    this.throttle = new FakeGraphThrottle(options);
  }

  /** Requests answered 429 by the throttle (scripted faults not counted). */
  get throttled(): number {
    return this.throttle?.refused ?? 0;
  }

  /** Queues a fault for the next matching request; faults are used in order. */
  failNext(fault: GraphFault): void {
    this.faults.push(fault);
  }

  /** Faults queued but not yet used. */
  get pendingFaults(): number {
    return this.faults.length;
  }

  /** Requests whose method and path match, e.g. `('POST', '/phoneMethods')`. */
  requestsTo(method: string, pathIncludes = ''): RecordedGraphRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.includes(pathIncludes));
  }

  /** Answers held by a `hold` fault and not released yet. */
  get held(): number {
    return this.heldReplies.size;
  }

  /** Lets every held answer go. */
  releaseHeld(): void {
    for (const release of this.heldReplies) release();
    this.heldReplies.clear();
  }

  async close(): Promise<void> {
    this.releaseHeld();
    for (const [timer, resolve] of this.delays) {
      clearTimeout(timer);
      resolve();
    }
    this.delays.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  /** A wait that close() cuts short, so no timer outlives the fake. */
  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve();
      }, ms);
      this.delays.set(timer, resolve);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    this.requests.push({ method, path, headers: req.headers, rawBody, body: parseJson(rawBody) });

    const pathname = new URL(path, 'https://graph.invalid').pathname;
    const faultIndex = this.faults.findIndex((f) => (f.method === undefined || f.method === method) && (f.path === undefined || f.path === pathname));
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0] : undefined;
    // Committing first models "the write happened, then the answer was lost or late".
    const committed = fault?.commitFirst ? this.route(method, path, req.headers, rawBody) : undefined;
    if (fault?.delayMs) await this.delay(fault.delayMs);
    if (fault?.hold) await new Promise<void>((resolve) => this.heldReplies.add(resolve));
    if (!this.server.listening) return;
    if (fault?.dropConnection) {
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      const defaults = DEFAULT_FAULT_CODES[fault.status] ?? { code: 'unknownError', message: 'Error.' };
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      this.write(res, errorReply(fault.status, fault.code ?? defaults.code, fault.message ?? defaults.message, headers));
      return;
    }
    // Graph counts per app; the token stands for the app here (one token per app in these tests).
    const retryAfter = committed ? undefined : this.throttle?.retryAfterSeconds(req.headers.authorization ?? '', method);
    if (retryAfter !== undefined) {
      this.write(res, errorReply(429, 'TooManyRequests', 'Too many requests', { 'Retry-After': String(retryAfter) }));
      return;
    }
    this.write(res, committed ?? this.route(method, path, req.headers, rawBody));
  }

  private route(method: string, path: string, headers: IncomingHttpHeaders, rawBody: string): GraphReply {
    const auth = headers.authorization;
    if (!auth) return errorReply(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (auth !== `Bearer ${this.options.expectedToken}`) {
      return errorReply(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    }
    const url = new URL(path, 'https://graph.invalid');
    const roles = rolesOf(this.options.expectedToken);
    const denied = (needed: readonly string[]): GraphReply | undefined =>
      roles && !needed.some((role) => roles.includes(role))
        ? errorReply(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
        : undefined;
    if (url.pathname === '/v1.0/policies/authenticationMethodsPolicy') {
      if (method !== 'GET') return methodNotAllowed();
      return denied(ROUTE_ROLES.readPolicy) ?? this.policyRoot();
    }
    const policyMatch = /^\/v1\.0\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/([^/]+)$/.exec(url.pathname);
    if (policyMatch) {
      return denied(ROUTE_ROLES.readMethodConfiguration) ?? this.policyConfiguration(method, decodeURIComponent(policyMatch[1] ?? ''));
    }
    if (url.pathname === '/v1.0/appCatalogs/teamsApps') {
      if (method !== 'GET') return methodNotAllowed();
      return denied(ROUTE_ROLES.listCatalogApps) ?? this.catalog(url.searchParams.get('$filter'));
    }
    const membershipMatch = /^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf$/.exec(url.pathname);
    if (membershipMatch) return this.transitiveMemberOf(method, decodeURIComponent(membershipMatch[1] ?? ''), url);
    const hardwareMatch = /^\/beta\/users\/([^/]+)\/authentication\/hardwareOathMethods$/.exec(url.pathname);
    if (hardwareMatch) return this.hardwareOathMethods(method, decodeURIComponent(hardwareMatch[1] ?? ''));
    const betaMethodsMatch = /^\/beta\/users\/([^/]+)\/authentication\/methods$/.exec(url.pathname);
    if (betaMethodsMatch) return denied(ROUTE_ROLES.listMethods) ?? this.betaMethods(method, decodeURIComponent(betaMethodsMatch[1] ?? ''));
    const match = /^\/v1\.0\/users\/([^/]+)\/authentication\/(phoneMethods|methods)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return errorReply(400, 'BadRequest', `Resource not found for the segment '${url.pathname}'.`);
    const userId = decodeURIComponent(match[1] ?? '');
    const collection = match[2];
    const methodId = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
    const user = this.userFor(userId);
    if (!user) {
      return errorReply(
        404,
        'Request_ResourceNotFound',
        `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    const body = parseJson(rawBody);
    const needed = collection === 'methods' ? ROUTE_ROLES.listMethods : method === 'GET' ? ROUTE_ROLES.readPhones : ROUTE_ROLES.writePhones;
    const refusal = denied(needed);
    if (refusal) return refusal;

    if (collection === 'methods') {
      if (method !== 'GET' || methodId !== undefined) return methodNotAllowed();
      return { status: 200, body: { '@odata.context': `${GRAPH_CONTEXT}#users('${userId}')/authentication/methods`, value: allMethods(user) } };
    }
    if (methodId === undefined) {
      if (method === 'GET') {
        return {
          status: 200,
          body: {
            '@odata.context': `${GRAPH_CONTEXT}#users('${userId}')/authentication/phoneMethods`,
            value: [...user.phones.values()].map(phoneResource),
          },
        };
      }
      if (method === 'POST') return this.create(userId, user, body);
      return methodNotAllowed();
    }
    const phone = [...user.phones.values()].find((p) => p.id === methodId);
    if (!phone) return errorReply(404, 'itemNotFound', `Phone method '${methodId}' was not found.`);
    if (method === 'GET') {
      return {
        status: 200,
        body: { '@odata.context': `${GRAPH_CONTEXT}#users('${userId}')/authentication/phoneMethods/$entity`, ...phoneResource(phone) },
      };
    }
    if (method === 'PATCH') return update(phone, body);
    if (method === 'DELETE') return remove(user, phone);
    return methodNotAllowed();
  }

  private granted(anyOf: readonly string[]): boolean {
    return this.grantedPermissions === undefined || anyOf.some((p) => this.grantedPermissions!.has(p));
  }

  /** Transitive memberships (groups and directory roles), paged with `$top` and `$skiptoken` as Graph pages them. */
  private transitiveMemberOf(method: string, userId: string, url: URL): GraphReply {
    if (method !== 'GET') return methodNotAllowed();
    // Directory objects answer a missing permission with this code (not the authentication methods' accessDenied).
    if (!this.granted(MEMBERSHIP_READERS)) return errorReply(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    if (!this.userFor(userId)) return userNotFound(userId);
    const topParam = url.searchParams.get('$top');
    const top = topParam === null ? undefined : Number(topParam);
    if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE)) {
      return errorReply(400, 'Request_BadRequest', `Invalid page size specified: '${topParam}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`);
    }
    const token = url.searchParams.get('$skiptoken');
    const offset = token === null ? 0 : offsetOf(token);
    if (offset === undefined) return errorReply(400, 'Request_BadRequest', 'The specified page token value has expired or is invalid.');
    const page = this.groups.page(userId, offset, top);
    const query = [url.searchParams.has('$select') ? `$select=${url.searchParams.get('$select')}` : '', top !== undefined ? `$top=${top}` : '']
      .filter((q) => q !== '')
      .join('&');
    const nextLink =
      page.nextOffset === undefined
        ? {}
        : {
            '@odata.nextLink': `${this.baseUrl}/v1.0/users/${userId}/transitiveMemberOf?${query ? `${query}&` : ''}$skiptoken=${skipTokenFor(page.nextOffset)}`,
          };
    return { status: 200, body: { '@odata.context': `${GRAPH_CONTEXT}#directoryObjects(id)`, ...nextLink, value: page.value.map((m) => ({ ...m })) } };
  }

  /**
   * Beta's list of every method of a user: beta's authentication methods API manages hardware OATH tokens
   * (https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview?view=graph-rest-beta)
   * and the list holds "the methods supported on this API version"
   * (https://learn.microsoft.com/graph/api/authentication-list-methods?view=graph-rest-beta), so the
   * tokens are in it, unlike v1.0's.
   */
  private betaMethods(method: string, userId: string): GraphReply {
    if (method !== 'GET') return methodNotAllowed();
    if (!this.granted(ROUTE_ROLES.listMethods)) return errorReply(403, 'accessDenied', 'Request Authorization failed');
    const user = this.userFor(userId);
    if (!user) return userNotFound(userId);
    const value = [...allMethods(user), ...user.hardwareOathMethods.map((m) => ({ ...m }))];
    return { status: 200, body: { '@odata.context': `${BETA_CONTEXT}#users('${userId}')/authentication/methods`, value } };
  }

  /** Beta's list of a user's hardware OATH tokens (there is no v1.0 one). */
  private hardwareOathMethods(method: string, userId: string): GraphReply {
    if (method !== 'GET') return methodNotAllowed();
    if (!this.granted(HARDWARE_TOKEN_READERS)) return errorReply(403, 'accessDenied', 'Request Authorization failed');
    const user = this.userFor(userId);
    if (!user) return userNotFound(userId);
    return {
      status: 200,
      body: {
        '@odata.context': `${BETA_CONTEXT}#users('${userId}')/authentication/hardwareOathMethods`,
        value: user.hardwareOathMethods.map((m) => ({ ...m })),
      },
    };
  }

  /** `GET /policies/authenticationMethodsPolicy`: the root, its migration state and its configurations (expanded by default). */
  private policyRoot(): GraphReply {
    if (this.policyReadDenied) return errorReply(403, 'accessDenied', 'Request Authorization failed');
    const migration = this.phonePolicy.migrationState ?? 'migrationComplete';
    const body: AuthenticationMethodsPolicy & ODataAnnotations = {
      '@odata.context': `${GRAPH_CONTEXT}#authenticationMethodsPolicy`,
      id: 'authenticationMethodsPolicy',
      displayName: 'Authentication Methods Policy',
      description:
        'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
      lastModifiedDateTime: '2026-06-01T08:00:00Z',
      policyVersion: '1.5',
      reconfirmationInDays: 0,
      ...(migration === 'absent' ? {} : { policyMigrationState: migration }),
      authenticationMethodConfigurations: [this.smsConfiguration(), this.voiceConfiguration()],
    };
    return { status: 200, body };
  }

  private policyConfiguration(method: string, id: string): GraphReply {
    if (method !== 'GET') return methodNotAllowed();
    if (this.policyReadDenied) return errorReply(403, 'accessDenied', 'Request Authorization failed');
    const context = `${GRAPH_CONTEXT}#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity`;
    // Graph matches configuration ids without regard to case (Sms, sms).
    const key = id.toLowerCase();
    if (key === 'sms') return { status: 200, body: { '@odata.context': context, ...this.smsConfiguration() } };
    if (key === 'voice') return { status: 200, body: { '@odata.context': context, ...this.voiceConfiguration() } };
    return errorReply(404, 'itemNotFound', `Authentication method configuration '${id}' was not found.`);
  }

  private smsConfiguration(): SmsAuthenticationMethodConfiguration & ODataAnnotations {
    const sms = this.phonePolicy.sms;
    return {
      '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration',
      id: 'Sms',
      state: sms.state,
      excludeTargets: [...(sms.excludeTargets ?? [])],
      includeTargets: (sms.includeTargets ?? ALL_USERS).map((t) => ({ ...t, isRegistrationRequired: false, isUsableForSignIn: true })),
    };
  }

  private voiceConfiguration(): VoiceAuthenticationMethodConfiguration & ODataAnnotations {
    const voice = this.phonePolicy.voice;
    return {
      '@odata.type': '#microsoft.graph.voiceAuthenticationMethodConfiguration',
      id: 'Voice',
      state: voice.state,
      isOfficePhoneAllowed: voice.isOfficePhoneAllowed,
      excludeTargets: [...(voice.excludeTargets ?? [])],
      includeTargets: (voice.includeTargets ?? ALL_USERS).map((t) => ({ ...t, isRegistrationRequired: false })),
    };
  }

  /** `GET /appCatalogs/teamsApps`, with the one `$filter` form the docs show for a manifest id: `externalId eq '{id}'`. */
  private catalog(filter: string | null): GraphReply {
    let apps = this.catalogApps;
    if (filter !== null) {
      const match = /^externalId eq '([^']*)'$/.exec(filter.trim());
      if (!match) return errorReply(400, 'BadRequest', `Invalid filter clause: ${filter}`);
      apps = apps.filter((app) => app.externalId === match[1]);
    }
    const value: TeamsApp[] = apps.map((app) => ({ ...app }));
    return { status: 200, body: { '@odata.context': `${GRAPH_CONTEXT}#appCatalogs/teamsApps`, value } };
  }

  private userFor(userId: string): FakeUser | undefined {
    const existing = this.users.get(userId);
    if (existing || this.options.knownUsersOnly) return existing;
    const created: FakeUser = { phones: new Map(), otherMethods: [], hardwareOathMethods: [] };
    this.users.set(userId, created);
    return created;
  }

  private create(userId: string, user: FakeUser, body: unknown): GraphReply {
    if (!isRecord(body)) return errorReply(400, 'BadRequest', 'Empty Payload. JSON content expected.');
    const unknown = unknownProperty(body, CREATE_PROPERTIES);
    if (unknown) return unknown;
    const { phoneType, phoneNumber } = body;
    if (phoneType === undefined) return errorReply(400, 'badRequest', 'The phoneType property is required.');
    if (phoneNumber === undefined) return errorReply(400, 'badRequest', 'The phoneNumber property is required.');
    if (!isPhoneType(phoneType)) return errorReply(400, 'badRequest', 'Invalid value for phoneType.');
    if (typeof phoneNumber !== 'string' || !NUMBER_FORMAT.test(phoneNumber)) {
      return errorReply(400, 'invalidPhoneNumber', 'Phone number is not in a valid format.');
    }
    if (user.phones.has(phoneType)) {
      return errorReply(400, 'badRequest', 'A phone method of this type already exists for the user.');
    }
    if (phoneType === 'alternateMobile' && !user.phones.has('mobile')) {
      return errorReply(400, 'badRequest', 'An alternate mobile phone requires a mobile phone to be registered first.');
    }
    const created: FakePhoneMethod = { id: PHONE_IDS[phoneType], phoneType, phoneNumber };
    user.phones.set(phoneType, created);
    return {
      status: 201,
      headers: { Location: `${GRAPH_CONTEXT.replace('$metadata', '')}users/${userId}/authentication/phoneMethods/${created.id}` },
      body: {
        '@odata.context': `${GRAPH_CONTEXT}#users('${userId}')/authentication/phoneMethods/$entity`,
        ...phoneResource(created),
      },
    };
  }

  private write(res: ServerResponse, reply: GraphReply): void {
    if (res.headersSent) return;
    const requestId = randomUUID();
    const headers: Record<string, string> = { 'request-id': requestId, 'client-request-id': requestId, ...reply.headers };
    let payload = '';
    if (reply.body !== undefined) {
      payload = JSON.stringify(withRequestId(reply.body, requestId));
      headers['Content-Type'] = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}

function update(phone: FakePhoneMethod, body: unknown): GraphReply {
  if (!isRecord(body)) return errorReply(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  const unknown = unknownProperty(body, UPDATE_PROPERTIES);
  if (unknown) return unknown;
  if (body.phoneType !== undefined && body.phoneType !== phone.phoneType) {
    return errorReply(400, 'badRequest', 'The phone type of a phone method cannot be changed.');
  }
  const { phoneNumber } = body;
  if (typeof phoneNumber !== 'string' || !NUMBER_FORMAT.test(phoneNumber)) {
    return errorReply(400, 'invalidPhoneNumber', 'Phone number is not in a valid format.');
  }
  phone.phoneNumber = phoneNumber;
  return { status: 204 };
}

function remove(user: FakeUser, phone: FakePhoneMethod): GraphReply {
  if (user.defaultMethodId === phone.id) {
    return errorReply(400, 'badRequest', "Phone method cannot be deleted because it matches the user's current default authentication method.");
  }
  if (phone.phoneType === 'mobile' && user.phones.has('alternateMobile')) {
    return errorReply(400, 'badRequest', 'The mobile phone method cannot be deleted while an alternate mobile phone exists.');
  }
  user.phones.delete(phone.phoneType);
  return { status: 204 };
}

function allMethods(user: FakeUser): unknown[] {
  // Graph always lists the password as a method, whatever else the user has.
  const password = { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: PASSWORD_METHOD_ID, password: null };
  const phones = [...user.phones.values()].map((p) => ({
    '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
    ...phoneResource(p),
  }));
  return [password, ...phones, ...user.otherMethods];
}

/** Graph refuses a body with a property the type does not have, or one that is read-only, with OData's 400. */
function unknownProperty(body: Record<string, unknown>, writable: readonly string[]): GraphReply | undefined {
  const extra = Object.keys(body).find((key) => !key.startsWith('@odata.') && !writable.includes(key));
  if (extra === undefined) return undefined;
  return errorReply(
    400,
    'BadRequest',
    `The property '${extra}' does not exist on type 'microsoft.graph.phoneAuthenticationMethod' or is read-only. Make sure to only use property names that are defined by the type.`,
  );
}

/** The `roles` claim of a JWT access token; undefined for an opaque test token (no permission model). */
function rolesOf(token: string): readonly string[] | undefined {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || !payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!isRecord(claims) || !Array.isArray(claims.roles)) return undefined;
    return claims.roles.filter((role): role is string => typeof role === 'string');
  } catch (error) {
    // Not a JWT: the fake then checks only that the token matches.
    void error;
    return undefined;
  }
}

function phoneResource(phone: FakePhoneMethod): PhoneAuthenticationMethod {
  return {
    id: phone.id,
    phoneNumber: phone.phoneNumber,
    phoneType: phone.phoneType,
    smsSignInState: phone.phoneType === 'mobile' ? 'notAllowedByPolicy' : 'notSupported',
  };
}

function errorReply(status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}): GraphReply {
  return { status, headers, body: { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19) } } } };
}

function userNotFound(userId: string): GraphReply {
  return errorReply(404, 'Request_ResourceNotFound', `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`);
}

function methodNotAllowed(): GraphReply {
  return errorReply(405, 'Request_BadRequest', 'The HTTP method is not allowed on this resource.');
}

/** Puts the response's request id into `innerError`, as Graph does. */
function withRequestId(body: unknown, requestId: string): unknown {
  if (!isRecord(body) || !isRecord(body.error) || !isRecord(body.error.innerError)) return body;
  return {
    error: {
      ...body.error,
      innerError: { 'request-id': requestId, 'client-request-id': requestId, ...body.error.innerError },
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPhoneType(value: unknown): value is PhoneType {
  return value === 'mobile' || value === 'alternateMobile' || value === 'office';
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    // A malformed body is recorded as undefined; the route then answers 400 like Graph.
    void error;
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
