import { spawn, type ChildProcess } from 'node:child_process';
import type { Activity } from 'botbuilder';
import type { ConnectorSink } from '../fakes/connector-sink';
import { E2E_TENANT, E2E_USER } from './e2e-bot';

export interface InstanceProcessOptions {
  /** The compiled entry point (dist/main.js). */
  readonly main: string;
  readonly sink: ConnectorSink;
  /** Variables on top of PATH; the process sees nothing else from the test's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

/** The service as a real process (`node dist/main.js`), driven over HTTP like Teams would. */
export class InstanceProcess {
  private output = '';
  private counter = 0;
  private constructor(
    private readonly child: ChildProcess,
    private readonly sink: ConnectorSink,
    readonly url: string,
  ) {}

  /** Starts the process and waits until it logs that it listens. */
  static async start(options: InstanceProcessOptions): Promise<InstanceProcess> {
    const child = spawn(process.execPath, [options.main], {
      env: { PATH: process.env.PATH ?? '', ...options.env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`instance did not start:\n${output}`)), options.startTimeoutMs ?? 15_000);
      const onData = (chunk: Buffer): void => {
        output += String(chunk);
        const endpoint = /"endpoint":"(http:\/\/127\.0\.0\.1:\d+)\/api\/messages"/.exec(output)?.[1];
        if (endpoint) {
          clearTimeout(timer);
          resolve(endpoint);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`instance exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    const instance = new InstanceProcess(child, options.sink, url);
    instance.output = output;
    child.stdout!.on('data', (chunk: Buffer) => {
      instance.output += String(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      instance.output += String(chunk);
    });
    return instance;
  }

  /** Everything the process printed (JSON log lines and the demo console). */
  get log(): string {
    return this.output;
  }

  /** Waits until the process has printed the text (e.g. a log line written after start-up). */
  async waitForLog(text: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`instance never printed "${text}":\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Posts an activity from the user, as Teams would, and returns the HTTP status. */
  async post(activity: Partial<Activity>, options: { conversationId: string; locale?: string }): Promise<number> {
    const body: Partial<Activity> = {
      id: `proc-in-${++this.counter}`,
      channelId: 'msteams',
      serviceUrl: this.sink.serviceUrl,
      locale: options.locale ?? 'en-US',
      timestamp: new Date(),
      from: { id: '29:e2e-user', name: 'E2E User', aadObjectId: E2E_USER },
      recipient: { id: '28:bot', name: 'Bot' },
      conversation: { id: options.conversationId, conversationType: 'personal', tenantId: E2E_TENANT, isGroup: false, name: '' },
      channelData: { tenant: { id: E2E_TENANT } },
      ...activity,
    };
    const response = await fetch(`${this.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.text();
    return response.status;
  }

  /** Kills the process with the signal and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
