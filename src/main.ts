import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from './app/build-app';
import { demoExposureWarning } from './config/demo-exposure';
import { ConfigError, loadConfig } from './config/load-config';
import { summarizeConfig } from './config/summarize-config';
import { PLAYGROUND_URL, startPlayground } from './demo/start-playground';
import { createLogger } from './logging/logger';

const ROOT_DIR = join(__dirname, '..');
/** How long in-flight requests get to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The composition root: the only place that reads process.env. */
async function main(): Promise<void> {
  const envFile = join(ROOT_DIR, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);

  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty });
  logger.info({ config: summarizeConfig(config) }, 'starting');
  const exposure = demoExposureWarning(config);
  if (exposure) logger.warn({ host: config.server.host }, exposure);

  const app = buildApp(config, logger, {
    // Demo mode only: the console plays the phone, so the person trying the bot can read the code.
    onDemoMessage: (line) => console.log(line),
  });

  await new Promise<void>((resolve) => app.server.listen(config.server.port, config.server.host, resolve));
  app.setReady(true);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const endpoint = `http://127.0.0.1:${port}/api/messages`;
  logger.info({ endpoint, host: config.server.host }, 'listening');

  const playground = config.demo.playground ? startPlayground({ rootDir: ROOT_DIR, botEndpoint: endpoint, logger }) : undefined;
  if (config.demoMode) {
    console.log([
      '',
      'Demo mode: nothing is written to Entra ID; texts and calls go to this console.',
      playground ? `Open ${PLAYGROUND_URL} in a browser to talk to the bot.` : `Bot endpoint: ${endpoint}`,
      `Demo phone inbox: http://127.0.0.1:${port}/demo/messages`,
      '',
    ].join('\n'));
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    app.setReady(false);
    playground?.kill('SIGTERM');
    const force = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
    force.unref();
    app.server.close(() => {
      void app.close().finally(() => process.exit(0));
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

void main();
