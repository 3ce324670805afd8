import { ContainerClient } from '@azure/storage-blob';
import { BlobsStorage, type BlobsStorageOptions } from 'botbuilder-azure-blobs';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import type { Logger } from '../logging/logger';
import { eTagConflictError, isETagConflict, withoutETag, type StateStorage } from './state-storage';

export interface BlobStateStorageOptions {
  readonly connectionString: string;
  readonly container: string;
  readonly logger: Logger;
  /** Builds the underlying store; tests replace it to simulate an unreachable account. */
  readonly createInner?: () => Storage;
}

/**
 * Retries are kept short: a turn that waits on storage must still answer Teams within ~10 s, so a
 * few quick tries beat the SDK default (4 tries with back-off up to two minutes). Nothing else is
 * set, after checking the SDK: `keepAliveOptions` defaults to enabled and the HTTP client reuses one
 * keep-alive agent per client (`@typespec/ts-http-runtime` `NodeHttpClient`), so connections are
 * already reused; `tryTimeoutInMs` bounds each try.
 */
const PIPELINE: BlobsStorageOptions = {
  storagePipelineOptions: { retryOptions: { maxTries: 3, tryTimeoutInMs: 4_000, retryDelayInMs: 100, maxRetryDelayInMs: 1_000 } },
};

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
 * The blob name `BlobsStorage` gives a key (botbuilder-azure-blobs 4.23 `sanitizeBlobKey`, which the
 * package does not export): empty path segments dropped, URI-encoded, at most 1,024 characters.
 */
function blobNameOf(key: string): string {
  if (key.length === 0) throw new Error('Please provide a non-empty key');
  const parts = key.split('/');
  let joined = parts[0]!;
  parts.slice(1).forEach((part, i) => {
    if (part) joined = [joined, part].join(i + 1 < 255 ? '/' : '');
  });
  return encodeURIComponent(joined).substring(0, 1024);
}

/**
 * What Blob Storage answers a Put Blob with `If-None-Match: *` when the blob exists: 409
 * `BlobAlreadyExists` (Azure's "Specifying conditional headers for Blob service operations", and
 * Azurite), or 412 `ConditionNotMet` for a failed precondition.
 */
const EXISTS_STATUSES = new Set([409, 412]);

/**
 * Bot state in one Azure Blob Storage container (`BlobsStorage`: one JSON blob per key, writes with
 * an eTag are conditional). Creates the container at start-up, and recovers from an unreachable
 * account at start-up: `BlobsStorage` remembers a failed container creation for its whole life, so
 * an instance that has never worked is replaced after a failure instead of failing every turn.
 *
 * `BlobsStorage` uploads an item with eTag `*` without any condition, so `createItem` uploads the
 * blob itself with `If-None-Match: *`, in the format `BlobsStorage` reads back: the item without its
 * eTag as JSON, content type `application/json`, under the same blob name.
 */
export class BlobStateStorage implements StateStorage {
  private readonly options: BlobStateStorageOptions;
  private readonly log: Logger;
  private readonly container: ContainerClient;
  private inner: Storage;
  private proven = false;

  constructor(options: BlobStateStorageOptions) {
    this.options = options;
    this.log = options.logger.child({ module: 'blob-state-storage' });
    this.inner = this.createInner();
    this.container = new ContainerClient(options.connectionString, options.container, PIPELINE.storagePipelineOptions);
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

  createItem(key: string, item: StoreItem): Promise<void> {
    return this.call(async (store) => {
      // Reading no keys runs the store's one-time container set-up, as every BlobsStorage call does.
      await store.read([]);
      const body = Buffer.from(JSON.stringify(withoutETag(item)), 'utf8');
      try {
        await this.container.getBlockBlobClient(blobNameOf(key)).upload(body, body.byteLength, {
          conditions: { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
      } catch (error) {
        if (EXISTS_STATUSES.has(storageErrorSummary(error).statusCode ?? 0)) throw eTagConflictError(key);
        throw error;
      }
    });
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
        this.log.warn(
          { error: storageErrorSummary(error), container: this.options.container },
          'blob storage is not reachable yet; will retry on the next call',
        );
        this.inner = this.createInner();
      }
      throw error;
    }
  }

  private createInner(): Storage {
    return this.options.createInner?.() ?? new BlobsStorage(this.options.connectionString, this.options.container, PIPELINE);
  }
}
