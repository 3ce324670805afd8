import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import * as restify from 'restify';

/**
 * The baseline: the same stack as the service (botbuilder CloudAdapter + restify, anonymous) with a
 * bot that answers each message with one text and keeps no state.
 *
 * With ECHO_REPLACE_PREVIOUS=true it also replaces its previous reply in place before answering: the
 * two connector calls per turn that the conversation's design asks of every step (the answered card
 * becomes a summary, the next card is sent), with nothing else. That bounds what the service can reach.
 */
function main(): void {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const replacePrevious = process.env.ECHO_REPLACE_PREVIOUS === 'true';
  const lastReply = new Map<string, string>();
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const conversationId = context.activity.conversation.id;
    const previous = lastReply.get(conversationId);
    if (replacePrevious && previous) await context.updateActivity({ type: 'message', id: previous, text: 'answered' });
    const reply = await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    if (replacePrevious && reply?.id) lastReply.set(conversationId, reply.id);
    await next();
  });
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/readyz', async (_req, res) => { res.send(200, { status: 'ready' }); });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
