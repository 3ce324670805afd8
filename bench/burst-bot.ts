import { readFileSync } from 'node:fs';
import { buildApp } from '../src/app/build-app';
import { loadConfig } from '../src/config/load-config';
import { GraphPhoneDirectory } from '../src/directory/graph-phone-directory';
import { GraphThrottleGate } from '../src/graph/graph-throttle-gate';
import { createLogger } from '../src/logging/logger';
import { createStorage } from '../src/storage/create-storage';
import { systemClock } from '../src/time/clock';
import { createTrustingAgent } from '../test/fakes/test-tls';

/**
 * One bot instance of the enrollment-morning burst: the service as `buildApp` wires it (demo delivery,
 * Blob storage shared with the other instance), with the Graph directory pointed at the throttling
 * fake Graph, and the same throttle gate production wires, on the shared storage.
 */
function main(): void {
  const env = process.env;
  const config = loadConfig(env);
  const logger = createLogger({ level: config.log.level, pretty: false });
  const storage = createStorage(config.storage, logger);
  const directory = new GraphPhoneDirectory({
    tokenProvider: { getAccessToken: () => Promise.resolve(env.BURST_GRAPH_TOKEN ?? '') },
    baseUrl: env.BURST_GRAPH_URL ?? '',
    fetchOptions: { dispatcher: createTrustingAgent(readFileSync(env.BURST_GRAPH_CA_FILE ?? '', 'utf8')) },
    logger,
    maxThrottleWaitMs: Number(env.BURST_MAX_THROTTLE_WAIT_MS ?? '5000'),
    throttleGate: new GraphThrottleGate({ storage, clock: systemClock, logger }),
  });
  const app = buildApp(config, logger, { storage, directory });
  app.server.listen(config.server.port, config.server.host, () => app.setReady(true));
  process.once('SIGTERM', () => {
    app.setReady(false);
    void app.close().finally(() => process.exit(0));
  });
}

main();
