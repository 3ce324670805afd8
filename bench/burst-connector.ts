import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchCard } from './bench-connector';
import { waitForCall } from './wait-for-call';

interface Conversation {
  lastCardId?: string;
  readonly cards: Map<string, BenchCard>;
  readonly texts: string[];
  readonly waiters: Set<() => void>;
}

/**
 * The Bot Connector for the enrollment-morning burst: like the main bench's, but it also keeps the
 * plain text replies, where the bot tells a throttled user when to try again.
 */
export class BurstConnector {
  private counter = 0;
  private readonly conversations = new Map<string, Conversation>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<BurstConnector> {
    let connector!: BurstConnector;
    const server = createServer((req, res) => {
      void connector.handle(req, res);
    });
    server.keepAliveTimeout = 60_000;
    connector = new BurstConnector(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return connector;
  }

  get serviceUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  lastCard(conversationId: string): { id: string; card: BenchCard } | undefined {
    const conversation = this.conversations.get(conversationId);
    const id = conversation?.lastCardId;
    return id ? { id, card: conversation.cards.get(id)! } : undefined;
  }

  texts(conversationId: string): readonly string[] {
    return this.conversations.get(conversationId)?.texts ?? [];
  }

  /** Resolves when the predicate holds after some call for the conversation; rejects after the timeout. */
  waitFor(conversationId: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
    return waitForCall(this.conversation(conversationId).waiters, predicate, timeoutMs);
  }

  forget(conversationId: string): void {
    this.conversations.delete(conversationId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private conversation(id: string): Conversation {
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = { cards: new Map(), texts: [], waiters: new Set() };
      this.conversations.set(id, conversation);
    }
    return conversation;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
      res.writeHead(404);
      res.end();
      return;
    }
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      type?: string;
      text?: string;
      attachments?: Array<{ contentType?: string; content?: BenchCard }>;
    };
    const conversation = this.conversation(decodeURIComponent(match[1]!));
    const id = req.method === 'PUT' ? decodeURIComponent(match[2] ?? '') : `activity-${++this.counter}`;
    const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
    if (card) {
      conversation.cards.set(id, card);
      if (req.method === 'POST') conversation.lastCardId = id;
    }
    if (activity.type === 'message' && typeof activity.text === 'string' && activity.text !== '') conversation.texts.push(activity.text);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
    for (const wake of [...conversation.waiters]) wake();
  }
}
