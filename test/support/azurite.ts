import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';

/** Azurite's well-known development account on 127.0.0.1:10000. */
export const AZURITE_CONNECTION_STRING = 'UseDevelopmentStorage=true';
export const AZURITE_HOST = '127.0.0.1';
export const AZURITE_BLOB_PORT = 10000;

/** An Azurite blob service this process may have started; `stop` only stops one it started. */
export interface AzuriteHandle {
  readonly startedHere: boolean;
  stop(): Promise<void>;
}

/** True when something accepts TCP connections on the port. */
export function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { socket.destroy(); resolve(false); });
  });
}

async function waitForPort(host: string, port: number, deadline: number, child: ChildProcess): Promise<void> {
  while (!(await isListening(host, port))) {
    if (child.exitCode !== null && !(await isListening(host, port))) throw new Error(`azurite exited with code ${child.exitCode} before listening`);
    if (Date.now() > deadline) throw new Error(`azurite did not listen on ${host}:${port} in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Uses the Azurite blob service CI starts, or starts one in memory for this run (local runs), and
 * waits until it accepts connections.
 */
export async function ensureAzurite(options: { timeoutMs?: number } = {}): Promise<AzuriteHandle> {
  if (await isListening(AZURITE_HOST, AZURITE_BLOB_PORT)) return { startedHere: false, stop: async () => undefined };
  const main = require.resolve('azurite/dist/src/blob/main.js');
  const child = spawn(process.execPath, [
    main, '--blobHost', AZURITE_HOST, '--blobPort', String(AZURITE_BLOB_PORT),
    '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent',
  ], { cwd: tmpdir(), stdio: 'ignore' });
  try {
    await waitForPort(AZURITE_HOST, AZURITE_BLOB_PORT, Date.now() + (options.timeoutMs ?? 15_000), child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  // Another runner may have won the race for the port: then the service is theirs to stop.
  if (child.exitCode !== null) return { startedHere: false, stop: async () => undefined };
  return {
    startedHere: true,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
