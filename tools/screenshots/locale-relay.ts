import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Agents Playground always sends `locale: en-US`. This relay sits between it and the bot and rewrites
 * the activity's locale (and the Teams clientInfo entity's) to another language, so the bot meets the
 * activities a Teams client set to that language would send. Everything else passes through unchanged.
 */
export class LocaleRelay {
  private server: Server | undefined;

  constructor(private readonly options: { readonly target: string; readonly locale: string }) {}

  /** Listens on a free loopback port and returns the endpoint to give the Playground. */
  async start(): Promise<string> {
    const server = createServer((req, res) => this.forward(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    const target = new URL(this.options.target);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = this.rewrite(Buffer.concat(chunks));
      const target = new URL(req.url ?? '/', this.options.target);
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const upstream = request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  }

  private rewrite(body: Buffer): Buffer {
    if (body.length === 0) return body;
    let activity: unknown;
    try {
      activity = JSON.parse(body.toString('utf8'));
    } catch {
      // Not an activity (the Playground only posts JSON); pass it on untouched.
      return body;
    }
    if (typeof activity !== 'object' || activity === null) return body;
    const record = activity as { locale?: unknown; entities?: unknown };
    record.locale = this.options.locale;
    if (Array.isArray(record.entities)) {
      for (const entity of record.entities) {
        if (typeof entity === 'object' && entity !== null && 'locale' in entity) (entity as { locale: unknown }).locale = this.options.locale;
      }
    }
    return Buffer.from(JSON.stringify(record), 'utf8');
  }
}
