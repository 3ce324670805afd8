import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import * as restify from 'restify';

/**
 * The baseline: the same stack as the service (botbuilder CloudAdapter + restify, anonymous) with a
 * bot that answers each message with one text and keeps no state.
 */
function main(): void {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
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
