import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { localeTag, type Locale } from '../../src/i18n/locale';
import { translator } from '../../src/i18n/messages';
import type { Logger } from '../../src/logging/logger';
import { codeIn, startDemoBot } from './demo-bot-server';
import { LocaleRelay } from './locale-relay';
import { PlaygroundChat } from './playground-chat';
import { startPlaygroundProcess } from './playground-process';

/** The conversation pictures, in the order the README shows them. */
const FLOW_STEPS = ['welcome', 'type', 'number', 'code', 'done'] as const;

export interface FlowRecorderOptions {
  readonly browser: Browser;
  readonly playgroundCli: string;
  readonly outDir: string;
  readonly logger: Logger;
}

/**
 * Registers a phone by text message in Agents Playground, as a person would, and saves a picture of the
 * chat at each step: flow-1-welcome.<locale>.png … flow-5-done.<locale>.png. Returns the files written.
 */
export async function recordFlow(options: FlowRecorderOptions, locale: Locale): Promise<string[]> {
  const t = translator(locale);
  const bot = await startDemoBot({ env: { DEFAULT_REGION: 'JP', LOG_LEVEL: 'warn' }, logger: options.logger });
  // The Playground always sends en-US; the relay makes it a Japanese Teams client for ja.
  const relay = locale === 'en' ? undefined : new LocaleRelay({ target: bot.endpoint, locale: localeTag(locale) });
  const playground = await startPlaygroundProcess({ cliPath: options.playgroundCli, botEndpoint: relay ? await relay.start() : bot.endpoint });
  const chat = await PlaygroundChat.open(options.browser, playground.url, { width: 1280, height: 800 });
  const files: string[] = [];
  const shoot = async (step: (typeof FLOW_STEPS)[number]): Promise<void> => {
    const file = join(options.outDir, `flow-${FLOW_STEPS.indexOf(step) + 1}-${step}.${locale}.png`);
    // No hover highlight on the button just clicked, and the chat scrolled to the newest card.
    await chat.page.mouse.move(0, 0);
    await chat.page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await chat.page.screenshot({ path: file });
    files.push(file);
  };
  try {
    await chat.hideLogPanel();
    const welcome = await chat.card(t('welcome.title'));
    await shoot('welcome');

    await chat.press(welcome, t('welcome.add'));
    const type = await chat.card(t('typeStep.title'));
    await chat.pick(type, `${t('type.mobile')}:`);
    await shoot('type');
    await chat.press(type, t('common.next'));

    const number = await chat.card(t('numberStep.title', { type: t('type.mobile') }));
    await chat.type(number, t('numberStep.numberLabel'), '090-1234-5678');
    await shoot('number');
    await chat.press(number, t('common.next'));

    const masked = '+81 XXXXXX5678';
    await chat.press(await chat.card(t('methodStep.title', { number: masked })), t('methodStep.sms'));
    const codeCard = await chat.card(t('codeStep.sent', { number: masked, minutes: 10 }));
    const sms = (await bot.phoneMessages()).filter((m) => m.kind === 'sms').pop();
    const code = sms ? codeIn(sms) : undefined;
    if (!code) throw new Error('the demo phone received no text message with a code');
    await chat.type(codeCard, t('codeStep.label'), code);
    await shoot('code');
    await chat.press(codeCard, t('codeStep.verify'));

    await chat.card(t('register.doneTitle'));
    await shoot('done');
    return files;
  } finally {
    await chat.close();
    await playground.stop();
    await relay?.close();
    await bot.stop();
  }
}
