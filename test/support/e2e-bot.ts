import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { buildApp, type App, type AppOverrides } from '../../src/app/build-app';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/logging/logger';
import type { ConnectorSink } from '../fakes/connector-sink';

export const E2E_USER = '00000000-0000-4000-8000-0000000e2e01';
export const E2E_TENANT = '22222222-2222-4222-8222-222222222222';

export interface E2eBotOptions {
  /** The Authorization header for each activity, as the Bot Connector signs it (production mode); none in demo mode. */
  readonly authorization?: () => string;
}

/** The real service on port 0, talking to a connector sink, with every log line kept for assertions. */
export class E2eBot {
  readonly logLines: string[] = [];
  readonly app: App;
  private counter = 0;
  private stopped = false;

  constructor(
    private readonly sink: ConnectorSink,
    env: Record<string, string>,
    overrides: AppOverrides = {},
    private readonly options: E2eBotOptions = {},
  ) {
    const config = loadConfig({ DEFAULT_REGION: 'JP', DEMO_CALL_ANSWER_DELAY_MS: '200', ...env });
    const destination = new Writable({
      write: (chunk, _enc, done) => {
        this.logLines.push(String(chunk));
        done();
      },
    });
    this.app = buildApp(config, createLogger({ level: 'debug', pretty: false, destination }), overrides);
  }

  async start(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.app.server.listen(port, '127.0.0.1', resolve));
    this.app.setReady(true);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.app.server.address() as AddressInfo).port}`;
  }

  /** Lets work still in flight finish (e.g. a call outcome being reported), then closes; a second call does nothing. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.app.close();
    const closed = new Promise<void>((resolve) => this.app.server.close(() => resolve()));
    this.app.server.server.closeAllConnections();
    await closed;
  }

  /** Posts an activity from the user, as Teams would, and returns the HTTP status. */
  async post(activity: Partial<Activity>, options: { conversationId?: string; locale?: string } = {}): Promise<number> {
    const body: Partial<Activity> = {
      id: `in-${++this.counter}`,
      channelId: 'msteams',
      serviceUrl: this.sink.serviceUrl,
      locale: options.locale ?? 'en-US',
      timestamp: new Date(),
      from: { id: '29:e2e-user', name: 'E2E User', aadObjectId: E2E_USER },
      recipient: { id: '28:bot', name: 'Bot' },
      conversation: { id: options.conversationId ?? 'a:e2e-conv', conversationType: 'personal', tenantId: E2E_TENANT, isGroup: false, name: '' },
      channelData: { tenant: { id: E2E_TENANT } },
      ...activity,
    };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.authorization) headers.authorization = this.options.authorization();
    const response = await fetch(`${this.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(body) });
    await response.text();
    return response.status;
  }

  get log(): string {
    return this.logLines.join('');
  }
}
