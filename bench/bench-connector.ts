import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForCall } from './wait-for-call';

/** An Adaptive Card as the bench reads it: the buttons and the texts. */
export interface BenchCard {
  readonly body?: ReadonlyArray<{ readonly text?: string }>;
  readonly actions?: ReadonlyArray<{ readonly type: string; readonly data?: Record<string, string> }>;
}

interface Conversation {
  lastCardId?: string;
  readonly cards: Map<string, BenchCard>;
  readonly updates: Map<string, number>;
  replies: number;
  readonly waiters: Set<() => void>;
}

/**
 * A lean Bot Connector for load: answers the bot's replies and card updates with ids and keeps only
 * each conversation's cards (as last updated), so the simulated users can press their buttons.
 */
export class BenchConnector {
  calls = 0;
  /** Request bytes received from the bot (replies and card updates). */
  bytes = 0;
  private counter = 0;
  private readonly conversations = new Map<string, Conversation>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<BenchConnector> {
    let connector!: BenchConnector;
    const server = createServer((req, res) => {
      void connector.handle(req, res);
    });
    server.keepAliveTimeout = 60_000;
    connector = new BenchConnector(server);
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

  replies(conversationId: string): number {
    return this.conversations.get(conversationId)?.replies ?? 0;
  }

  updatesOf(conversationId: string, activityId: string): number {
    return this.conversations.get(conversationId)?.updates.get(activityId) ?? 0;
  }

  /** Resolves when the predicate holds after some call for the conversation; rejects after the timeout. */
  waitFor(conversationId: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
    return waitForCall(this.conversation(conversationId).waiters, predicate, timeoutMs);
  }

  /** Drops what is kept about a finished conversation. */
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
      conversation = { cards: new Map(), updates: new Map(), replies: 0, waiters: new Set() };
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
    this.calls += 1;
    this.bytes += Buffer.concat(chunks).length;
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      type?: string;
      attachments?: Array<{ contentType?: string; content?: BenchCard }>;
    };
    const conversation = this.conversation(decodeURIComponent(match[1]!));
    const id = req.method === 'PUT' ? decodeURIComponent(match[2] ?? '') : `activity-${++this.counter}`;
    const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
    if (req.method === 'POST' && activity.type !== 'typing') {
      conversation.replies += 1;
      if (card) {
        conversation.cards.set(id, card);
        conversation.lastCardId = id;
      }
    } else if (req.method === 'PUT' && card) {
      conversation.cards.set(id, card);
      conversation.updates.set(id, (conversation.updates.get(id) ?? 0) + 1);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
    for (const wake of [...conversation.waiters]) wake();
  }
}
