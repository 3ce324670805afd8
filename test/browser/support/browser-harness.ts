import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { createLogger } from '../../../src/logging/logger';
import { codeIn, startDemoBot, type RunningDemoBot } from '../../../tools/screenshots/demo-bot-server';
import { LocaleRelay } from '../../../tools/screenshots/locale-relay';
import { PlaygroundChat } from '../../../tools/screenshots/playground-chat';
import { startPlaygroundProcess, type RunningPlayground } from '../../../tools/screenshots/playground-process';
import { launchChromium } from '../../../tools/screenshots/launch-chromium';

const PLAYGROUND_CLI = join(__dirname, '..', '..', '..', 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

export interface SessionOptions {
  /** The Teams client language to play (the Playground itself always says en-US). */
  readonly locale?: string;
  /** Extra bot settings, as in .env. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * One fresh conversation: the bot in demo mode (new in-memory directory, so no earlier test's phone),
 * Agents Playground pointed at it, and a new browser context on the Playground's chat.
 */
export class BrowserSession {
  private constructor(
    /** The bot's log lines, for a failing test's message. */
    readonly log: readonly string[],
    readonly chat: PlaygroundChat,
    readonly bot: RunningDemoBot,
    private readonly playground: RunningPlayground,
    private readonly relay: LocaleRelay | undefined,
  ) {}

  static async start(browser: Browser, options: SessionOptions = {}): Promise<BrowserSession> {
    const log: string[] = [];
    const destination = new Writable({
      write: (chunk, _encoding, done) => {
        log.push(String(chunk));
        done();
      },
    });
    const bot = await startDemoBot({
      env: { DEFAULT_REGION: 'JP', DEMO_CALL_ANSWER_DELAY_MS: '1500', LOG_LEVEL: 'info', ...options.env },
      logger: createLogger({ level: 'info', pretty: false, destination }),
    });
    const relay = options.locale ? new LocaleRelay({ target: bot.endpoint, locale: options.locale }) : undefined;
    const endpoint = relay ? await relay.start() : bot.endpoint;
    const playground = await startPlaygroundProcess({ cliPath: PLAYGROUND_CLI, botEndpoint: endpoint });
    const chat = await PlaygroundChat.open(browser, playground.url);
    return new BrowserSession(log, chat, bot, playground, relay);
  }

  /** The code in the newest text or call the demo phone received: what the person reads on the phone. */
  async latestCodeOnPhone(kind: 'sms' | 'call'): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const latest = (await this.bot.phoneMessages()).filter((m) => m.kind === kind).pop();
      const code = latest ? codeIn(latest) : undefined;
      if (code) return code;
      if (Date.now() > deadline) throw new Error(`the demo phone received no ${kind} with a code`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** How many texts or calls the demo phone has received. */
  async phoneCount(kind: 'sms' | 'call'): Promise<number> {
    return (await this.bot.phoneMessages()).filter((m) => m.kind === kind).length;
  }

  async stop(): Promise<void> {
    await this.chat.close();
    await this.playground.stop();
    await this.relay?.close();
    await this.bot.stop();
  }
}

/**
 * One Chromium for the test file and a fresh session (bot, Playground, page) per test, stopped after
 * it: the set-up every browser test file shares.
 */
export function useBrowserSessions(): { start(options?: SessionOptions): Promise<BrowserSession> } {
  let browser: Browser | undefined;
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await session?.stop();
    session = undefined;
  });
  return {
    async start(options: SessionOptions = {}): Promise<BrowserSession> {
      if (!browser) throw new Error('Chromium is not running: call useBrowserSessions() inside describe');
      session = await BrowserSession.start(browser, options);
      return session;
    },
  };
}
