import type { TurnContext } from 'botbuilder';
import * as restify from 'restify';
import { z } from 'zod/v4';
import type { Logger } from '../logging/logger';
import type { DemoMessageBook } from '../verification/demo-outbox';
import type { InboundCloudAdapter } from './inbound-cloud-adapter';
import { KeysUnavailableError } from './keys-unavailable-error';

export interface ServerDeps {
  readonly adapter: Pick<InboundCloudAdapter, 'answer'>;
  readonly bot: { run(context: TurnContext): Promise<void> };
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** Tells whether the service should receive traffic (false while starting or stopping). */
  readonly isReady: () => boolean;
  /** Demo mode only: the outbox served at GET /demo/messages. */
  readonly demoOutbox?: Pick<DemoMessageBook, 'list'>;
  /** Extra routes (helpdesk links, voice callbacks) registered by their own modules. */
  readonly extraRoutes?: ReadonlyArray<(server: restify.Server) => void>;
}

/** Characters Node accepts in a header value (tab, printable ASCII, Latin-1). */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]+$/;

/**
 * A protocol value that Teams fills (ids, types, names of events, locales): never a control character.
 * These reach logs, storage keys and reply URLs; what the user typed (text, card values) is checked
 * by the bot and the dialogs instead, so that the user is told in their language what was wrong.
 */
const protocolString = (): z.ZodString => z.string().regex(/^\P{Cc}*$/u, 'has control characters');

/** A ChannelAccount as the protocol defines it; the bot reads these ids and replies echo them back. */
const accountSchema = z.looseObject({
  id: protocolString().min(1),
  name: z.string().nullish(),
  aadObjectId: protocolString().nullish(),
  role: protocolString().nullish(),
});

/**
 * The activity fields the adapter, the bot and the reply serializer rely on, with the types the
 * Bot Framework protocol gives them. Anything else passes through untouched (card values are
 * checked by the dialogs; channelData by the guards).
 */
const activityShape = z.looseObject({
  type: protocolString().min(1),
  id: protocolString().nullish(),
  channelId: protocolString().min(1),
  serviceUrl: z.string().refine(isHttpUrl, 'not an absolute http(s) URL'),
  from: accountSchema,
  recipient: accountSchema,
  conversation: z.looseObject({
    // Replies carry the id in an HTTP header: an id that cannot go in one can never be answered.
    id: z.string().min(1).regex(HEADER_SAFE, 'has characters an HTTP header cannot carry'),
    name: z.string().nullish(),
    tenantId: protocolString().nullish(),
    conversationType: protocolString().nullish(),
    isGroup: z.boolean().nullish(),
  }),
  text: z.string().nullish(),
  locale: protocolString().nullish(),
  name: protocolString().nullish(),
  replyToId: protocolString().nullish(),
  membersAdded: z.array(accountSchema).nullish(),
  membersRemoved: z.array(accountSchema).nullish(),
});

/** Why a body is not an activity this service can process (for the log), or undefined when it is. */
function activityShapeProblem(body: unknown): string | undefined {
  const parsed = activityShape.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'not an activity';
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    // URL throws for anything that is not an absolute URL: that is the answer, not a failure.
    return false;
  }
}

/** Builds the HTTP server: routes only, no listen(). */
export function createServer(deps: ServerDeps): restify.Server {
  const log = deps.logger.child({ module: 'http' });
  const server = restify.createServer({ name: 'phone-mfa-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    const problem = activityShapeProblem(req.body);
    if (problem) {
      // Otherwise the adapter answers some with a 500 (no type), retries replies to nowhere for seconds (no
      // serviceUrl), or the turn fails on a field of the wrong type; Teams always sends these fields right.
      log.info({ problem }, 'activity refused: not a Bot Framework activity');
      res.send(400, { error: 'bad_request' });
      return;
    }
    try {
      const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      const answer = await deps.adapter.answer(authHeader, req.body as Record<string, unknown>, (context) => deps.bot.run(context));
      // An invoke nothing here takes (the bot answers none, a refused turn gives none) comes back as botbuilder's
      // bare 501. It is the sender's mistake, not a fault of the service: a 5xx would count traffic anyone can send
      // as the service failing.
      const status = answer.status === 501 && answer.body === undefined ? 400 : answer.status;
      // A 5xx body may carry an error's message (internal URLs or code): the caller gets a generic one.
      const body = status >= 500 && answer.body !== undefined ? { error: 'internal_error' } : answer.body;
      if (body === undefined) res.send(status);
      else res.send(status, body);
    } catch (error) {
      if (error instanceof KeysUnavailableError) {
        // Not a verdict on the token: the Bot Connector retries a 503, whereas a 401 would drop the
        // user's message. The outage is logged once where the keys are fetched.
        res.header('Retry-After', String(error.retryAfterSeconds));
        res.send(503, { error: 'service_unavailable' });
        return;
      }
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
    // `?to=5678`: only what went to the number ending in those digits (numbers are shown masked, so
    // at most the last four), which keeps the answer small for a test or a bench reading its code.
    server.get('/demo/messages', async (req, res) => {
      const to = new URLSearchParams(req.getQuery()).get('to') ?? undefined;
      if (to !== undefined && !/^\d{1,4}$/.test(to)) {
        res.send(400, { error: 'to must be the last one to four digits of the number' });
        return;
      }
      try {
        res.send(200, { messages: await outbox.list(to) });
      } catch (error) {
        // Shared storage unreachable: say so without the detail (which could name the account).
        log.warn({ errorName: error instanceof Error ? error.name : typeof error }, 'demo messages could not be read');
        res.send(503, { error: 'demo messages are unavailable right now' });
      }
    });
  }
  for (const register of deps.extraRoutes ?? []) register(server);

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, callback: () => void) => {
    log.info({ method: req.method, path: req.path(), status: err.statusCode }, 'request refused');
    callback();
  });
  return server;
}
