import { randomUUID } from 'node:crypto';
import type { Config } from '../../src/config/config';
import { fail, ok, warn, type CheckResult } from './check-result';

/** The part of `@azure/storage-blob` the check uses. */
export type StorageBlobModule = typeof import('@azure/storage-blob');

/** Options for {@link checkStorage}. */
export interface StorageCheckOptions {
  readonly storage: Config['storage'];
  /** Loads `@azure/storage-blob` (installed with botbuilder-azure-blobs); tests replace it to model a missing package. */
  readonly loadBlobModule?: () => Promise<StorageBlobModule>;
  /** Longest wait for the whole probe. Default 15 000 ms. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const KEYS_PAGE = "the storage account's Access keys page";

/** Writes, reads back and deletes a probe blob where the bot keeps its state; warns when state is in memory. */
export async function checkStorage(options: StorageCheckOptions): Promise<CheckResult[]> {
  const { storage } = options;
  if (!storage) {
    return [
      warn(
        'Storage: in memory (conversations and pending codes are lost on restart; only one instance may run)',
        'set STORAGE_CONNECTION_STRING (and STORAGE_CONTAINER) to an Azure Blob Storage account to run several instances',
      ),
    ];
  }
  let blobs: StorageBlobModule;
  try {
    blobs = await (options.loadBlobModule ?? (() => import('@azure/storage-blob')))();
  } catch (error) {
    void error; // only "installed or not" matters here
    return [fail('Storage: the @azure/storage-blob package cannot be loaded', 'run `npm ci` (it is installed with botbuilder-azure-blobs)')];
  }

  let service: InstanceType<StorageBlobModule['BlobServiceClient']>;
  try {
    // One try per request with a short limit: the doctor should answer, not retry for minutes.
    service = blobs.BlobServiceClient.fromConnectionString(storage.connectionString, { retryOptions: { maxTries: 1, tryTimeoutInMs: 10_000 } });
  } catch (error) {
    void error; // the SDK message may quote the connection string, account key included
    return [fail('Storage: STORAGE_CONNECTION_STRING does not parse', `copy a connection string from ${KEYS_PAGE}`)];
  }

  const where = `container ${storage.container} of account ${service.accountName}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const abortSignal = controller.signal;
  try {
    const container = service.getContainerClient(storage.container);
    // The bot creates its container on first use too; creating it here proves the same right.
    const created = await container.createIfNotExists({ abortSignal });
    const blob = container.getBlockBlobClient(`doctor-probe/${randomUUID()}.json`);
    const content = JSON.stringify({ probe: 'phone-mfa-bot doctor', at: new Date().toISOString() });
    await blob.upload(content, Buffer.byteLength(content), { abortSignal, blobHTTPHeaders: { blobContentType: 'application/json' } });
    const readBack = (await blob.downloadToBuffer(undefined, undefined, { abortSignal })).toString('utf8');
    await blob.delete({ abortSignal });
    if (readBack !== content)
      return [fail(`Storage: a probe blob in ${where} read back different content`, 'check that nothing rewrites blobs in this container')];
    const results = [ok(`Storage: wrote, read and deleted a probe blob in ${where}`)];
    if (created.succeeded) results.push(ok(`Storage: created ${where} (the bot would have created it on first use)`));
    return results;
  } catch (error) {
    return [explain(error, where, abortSignal.aborted)];
  } finally {
    clearTimeout(timer);
  }
}

function explain(error: unknown, where: string, timedOut: boolean): CheckResult {
  const statusCode = numberField(error, 'statusCode');
  const code = stringField(error, 'code');
  if (timedOut || statusCode === undefined) {
    const detail = timedOut ? 'no answer in time' : (code ?? 'no answer');
    return fail(
      `Storage: ${where} could not be reached (${detail})`,
      "check the account name in STORAGE_CONNECTION_STRING, outbound https and the account's network rules",
    );
  }
  const label = `${statusCode}${code ? ` ${code}` : ''}`;
  if (code === 'AuthenticationFailed' || code === 'AuthorizationFailure' || code === 'AuthorizationPermissionMismatch' || statusCode === 403) {
    return fail(
      `Storage: access to ${where} refused (${label})`,
      `copy a current connection string from ${KEYS_PAGE}; a SAS needs create, read, write and delete on blobs`,
    );
  }
  return fail(`Storage: the probe in ${where} failed (${label})`, 'check STORAGE_CONNECTION_STRING and STORAGE_CONTAINER');
}

function numberField(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'number' ? field : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'string' ? field : undefined;
}
