import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForCall } from './wait-for-call';

/** An Adaptive Card as the bench reads it: the buttons and the texts. */
export interface BenchCard {
  readonly body?: ReadonlyArray<{ readonly text?: string }>;
  readonly actions?: ReadonlyArray<{ readonly type: string; readonly data?: Record<string, string> }>;
}

/** A card's text blocks, one per line: what a simulated user reads. */
export function cardText(card: BenchCard | undefined): string {
  return (card?.body ?? []).map((element) => element.text ?? '').join('\n');
}

/** What every bench connector keeps of a conversation: its cards (as last updated) and who waits on it. */
export interface KeptConversation {
  lastCardId?: string;
  readonly cards: Map<string, BenchCard>;
  readonly waiters: Set<() => void>;
}

/** One reply (POST) or card update (PUT) the bot sent, as a connector records it. */
export interface BotSent {
  readonly method: 'POST' | 'PUT';
  /** The activity id: a new one for a reply, the updated one for an update. */
  readonly id: string;
  /** Request body size in bytes. */
  readonly bytes: number;
  readonly activity: { readonly type?: string; readonly text?: string };
  /** The Adaptive Card the activity carries, if any. */
  readonly card: BenchCard | undefined;
}

/**
 * A lean Bot Connector for load: answers the bot's replies and card updates with ids and lets each
 * subclass keep what its simulated users read. The bench and the burst differ only in what they keep.
 */
export abstract class ConversationConnector<C extends KeptConversation> {
  private counter = 0;
  private readonly conversations = new Map<string, C>();
  private readonly server: Server;

  protected constructor() {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server.keepAliveTimeout = 60_000;
  }

  /** A new conversation's record. */
  protected abstract newConversation(): C;
  /** Keeps what this connector needs of one call. */
  protected abstract record(conversation: C, call: BotSent): void;

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get serviceUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  lastCard(conversationId: string): { id: string; card: BenchCard } | undefined {
    const conversation = this.conversations.get(conversationId);
    const id = conversation?.lastCardId;
    return id ? { id, card: conversation.cards.get(id)! } : undefined;
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

  /** The conversation's record, if the bot has sent it anything (or someone waited on it). */
  protected existing(conversationId: string): C | undefined {
    return this.conversations.get(conversationId);
  }

  private conversation(id: string): C {
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = this.newConversation();
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
    const body = Buffer.concat(chunks);
    const activity = JSON.parse(body.toString('utf8')) as {
      type?: string;
      text?: string;
      attachments?: Array<{ contentType?: string; content?: BenchCard }>;
    };
    const conversation = this.conversation(decodeURIComponent(match[1]!));
    const id = req.method === 'PUT' ? decodeURIComponent(match[2] ?? '') : `activity-${++this.counter}`;
    const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
    this.record(conversation, { method: req.method, id, bytes: body.length, activity, card });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
    for (const wake of [...conversation.waiters]) wake();
  }
}
