import type { Browser, Page } from 'playwright-core';
import type { Locale } from '../i18n/locale';
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
    const result = await page.evaluate(
      ({ json, hostConfig }) => {
        const ac = (window as unknown as { AdaptiveCards: AdaptiveCardsGlobal }).AdaptiveCards;
        const adaptiveCard = new ac.AdaptiveCard();
        adaptiveCard.hostConfig = new ac.HostConfig(hostConfig);
        adaptiveCard.parse(json);
        const rendered = adaptiveCard.render();
        const root = document.getElementById('root');
        if (!root || !rendered) throw new Error('the card did not render');
        root.replaceChildren(rendered);
        const cardBox = root.getBoundingClientRect();
        const overflowing: string[] = [];
        for (const element of Array.from(root.querySelectorAll<HTMLElement>('*'))) {
          const box = element.getBoundingClientRect();
          const cut = element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'visible';
          if (box.right > cardBox.right + 1 || cut) {
            overflowing.push(`${element.tagName.toLowerCase()}.${element.className}: "${(element.textContent ?? '').trim().slice(0, 40)}"`);
          }
        }
        if (document.documentElement.scrollWidth > window.innerWidth) overflowing.push('the page scrolls sideways');
        return { overflowing, width: Math.round(cardBox.width), height: Math.round(cardBox.height) };
      },
      { json: card, hostConfig: TEAMS_LIGHT_HOST_CONFIG },
    );
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
    this.pages.set(key, page);
    return page;
  }
}

/** The part of the adaptivecards UMD global this painter uses inside the page. */
interface AdaptiveCardsGlobal {
  AdaptiveCard: new () => { hostConfig: unknown; parse(json: unknown): void; render(): HTMLElement | undefined };
  HostConfig: new (config: unknown) => unknown;
}
