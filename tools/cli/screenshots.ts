import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/app/package-root';
import { CARD_NAMES } from '../../src/cards/card-data';
import { CardRenderer } from '../../src/cards/card-renderer';
import { CardViews } from '../../src/cards/card-views';
import { LOCALES } from '../../src/i18n/locale';
import { createLogger } from '../../src/logging/logger';
import { CardPainter, DESKTOP, PHONE } from '../screenshots/card-painter';
import { cardSamples } from '../screenshots/card-samples';
import { recordFlow } from '../screenshots/flow-recorder';
import { launchChromium } from '../screenshots/launch-chromium';

export interface ScreenshotsOptions {
  readonly rootDir: string;
  /** Which pictures: the cards painted by the Adaptive Cards renderer, the Playground conversation, or both. */
  readonly parts: { readonly cards: boolean; readonly flow: boolean };
  readonly print: (line: string) => void;
}

/**
 * Writes docs/images/cards/<card>.<locale>.<desktop|phone>.png for every card in every language and
 * docs/images/flow-<n>-<step>.<locale>.png from a registration in Agents Playground. Returns the exit
 * code: 1 when a card does not fit the phone width.
 */
export async function runScreenshots(options: ScreenshotsOptions): Promise<number> {
  const imagesDir = path.join(options.rootDir, 'docs', 'images');
  const cardsDir = path.join(imagesDir, 'cards');
  mkdirSync(cardsDir, { recursive: true });
  const browser = await launchChromium();
  let problems = 0;
  try {
    if (options.parts.cards) {
      const views = new CardViews({
        renderer: new CardRenderer(path.join(options.rootDir, 'cards')),
        demoMode: false,
        portalUrl: 'https://mysignins.microsoft.com/security-info',
        helpdeskContact: 'helpdesk@example.edu, ext. 1234',
      });
      const painter = new CardPainter(browser);
      for (const locale of LOCALES) {
        const samples = cardSamples(views, locale);
        for (const name of CARD_NAMES) {
          for (const width of [DESKTOP, PHONE]) {
            const file = path.join(cardsDir, `${name}.${locale}.${width.name}.png`);
            const result = await painter.paint(samples[name].content, { width, locale, file });
            for (const overflow of result.overflowing) {
              problems += 1;
              options.print(`⚠ ${name} (${locale}, ${width.name}) does not fit ${result.width} px: ${overflow}`);
            }
          }
        }
        options.print(
          `Painted ${CARD_NAMES.length} cards in ${locale} at ${DESKTOP.name} and ${PHONE.name} width into ${path.relative(options.rootDir, cardsDir)}`,
        );
      }
      await painter.close();
    }
    if (options.parts.flow) {
      const playgroundCli = path.join(options.rootDir, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
      const logger = createLogger({ level: 'warn', pretty: false });
      for (const locale of LOCALES) {
        const files = await recordFlow({ browser, playgroundCli, outDir: imagesDir, logger }, locale);
        options.print(`Recorded the ${locale} conversation: ${files.map((f) => path.basename(f)).join(', ')}`);
      }
    }
  } finally {
    await browser.close();
  }
  return problems === 0 ? 0 : 1;
}

if (require.main === module) {
  const rootDir = packageRoot(__dirname);
  const args = process.argv.slice(2);
  const only = (flag: string): boolean => args.length === 0 || args.includes(flag);
  runScreenshots({ rootDir, parts: { cards: only('--cards'), flow: only('--flow') }, print: console.log }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('Taking the screenshots failed:', error);
      process.exitCode = 1;
    },
  );
}
