import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running Microsoft 365 Agents Playground. */
export interface RunningPlayground {
  /** Where its web UI is served, e.g. http://localhost:56150. */
  readonly url: string;
  readonly port: number;
  /** Stops the process and removes its working folder (it writes logs under ./devTools). */
  stop(): Promise<void>;
}

export interface PlaygroundProcessOptions {
  /** The package's cli.js. */
  readonly cliPath: string;
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  readonly botEndpoint: string;
  /** The UI port. Absent: a free loopback port, so a Playground someone left running on 56150 is no obstacle. */
  readonly port?: number;
  /** How long to wait for it to listen. Default 60 s. */
  readonly startTimeoutMs?: number;
}

/**
 * Starts Agents Playground (cli.js directly: killing an npx parent would leave the server running) in
 * a throw-away working folder, and resolves once it prints the port it listens on.
 */
export async function startPlaygroundProcess(options: PlaygroundProcessOptions): Promise<RunningPlayground> {
  const cwd = mkdtempSync(join(tmpdir(), 'agents-playground-'));
  const uiPort = options.port ?? (await freePort());
  const args = [options.cliPath, '-e', options.botEndpoint, '-c', 'msteams', '--dt', '-p', String(uiPort)];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`Agents Playground did not start within ${options.startTimeoutMs ?? 60_000} ms. Output:\n${output}`)),
      options.startTimeoutMs ?? 60_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`Agents Playground exited (${code ?? signal}) before listening. Output:\n${output}`)));
  });
  // Keep draining its output so a chatty process never blocks on a full pipe.
  child.stdout?.resume();
  return {
    url: `http://localhost:${port}`,
    port,
    stop: () => stopChild(child, cwd),
  };
}

async function stopChild(child: ChildProcess, cwd: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(cwd, { recursive: true, force: true });
}

/** A port nothing listens on right now (the Playground takes it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
