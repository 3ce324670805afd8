import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { FakeTeamsBatch } from './fake-teams-batch';

/** One call the bot made to the Bot Connector service. */
export interface ConnectorCall {
  readonly method: 'POST' | 'PUT';
  readonly conversationId: string;
  /** The activity id in the path: what is replied to (POST) or replaced (PUT). */
  readonly activityId?: string;
  readonly activity: Partial<Activity>;
  readonly authorization?: string;
}

/** A conversation the bot asked the connector to create (a proactive 1:1 chat). */
export interface CreatedConversation {
  readonly conversationId: string;
  /** `members[0].id` of the request: the user the chat is with. */
  readonly memberId: string;
  readonly tenantId?: string;
}

/**
 * A local Bot Connector: catches the bot's replies and card updates like Teams' service URL would,
 * answering with activity ids so the bot can update its cards later.
 */
export class ConnectorSink {
  readonly calls: ConnectorCall[] = [];
  /** Called with each reply or update once it is answered, e.g. to press a card the moment it is shown. */
  onCall?: (call: ConnectorCall) => void;
  /** Conversations created with `POST /v3/conversations` (Bot Framework REST API, Create Conversation). */
  readonly created: CreatedConversation[] = [];
  /**
   * Decides, per request, whether to answer 429 with this many seconds of `Retry-After` (Teams'
   * throttling answer, https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit)
   * instead of accepting it; undefined accepts. Also a place to observe each request as it arrives.
   */
  throttle: (request: { readonly method: string; readonly url: string }) => number | undefined = () => undefined;
  /** Teams' batch messaging endpoints; what a batch delivers shows in `created` and `replies` like a proactive message. */
  readonly batch = new FakeTeamsBatch((memberId, tenantId, activity) => this.deliverBatched(memberId, tenantId, activity));
  private counter = 0;
  private waiters: Array<() => void> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ConnectorSink> {
    let sink!: ConnectorSink;
    const server = createServer((req, res) => {
      void sink.handle(req, res);
    });
    sink = new ConnectorSink(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  /** The serviceUrl to put on activities (with the trailing slash the connector client expects). */
  get serviceUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Replies (new activities) in order, without typing indicators. */
  get replies(): Partial<Activity>[] {
    return this.calls.filter((c) => c.method === 'POST' && c.activity.type !== 'typing').map((c) => ({ ...c.activity, id: c.activity.id }));
  }

  /** The last state of the activity with this id: its last update, or the activity as first sent. */
  current(id: string): Partial<Activity> | undefined {
    const updates = this.calls.filter((c) => c.method === 'PUT' && c.activityId === id);
    if (updates.length > 0) return updates[updates.length - 1]!.activity;
    return this.calls.find((c) => c.method === 'POST' && c.activity.id === id)?.activity;
  }

  /** Waits until the predicate holds (e.g. a proactive reply arrived) or fails after the timeout. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the bot to answer');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async close(): Promise<void> {
    // Keep-alive sockets from the bot's HTTP client would hold close() open.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Create Conversation: a 1:1 chat has one id per user, so asking twice returns the same conversation. */
  private createConversation(chunks: Buffer[], res: ServerResponse): void {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      members?: Array<{ id?: string }>;
      tenantId?: string;
      channelData?: { tenant?: { id?: string } };
    };
    const memberId = body.members?.[0]?.id;
    if (!memberId) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'members is required' } }));
      return;
    }
    const conversationId = `a:1on1-${memberId}`;
    if (!this.created.some((c) => c.conversationId === conversationId)) {
      const tenantId = body.tenantId ?? body.channelData?.tenant?.id;
      this.created.push({ conversationId, memberId, ...(tenantId ? { tenantId } : {}) });
    }
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: conversationId }));
  }

  /** A message a batch operation delivered: Teams opens (or finds) the member's 1:1 chat and posts the activity there. */
  private deliverBatched(memberId: string, tenantId: string, activity: Partial<Activity>): void {
    const conversationId = `a:1on1-${memberId}`;
    if (!this.created.some((c) => c.conversationId === conversationId)) this.created.push({ conversationId, memberId, tenantId });
    this.calls.push({ method: 'POST', conversationId, activity: { ...activity, id: `activity-${++this.counter}` } });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const retryAfter = this.throttle({ method: req.method ?? '', url: req.url ?? '' });
    if (retryAfter !== undefined) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
      res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests' } }));
      return;
    }
    if (req.method === 'POST' && /^\/v3\/conversations\/?(?:\?.*)?$/.test(req.url ?? '')) return this.createConversation(chunks, res);
    if (this.batch.handle(req.method ?? '', req.url ?? '', Buffer.concat(chunks).toString('utf8'), res)) return;
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
      res.writeHead(404);
      res.end();
      return;
    }
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>;
    const id = req.method === 'PUT' ? decodeURIComponent(match[2] ?? '') : `activity-${++this.counter}`;
    if (req.method === 'POST') activity.id = id;
    const call: ConnectorCall = {
      method: req.method,
      conversationId: decodeURIComponent(match[1]!),
      activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
      activity,
      authorization: req.headers.authorization,
    };
    this.calls.push(call);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
    this.onCall?.(call);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
