import type { CloudAdapter, TurnContext } from 'botbuilder';
import * as restify from 'restify';
import type { Logger } from '../logging/logger';
import type { DemoOutbox } from '../verification/demo-outbox';

export interface ServerDeps {
  readonly adapter: Pick<CloudAdapter, 'process'>;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** Tells whether the service should receive traffic (false while starting or stopping). */
  readonly isReady: () => boolean;
  /** Demo mode only: the outbox served at GET /demo/messages. */
  readonly demoOutbox?: Pick<DemoOutbox, 'list'>;
  /** Extra routes (helpdesk links, voice callbacks) registered by their own modules. */
  readonly extraRoutes?: ReadonlyArray<(server: restify.Server) => void>;
}

/** Builds the HTTP server: routes only, no listen(). */
export function createServer(deps: ServerDeps): restify.Server {
  const log = deps.logger.child({ module: 'http' });
  const server = restify.createServer({ name: 'phone-mfa-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    try {
      await deps.adapter.process(req, res, (context) => deps.bot.run(context));
    } catch (error) {
      // The adapter answers itself in almost every case; this only guards the response from hanging.
      log.error({ err: error }, 'message processing failed');
      if (!res.headersSent) res.send(500, { error: 'internal_error' });
    }
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    if (deps.isReady()) res.send(200, { status: 'ready' });
    else res.send(503, { status: 'not_ready' });
  });

  if (deps.demoOutbox) {
    const outbox = deps.demoOutbox;
    // The demo "phone": what would have been texted or called. Exists only in demo mode.
    server.get('/demo/messages', async (_req, res) => {
      res.send(200, { messages: outbox.list() });
    });
  }
  for (const register of deps.extraRoutes ?? []) register(server);

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, callback: () => void) => {
    log.info({ method: req.method, path: req.path(), status: err.statusCode }, 'request refused');
    callback();
  });
  return server;
}
