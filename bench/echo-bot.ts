import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, type TurnContext } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import * as restify from 'restify';
import { createLogger } from '../src/logging/logger';
import { createServer } from '../src/server/create-server';
import { InboundCloudAdapter } from '../src/server/inbound-cloud-adapter';
import { StrictBotFrameworkAuthentication } from '../src/server/strict-bot-framework-authentication';

/**
 * The echo bots of the benchmark, answering each message with one text and keeping no state.
 *
 * - The baseline (default): a plain bot on the stock stack, botbuilder CloudAdapter + restify,
 *   anonymous.
 * - ECHO_ON_SERVICE_TRANSPORT=true: the same echo behind the service's own endpoint (its request
 *   checks, adapter, authentication and reply path), which also replaces its previous reply in place
 *   before answering: the two connector calls the design asks of every step (the answered card
 *   becomes a summary, the next card is sent). It is the service without the registration, so the
 *   gap between it and the bot is what the registration's own work costs.
 * - ECHO_BLOB_CONNECTION_STRING (+ ECHO_BLOB_CONTAINER): the baseline keeping a turn counter in its
 *   ConversationState on botbuilder's stock BlobsStorage, as a plain echo sample does: one blob read
 *   and one eTag-conditional blob write per turn. It is what storage costs any bot on Blob.
 */
function main(): void {
  const onServiceTransport = process.env.ECHO_ON_SERVICE_TRANSPORT === 'true';
  const blob = process.env.ECHO_BLOB_CONNECTION_STRING;
  const state = blob ? new ConversationState(new BlobsStorage(blob, process.env.ECHO_BLOB_CONTAINER ?? 'bench-echo')) : undefined;
  const turns = state?.createProperty<number>('turns');
  const lastReply = new Map<string, string>();
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    if (turns) await turns.set(context, ((await turns.get(context, 0)) ?? 0) + 1);
    const conversationId = context.activity.conversation.id;
    const previous = lastReply.get(conversationId);
    if (onServiceTransport && previous) await context.updateActivity({ type: 'message', id: previous, text: 'answered' });
    const reply = await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    if (onServiceTransport && reply?.id) lastReply.set(conversationId, reply.id);
    await next();
  });
  if (state)
    bot.onTurn(async (context, next) => {
      await next();
      await state.saveChanges(context);
    });
  const server = onServiceTransport ? serviceEndpoint(bot) : stockEndpoint(bot);
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

function stockEndpoint(bot: ActivityHandler): restify.Server {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/readyz', async (_req, res) => {
    res.send(200, { status: 'ready' });
  });
  return server;
}

/** The service's endpoint (it serves /readyz itself). */
function serviceEndpoint(bot: ActivityHandler): restify.Server {
  return createServer({
    adapter: new InboundCloudAdapter(new StrictBotFrameworkAuthentication({})),
    bot: { run: (context: TurnContext) => bot.run(context) },
    logger: createLogger({ level: 'warn', pretty: false }),
    maxBodyBytes: 256 * 1024,
    isReady: () => true,
  });
}

main();
