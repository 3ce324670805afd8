import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestTls } from './test-tls';

/** A user of the fake tenant. */
export interface CampaignUserSeed {
  readonly id: string;
  readonly displayName: string;
  /** Entra `preferredLanguage`, e.g. `ja-JP`; absent = not set. */
  readonly preferredLanguage?: string;
  /** `@odata.type` of each registered method, e.g. `#microsoft.graph.phoneAuthenticationMethod`. */
  readonly methods?: readonly string[];
  /** The Teams app is installed for the user already (install answers 409). */
  readonly appInstalled?: boolean;
}

/** A group: users and groups (nested), by id. */
export interface CampaignGroupSeed {
  readonly id: string;
  readonly displayName: string;
  readonly members: readonly string[];
}

/** One request the fake answered (2xx or error). */
export interface CampaignGraphRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata';

/**
 * A local https Graph v1.0 for campaigns, from Microsoft's published API pages:
 * - group-list (`$filter=displayName eq '…'`): https://learn.microsoft.com/graph/api/group-list
 * - group-list-transitivemembers cast to microsoft.graph.user, paged with `@odata.nextLink`:
 *   https://learn.microsoft.com/graph/api/group-list-transitivemembers
 * - authentication-list-methods: https://learn.microsoft.com/graph/api/authentication-list-methods
 * - user-get with `$select=preferredLanguage`: https://learn.microsoft.com/graph/api/user-get
 * - userteamwork-post-installedapps (201; 409 Conflict when already installed):
 *   https://learn.microsoft.com/graph/api/userteamwork-post-installedapps
 * - throttling, 429 with Retry-After: https://learn.microsoft.com/graph/throttling
 * Requests without a bearer token get 401, as Graph answers them.
 */
export class FakeCampaignGraph {
  readonly users = new Map<string, CampaignUserSeed & { installed: boolean }>();
  readonly groups = new Map<string, CampaignGroupSeed>();
  readonly requests: CampaignGraphRequest[] = [];
  /** Items per page of transitive members (Graph's default is 100; `$top` lowers it). */
  pageSize = 100;
  /** Decides, per request, to answer 429 with this many seconds of Retry-After; undefined answers. */
  throttle: (request: { readonly method: string; readonly path: string }) => number | undefined = () => undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: https.Server) {}

  static async start(tls: TestTls): Promise<FakeCampaignGraph> {
    const server = https.createServer({ key: tls.key, cert: tls.cert });
    const fake = new FakeCampaignGraph(server);
    server.on('connection', (socket: Socket) => {
      fake.sockets.add(socket);
      socket.once('close', () => fake.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => fake.reply(req, res, 500, { error: { code: 'fakeFailure', message: String(error) } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  addUser(user: CampaignUserSeed): void {
    this.users.set(user.id, { ...user, installed: user.appInstalled ?? false });
  }

  addGroup(group: CampaignGroupSeed): void {
    this.groups.set(group.id, group);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'https://graph.invalid');
    const path = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';
    if (!/^Bearer .+/.test(req.headers.authorization ?? '')) {
      return this.reply(req, res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
    }
    const retryAfter = this.throttle({ method, path });
    if (retryAfter !== undefined) {
      return this.reply(req, res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests.' } }, { 'retry-after': String(retryAfter) });
    }
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/v1.0/groups') {
      const name = /^displayName eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '')?.[1]?.replace(/''/g, "'");
      const value = [...this.groups.values()].filter((g) => g.displayName === name).map((g) => ({ id: g.id, displayName: g.displayName }));
      return this.reply(req, res, 200, { '@odata.context': CONTEXT, value });
    }
    if (method === 'GET' && (m = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/.exec(path))) {
      if (!this.groups.has(m[1]!)) return this.notFound(req, res, m[1]!);
      const all = this.transitiveUsers(m[1]!);
      const top = Math.min(this.pageSize, Number(url.searchParams.get('$top') ?? this.pageSize));
      const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
      const value = all.slice(skip, skip + top).map((u) => ({ '@odata.type': '#microsoft.graph.user', id: u.id, displayName: u.displayName }));
      const next = new URL(url.pathname, this.baseUrl);
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skiptoken', String(skip + top));
      return this.reply(req, res, 200, { '@odata.context': CONTEXT, value, ...(skip + top < all.length ? { '@odata.nextLink': next.toString() } : {}) });
    }
    if (method === 'GET' && (m = /^\/v1\.0\/users\/([^/]+)\/authentication\/methods$/.exec(path))) {
      const user = this.users.get(m[1]!);
      if (!user) return this.notFound(req, res, m[1]!);
      const value = [
        { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490' },
        ...(user.methods ?? []).map((kind, i) => ({ '@odata.type': kind, id: `method-${i}` })),
      ];
      return this.reply(req, res, 200, { '@odata.context': CONTEXT, value });
    }
    if (method === 'GET' && (m = /^\/v1\.0\/users\/([^/]+)$/.exec(path))) {
      const user = this.users.get(m[1]!);
      if (!user) return this.notFound(req, res, m[1]!);
      return this.reply(req, res, 200, { '@odata.context': CONTEXT, id: user.id, preferredLanguage: user.preferredLanguage ?? null });
    }
    if (method === 'POST' && (m = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path))) {
      const user = this.users.get(m[1]!);
      if (!user) return this.notFound(req, res, m[1]!);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      if (typeof body['teamsApp@odata.bind'] !== 'string' || !/\/appCatalogs\/teamsApps\/[^/]+$/.test(body['teamsApp@odata.bind'])) {
        return this.reply(req, res, 400, { error: { code: 'BadRequest', message: 'teamsApp@odata.bind is required.' } });
      }
      if (user.installed) return this.reply(req, res, 409, { error: { code: 'Conflict', message: 'App is already installed.' } });
      user.installed = true;
      return this.reply(req, res, 201, {});
    }
    return this.reply(req, res, 400, { error: { code: 'BadRequest', message: `Unsupported request ${method} ${path}` } });
  }

  /** Users reachable from the group through any depth of nested groups, each once. */
  private transitiveUsers(groupId: string): CampaignUserSeed[] {
    const users = new Map<string, CampaignUserSeed>();
    const seenGroups = new Set<string>();
    const visit = (id: string): void => {
      if (seenGroups.has(id)) return;
      seenGroups.add(id);
      for (const member of this.groups.get(id)?.members ?? []) {
        if (this.groups.has(member)) visit(member);
        else if (this.users.has(member)) users.set(member, this.users.get(member)!);
      }
    };
    visit(groupId);
    return [...users.values()];
  }

  private notFound(req: IncomingMessage, res: ServerResponse, id: string): void {
    this.reply(req, res, 404, { error: { code: 'Request_ResourceNotFound', message: `Resource '${id}' does not exist.` } });
  }

  private reply(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.requests.push({ method: req.method ?? '', path: new URL(req.url ?? '/', 'https://graph.invalid').pathname, status });
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req-${this.requests.length}`, ...headers });
    res.end(JSON.stringify(body));
  }
}
