import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from './app/build-app';
import type { Config } from './config/config';
import { demoExposureWarning } from './config/demo-exposure';
import { ConfigError, loadConfig } from './config/load-config';
import { summarizeConfig, summarizeStart } from './config/summarize-config';
import { PLAYGROUND_URL, startPlayground } from './demo/start-playground';
import { HeldLines } from './logging/held-lines';
import { createLogger, type Logger } from './logging/logger';
import { withoutWarning } from './logging/without-warning';

const ROOT_DIR = join(__dirname, '..');
/** How long in-flight requests get to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

interface Started {
  readonly app: App;
  readonly playground: ChildProcess | undefined;
}

/** Builds the app, listens, and in demo mode prints the three lines a newcomer needs. */
async function start(config: Config, logger: Logger): Promise<Started> {
  logger.info(summarizeStart(config), 'starting');
  logger.debug({ config: summarizeConfig(config) }, 'configuration');
  const exposure = demoExposureWarning(config);
  if (exposure) logger.warn({ host: config.server.host }, exposure);

  // restify loads spdy, whose http-deceiver reads process.binding('http_parser'): Node prints a
  // DEP0111 deprecation warning twice on every start about code outside this project. That code,
  // while restify loads, is the only warning dropped; the service's own modules load after it.
  await withoutWarning('DEP0111', () => import('restify'));
  const { buildApp } = await import('./app/build-app');
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
    console.log(
      [
        'Demo mode: nothing is written to Entra ID; texts and calls go to this console.',
        playground ? `Open ${PLAYGROUND_URL} in a browser to talk to the bot.` : `Bot endpoint: ${endpoint}`,
        `Demo phone inbox: http://127.0.0.1:${port}/demo/messages`,
        '',
      ].join('\n'),
    );
  }
  return { app, playground };
}

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

  // In demo mode the start-up log waits until the banner is out, so the banner comes first.
  const startupLog = config.demoMode ? new HeldLines(process.stdout) : undefined;
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty, ...(startupLog ? { destination: startupLog } : {}) });
  let started: Started;
  try {
    started = await start(config, logger);
  } finally {
    // After the banner, or on a failed start so its log is not lost.
    startupLog?.release();
  }
  const { app, playground } = started;

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
