import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { BlobStateStorage, storageErrorSummary } from './blob-state-storage';
import { MemoryStateStorage } from './memory-state-storage';
import type { StateStorage } from './state-storage';

/** Which storage account a connection string names, for the log (never the key). */
function describeAccount(connectionString: string): string {
  if (/UseDevelopmentStorage=true/iu.test(connectionString)) return 'development storage (Azurite)';
  const name = /(?:^|;)\s*AccountName=([^;]+)/iu.exec(connectionString)?.[1];
  const endpoint = /(?:^|;)\s*BlobEndpoint=([^;]+)/iu.exec(connectionString)?.[1];
  return name ?? endpoint ?? 'account from the connection string';
}

/**
 * The single bot `Storage` every piece of state goes through (dialog state, pending verifications,
 * send counters, submit nonces, call references): Azure Blob Storage shared by all instances when
 * configured, else this process's memory (one instance only; lost on restart). Both create a record
 * only where none exists yet, so a first write is as conditional as every later one.
 */
export function createStorage(config: Config['storage'] | undefined, logger: Logger): StateStorage {
  const log = logger.child({ module: 'storage' });
  if (!config) {
    log.info('bot state is kept in memory: run a single instance (set STORAGE_CONNECTION_STRING to share state)');
    return new MemoryStateStorage();
  }
  const storage = new BlobStateStorage({ connectionString: config.connectionString, container: config.container, logger });
  const account = describeAccount(config.connectionString);
  // Created at start-up so a wrong connection string shows in the log before the first user writes.
  storage.prepare().then(
    () => log.info({ account, container: config.container }, 'bot state is kept in blob storage'),
    (error: unknown) => log.error({ error: storageErrorSummary(error), account, container: config.container }, 'blob storage for bot state is not reachable'),
  );
  return storage;
}
