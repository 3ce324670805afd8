import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Azurite's published development account key (public, not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A local Blob Storage emulator on a free loopback port, in memory. */
export class LocalAzurite {
  private constructor(
    private readonly child: ChildProcess,
    private readonly workDir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<LocalAzurite> {
    // In memory, but its debug and extent files would land in the working directory: keep that out of the repo.
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
    const main = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');
    const child = spawn(
      process.execPath,
      [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry'],
      { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const started = new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`azurite did not start: ${output}`)), 20_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
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
    return new LocalAzurite(child, workDir, port);
  }

  /** A connection string for the emulator, optionally with a different (wrong) key. */
  connectionString(key = AZURITE_KEY): string {
    return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};BlobEndpoint=http://127.0.0.1:${this.port}/${AZURITE_ACCOUNT};`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
