import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Azurite's published development account and key (public, not a secret). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The variables the jest global setup exports to every test worker (see azurite-global-setup.ts). */
export const AZURITE_ENV = {
  port: 'AZURITE_BLOB_PORT',
  connectionString: 'AZURITE_CONNECTION_STRING',
  queueConnectionString: 'AZURITE_QUEUE_CONNECTION_STRING',
} as const;

/** Which Azurite service a {@link LocalAzurite} runs. */
type AzuriteService = 'blob' | 'queue';

/** The explicit development-account connection string for an Azurite blob service on a loopback port. */
function azuriteConnectionStringFor(port: number, key = AZURITE_KEY, service: AzuriteService = 'blob'): string {
  const endpoint = service === 'blob' ? 'BlobEndpoint' : 'QueueEndpoint';
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};${endpoint}=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`;
}

/**
 * The connection string of the Azurite this test run shares, started by the jest global setup on a
 * free port. Read when a test needs it, so a missing setup fails that test with a clear message.
 */
export function azuriteConnectionString(): string {
  const value = process.env[AZURITE_ENV.connectionString];
  if (!value) throw new Error(`${AZURITE_ENV.connectionString} is not set: run the tests through jest (jest.config.js starts Azurite in its globalSetup)`);
  return value;
}

/** The connection string of the run's Azurite queue service (Azure Storage Queues), started beside the blob service. */
export function azuriteQueueConnectionString(): string {
  const value = process.env[AZURITE_ENV.queueConnectionString];
  if (!value) throw new Error(`${AZURITE_ENV.queueConnectionString} is not set: run the tests through jest (jest.config.js starts Azurite in its globalSetup)`);
  return value;
}

/** A Blob (or Queue) Storage emulator in its own process, on a loopback port it chose itself, in memory. */
export class LocalAzurite {
  private constructor(
    private readonly child: ChildProcess,
    private readonly workDir: string,
    readonly port: number,
    private readonly service: AzuriteService,
  ) {}

  /** Starts Azurite with `--blobPort 0` (or `--queuePort 0`) and reads the port it listens on from its start-up line. */
  static async start(options: { timeoutMs?: number; service?: AzuriteService } = {}): Promise<LocalAzurite> {
    const service = options.service ?? 'blob';
    // In memory, but its debug and extent files would land in the working directory: keep that out of the repo.
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
    const main = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', service, 'main.js');
    const child = spawn(
      process.execPath,
      [main, `--${service}Host`, '127.0.0.1', `--${service}Port`, '0', '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
      { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const started = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`azurite did not start: ${output}`)), options.timeoutMs ?? 20_000);
      child.stdout?.on('data', () => {
        const match = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`azurite exited with ${code}: ${output}`));
      });
    });
    let port: number;
    try {
      port = await started;
    } catch (error) {
      child.kill('SIGTERM');
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
    // Nothing more to read: stop collecting, but keep the pipes drained so it never blocks on a full one.
    child.stdout?.removeAllListeners('data').resume();
    child.stderr?.removeAllListeners('data').resume();
    return new LocalAzurite(child, workDir, port, service);
  }

  /** A connection string for the emulator, optionally with a different (wrong) key. */
  connectionString(key = AZURITE_KEY): string {
    return azuriteConnectionStringFor(this.port, key, this.service);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
