import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Azurite's published development account and key (public, not a secret). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The variables the jest global setup exports to every test worker (see azurite-global-setup.ts). */
export const AZURITE_ENV = { port: 'AZURITE_BLOB_PORT', connectionString: 'AZURITE_CONNECTION_STRING' } as const;

/** The explicit development-account connection string for an Azurite blob service on a loopback port. */
function azuriteConnectionStringFor(port: number, key = AZURITE_KEY): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};BlobEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`;
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

/** A Blob Storage emulator in its own process, on a loopback port it chose itself, in memory. */
export class LocalAzurite {
  private constructor(
    private readonly child: ChildProcess,
    private readonly workDir: string,
    readonly port: number,
  ) {}

  /** Starts Azurite with `--blobPort 0` and reads the port it listens on from its start-up line. */
  static async start(options: { timeoutMs?: number } = {}): Promise<LocalAzurite> {
    // In memory, but its debug and extent files would land in the working directory: keep that out of the repo.
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
    const main = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');
    const child = spawn(
      process.execPath,
      [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
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
    return new LocalAzurite(child, workDir, port);
  }

  /** A connection string for the emulator, optionally with a different (wrong) key. */
  connectionString(key = AZURITE_KEY): string {
    return azuriteConnectionStringFor(this.port, key);
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
