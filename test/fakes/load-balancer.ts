import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestTls } from './test-tls';

/** One request the balancer passed on; the path has no query string, so no callback token is kept. */
export interface ForwardedRequest {
  readonly method: string;
  readonly pathname: string;
  /** Base URL of the instance that answered. */
  readonly backend: string;
  readonly status: number;
}

/** Headers that belong to one hop (or that fetch computes itself) and are not passed on. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection']);

/**
 * The load balancer in front of every instance of one deployment, on loopback: PUBLIC_BASE_URL
 * points here, so every instance hands ACS the same callback address, and the test decides which
 * instance receives the next request, as a real balancer may pick any of them.
 */
export class LoadBalancer {
  readonly forwarded: ForwardedRequest[] = [];
  private backend?: string;

  private constructor(
    private readonly server: Server,
    private readonly scheme: 'http' | 'https',
  ) {}

  /**
   * Starts the balancer on a free loopback port. With `tls` it terminates https, as the public front of
   * a production deployment does (PUBLIC_BASE_URL must be https there), and forwards plain http.
   */
  static async start(options: { readonly tls?: TestTls } = {}): Promise<LoadBalancer> {
    let balancer!: LoadBalancer;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void balancer.handle(req, res);
    };
    const server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createServer(handler);
    balancer = new LoadBalancer(server, options.tls ? 'https' : 'http');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  /** The deployment's public address (no trailing slash, like PUBLIC_BASE_URL). */
  get url(): string {
    return `${this.scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Sends every following request to this instance. */
  routeTo(backendBaseUrl: string): void {
    this.backend = backendBaseUrl;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const backend = this.backend;
    if (!backend) {
      // Like a balancer with no healthy instance behind it.
      res.writeHead(502);
      res.end();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const body = chunks.length > 0 && method !== 'GET' && method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
    let response: Response;
    let answer: Buffer;
    try {
      response = await fetch(`${backend}${req.url ?? '/'}`, { method, headers, body });
      answer = Buffer.from(await response.arrayBuffer());
    } catch {
      // The instance is gone (stopped mid-test): answer as a balancer would.
      res.writeHead(502);
      res.end();
      return;
    }
    this.forwarded.push({ method, pathname: new URL(req.url ?? '/', backend).pathname, backend, status: response.status });
    const contentType = response.headers.get('content-type');
    res.writeHead(response.status, contentType ? { 'content-type': contentType } : {});
    res.end(answer);
  }
}
