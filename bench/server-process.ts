import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

/** Memory and CPU of the measured process, as `memory-probe` reports them. */
export interface Measurement {
  readonly memory: NodeJS.MemoryUsage;
  readonly cpu: NodeJS.CpuUsage;
}

export interface ServerProcessOptions {
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly probe: string;
  readonly nodeArgs?: readonly string[];
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A server under test in its own process, with the memory probe preloaded and an IPC channel. */
export class ServerProcess {
  private tail = '';
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer): void => {
      this.tail = (this.tail + String(chunk)).slice(-4000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--expose-gc', ...(options.nodeArgs ?? []), '-r', options.probe, options.script], {
      env: { PATH: process.env.PATH ?? '', ...options.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${server.tail}`);
      try {
        if ((await fetch(`${server.url}/readyz`)).status === 200) break;
      } catch {
        // Not listening yet: try again below.
      }
      if (Date.now() > deadline) throw new Error(`server did not become ready:\n${server.tail}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return server;
  }

  get output(): string {
    return this.tail;
  }

  /** Asks the process for its memory and CPU, after a full GC when `gc` is true. */
  measure(gc: boolean): Promise<Measurement> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer from the memory probe')), 10_000);
      this.child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message as Measurement);
      });
      this.child.send(gc ? 'measure-gc' : 'measure');
    });
  }

  /** SIGTERM (the service drains and exits; a CPU profile is written then) and waits for the exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
