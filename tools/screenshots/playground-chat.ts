import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** How long a person would wait for the bot before giving up: generous, for slow CI machines. */
const BOT_WAIT_MS = 30_000;

/**
 * The personal chat with the bot in Agents Playground, driven as a person would: typing in the compose
 * box, clicking card buttons, choosing in dropdowns and reading what appears.
 */
export class PlaygroundChat {
  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Opens the Playground in a fresh browser context and waits for the chat to be ready. */
  static async open(browser: Browser, url: string, viewport = { width: 1100, height: 900 }): Promise<PlaygroundChat> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(BOT_WAIT_MS);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const chat = new PlaygroundChat(context, page);
    await chat.composeBox().waitFor({ state: 'visible' });
    return chat;
  }

  /** The card that contains `text`, the newest one when several do; waits until it is visible. */
  async card(text: string | RegExp): Promise<Locator> {
    const card = this.page.locator('.ac-adaptiveCard', { hasText: text }).last();
    try {
      await card.waitFor({ state: 'visible' });
    } catch (error) {
      // Say what the person would see instead: the newest card's text.
      const latest = await this.latestCard()
        .innerText({ timeout: 1000 })
        .catch((reason: unknown) => `(no card: ${String(reason)})`);
      throw new Error(`No card showed ${String(text)} within ${BOT_WAIT_MS} ms. The newest card says:\n${latest}`, { cause: error });
    }
    return card;
  }

  /** The newest card in the chat. */
  latestCard(): Locator {
    return this.page.locator('.ac-adaptiveCard').last();
  }

  /** Types a message in the compose box and sends it with Enter. */
  async say(text: string): Promise<void> {
    const box = this.composeBox();
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /** Clicks the button named `name` on `card`. */
  async press(card: Locator, name: string): Promise<void> {
    await card.getByRole('button', { name, exact: true }).click();
  }

  /** Picks the radio choice whose text starts with `name` (an expanded choice set). */
  async pick(card: Locator, name: string): Promise<void> {
    await card.getByRole('radio', { name: new RegExp(`^${escapeRegExp(name)}`) }).check();
  }

  /** Opens the dropdown labelled `label` and clicks the option `option`. */
  async choose(card: Locator, label: string, option: string): Promise<void> {
    await card.getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
    await this.page.getByRole('listbox').waitFor({ state: 'hidden' });
  }

  /** Clears the text box labelled `label` and types `value` key by key. */
  async type(card: Locator, label: string, value: string): Promise<void> {
    const input = card.getByRole('textbox', { name: label });
    await input.click();
    await input.fill('');
    await input.pressSequentially(value);
  }

  /** Waits until `text` is visible anywhere in the chat. */
  async sees(text: string | RegExp): Promise<void> {
    await this.page.getByText(text).last().waitFor({ state: 'visible' });
  }

  /** Hides the Playground's log panel so a screenshot shows only the conversation. */
  async hideLogPanel(): Promise<void> {
    const hide = this.page.getByTitle('Hide log panel');
    if (await hide.isVisible()) {
      await hide.click();
      await hide.waitFor({ state: 'hidden' });
    }
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  private composeBox(): Locator {
    return this.page.locator('[data-lexical-editor="true"][role="textbox"]');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
