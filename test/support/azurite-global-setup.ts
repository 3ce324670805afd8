import { AZURITE_ENV, LocalAzurite } from './azurite';

/** Where the global teardown finds the Azurite this run started (jest runs both in the same process). */
export const RUN_AZURITE = Symbol.for('phone-mfa-registration-bot.test-azurite');
/** The run's Azurite queue service (Azure Storage Queues), stopped by the teardown as well. */
export const RUN_AZURITE_QUEUE = Symbol.for('phone-mfa-registration-bot.test-azurite-queue');

/**
 * Jest global setup: one Azurite per test run, on a port Azurite picked itself, so parallel runs and
 * other services on the machine never collide. The workers jest starts afterwards inherit the
 * variables; test files read them through `azuriteConnectionString()`.
 */
export default async function startRunAzurite(): Promise<void> {
  const [azurite, queue] = await Promise.all([LocalAzurite.start(), LocalAzurite.start({ service: 'queue' })]);
  (globalThis as Record<symbol, unknown>)[RUN_AZURITE_QUEUE] = queue;
  process.env[AZURITE_ENV.queueConnectionString] = queue.connectionString();
  (globalThis as Record<symbol, unknown>)[RUN_AZURITE] = azurite;
  process.env[AZURITE_ENV.port] = String(azurite.port);
  process.env[AZURITE_ENV.connectionString] = azurite.connectionString();
}
