import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app/build-app';
import { loadConfig } from '../../src/config/load-config';
import type { Logger } from '../../src/logging/logger';

/** One text or call the demo phone received, as GET /demo/messages shows it. */
export interface DemoPhoneMessage {
  readonly kind: 'sms' | 'call';
  readonly to: string;
  readonly text: string;
}

/** The bot in demo mode, listening on loopback. */
export interface RunningDemoBot {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** The messaging endpoint to give a Bot Framework client. */
  readonly endpoint: string;
  /** What the demo phone received so far, oldest first, read from GET /demo/messages. */
  phoneMessages(): Promise<DemoPhoneMessage[]>;
  stop(): Promise<void>;
}

/**
 * Starts the whole service in demo mode in this process (the same composition as `npm start`, without
 * its Playground), on a free loopback port. `env` holds variables as in .env (e.g. DEFAULT_REGION).
 */
export async function startDemoBot(options: { readonly env: Readonly<Record<string, string>>; readonly logger: Logger }): Promise<RunningDemoBot> {
  const config = loadConfig({ DEMO_PLAYGROUND: 'false', ...options.env, MICROSOFT_APP_ID: '' });
  const app = buildApp(config, options.logger);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  app.setReady(true);
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    endpoint: `${url}/api/messages`,
    phoneMessages: async () => {
      const response = await fetch(`${url}/demo/messages`);
      if (!response.ok) throw new Error(`GET /demo/messages answered ${response.status}`);
      const body = (await response.json()) as { messages: DemoPhoneMessage[] };
      return body.messages;
    },
    stop: async () => {
      app.setReady(false);
      const closed = new Promise<void>((resolve) => app.server.close(() => resolve()));
      app.server.server.closeAllConnections();
      await closed;
      await app.close();
    },
  };
}

/** The 6-digit code in a demo message, digits only ("123 456" → "123456"), or undefined. */
export function codeIn(message: DemoPhoneMessage): string | undefined {
  const match = /\b(\d{3}) ?(\d{3})\b/.exec(message.text);
  return match ? `${match[1]}${match[2]}` : undefined;
}
