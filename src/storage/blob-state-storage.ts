import { BlobsStorage, type BlobsStorageOptions } from 'botbuilder-azure-blobs';
import type { Storage, StoreItems } from 'botbuilder';
import type { Logger } from '../logging/logger';

export interface BlobStateStorageOptions {
  readonly connectionString: string;
  readonly container: string;
  readonly logger: Logger;
  /** Builds the underlying store; tests replace it to simulate an unreachable account. */
  readonly createInner?: () => Storage;
}

/**
 * Retries are kept short: a turn that waits on storage must still answer Teams within ~10 s, so a
 * few quick tries beat the SDK default (4 tries with back-off up to two minutes).
 */
const PIPELINE: BlobsStorageOptions = {
  storagePipelineOptions: { retryOptions: { maxTries: 3, tryTimeoutInMs: 4_000, retryDelayInMs: 100, maxRetryDelayInMs: 1_000 } },
};

/** True for the error botbuilder stores throw when a write's eTag no longer matches. */
function isETagConflict(error: unknown): boolean {
  return error instanceof Error && /etag conflict/iu.test(error.message);
}

/** The parts of a storage error worth logging: Azure errors carry the signed request, which stays out. */
export function storageErrorSummary(error: unknown): { message: string; code?: string; statusCode?: number } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = 'code' in error ? error.code : undefined;
  const statusCode = 'statusCode' in error ? error.statusCode : undefined;
  return {
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
  };
}

/**
 * Bot state in one Azure Blob Storage container (`BlobsStorage`: one JSON blob per key, writes with
 * an eTag are conditional). Creates the container at start-up, and recovers from an unreachable
 * account at start-up: `BlobsStorage` remembers a failed container creation for its whole life, so
 * an instance that has never worked is replaced after a failure instead of failing every turn.
 */
export class BlobStateStorage implements Storage {
  private readonly options: BlobStateStorageOptions;
  private readonly log: Logger;
  private inner: Storage;
  private proven = false;

  constructor(options: BlobStateStorageOptions) {
    this.options = options;
    this.log = options.logger.child({ module: 'blob-state-storage' });
    this.inner = this.createInner();
  }

  /** Creates the container if needed (reading no keys runs the store's one-time set-up). */
  async prepare(): Promise<void> {
    await this.call((store) => store.read([]));
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.call((store) => store.read(keys));
  }

  write(changes: StoreItems): Promise<void> {
    return this.call((store) => store.write(changes));
  }

  delete(keys: string[]): Promise<void> {
    return this.call((store) => store.delete(keys));
  }

  private async call<T>(operation: (store: Storage) => Promise<T>): Promise<T> {
    const store = this.inner;
    try {
      const result = await operation(store);
      this.proven = true;
      return result;
    } catch (error) {
      // An eTag conflict proves the account works; anything else before the first success may be
      // the cached container creation failure, so the next call starts from a fresh client.
      if (isETagConflict(error)) {
        this.proven = true;
      } else if (!this.proven && this.inner === store) {
        this.log.warn({ error: storageErrorSummary(error), container: this.options.container }, 'blob storage is not reachable yet; will retry on the next call');
        this.inner = this.createInner();
      }
      throw error;
    }
  }

  private createInner(): Storage {
    return this.options.createInner?.() ?? new BlobsStorage(this.options.connectionString, this.options.container, PIPELINE);
  }
}
