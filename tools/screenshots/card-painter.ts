import type { Browser, Page } from 'playwright-core';
import type { Locale } from '../../src/i18n/locale';
import { PAINT_SCRIPT } from './paint-script';
import { TEAMS_LIGHT_CSS, TEAMS_LIGHT_HOST_CONFIG } from './teams-host-config';

/** Where a card is painted: the card's own width and the frame around it. */
export interface PaintWidth {
  readonly name: string;
  /** The viewport, as wide as the window or phone screen. */
  readonly viewport: number;
}

/** Desktop Teams: a chat column in which a full-width card is about 600 px wide. */
export const DESKTOP: PaintWidth = { name: 'desktop', viewport: 632 };
/** A phone: Teams mobile draws a card across a 360 px screen less small margins. */
export const PHONE: PaintWidth = { name: 'phone', viewport: 360 };

/** What a painted card showed that a reviewer should know about. */
export interface PaintResult {
  /** Elements wider than the card (they would scroll sideways or be cut), as short descriptions. */
  readonly overflowing: readonly string[];
  readonly width: number;
  readonly height: number;
}

const ADAPTIVE_CARDS_SCRIPT = require.resolve('adaptivecards/dist/adaptivecards.min.js');

/**
 * Paints Adaptive Cards with the Adaptive Cards renderer (the library Teams' clients are built on)
 * in a Chromium page styled like Teams' light theme, and saves PNG pictures of them.
 */
export class CardPainter {
  private readonly pages = new Map<string, Page>();

  constructor(private readonly browser: Browser) {}

  /** Paints `card` at `width` in `locale` and writes the PNG to `file`. */
  async paint(card: object, options: { readonly width: PaintWidth; readonly locale: Locale; readonly file: string }): Promise<PaintResult> {
    const page = await this.page(options.width, options.locale);
    const call = `paintCard(${JSON.stringify(card)}, ${JSON.stringify(TEAMS_LIGHT_HOST_CONFIG)})`;
    const result = await page.evaluate<PaintResult>(call);
    await page.locator('.frame').screenshot({ path: options.file });
    return result;
  }

  /** Closes the pages this painter opened (the browser belongs to the caller). */
  async close(): Promise<void> {
    await Promise.all([...this.pages.values()].map((page) => page.close()));
    this.pages.clear();
  }

  private async page(width: PaintWidth, locale: Locale): Promise<Page> {
    const key = `${width.name}.${locale}`;
    const existing = this.pages.get(key);
    if (existing) return existing;
    const page = await this.browser.newPage({ viewport: { width: width.viewport, height: 400 }, locale: locale === 'ja' ? 'ja-JP' : 'en-US' });
    // The lang attribute makes Chromium pick Japanese glyph shapes and line-breaking rules for ja.
    await page.setContent(`<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><style>${TEAMS_LIGHT_CSS}</style></head>
      <body><div class="frame"><div class="card" id="root"></div></div></body></html>`);
    await page.addScriptTag({ path: ADAPTIVE_CARDS_SCRIPT });
    await page.addScriptTag({ content: PAINT_SCRIPT });
    this.pages.set(key, page);
    return page;
  }
}
