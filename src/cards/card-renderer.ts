import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { Attachment } from 'botbuilder';
import type { CardData, CardName } from './card-data';
import { ExpandedCardCache } from './expanded-card-cache';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Cards never kept once sent: the call card shows the code for the keypad, and a number card the
 * user's own number once they have typed it.
 */
function mayKeep<N extends CardName>(name: N, data: CardData[N]): boolean {
  if (name === 'calling') return false;
  if (name === 'phone-number') {
    return (data as CardData['phone-number']).number === '';
  }
  return true;
}

/**
 * Renders the templates in cards/ with adaptivecards-templating. Each template is read and parsed
 * once and kept, and cards that come out the same for many users are kept expanded (apart from
 * their nonce). Rendered cards share their parts: a card must not be changed once rendered.
 */
export class CardRenderer {
  private readonly templates = new Map<CardName, ACData.Template>();
  private readonly expanded = new ExpandedCardCache();

  constructor(private readonly cardsDir: string) {}

  /**
   * Expands a template with its typed data and returns the card JSON. `personal` are the texts in
   * `data` that differ per user (masked numbers, ids of the user's phones): the card is kept without them.
   */
  renderContent<N extends CardName>(name: N, data: CardData[N], personal: readonly string[] = []): Record<string, unknown> {
    const expand = (input: object): Record<string, unknown> => this.expand(name, input);
    return mayKeep(name, data) ? this.expanded.get(name, data, expand, personal) : expand(data);
  }

  private expand(name: CardName, data: object): Record<string, unknown> {
    const expanded: unknown = this.template(name).expand({ $root: data });
    if (typeof expanded !== 'object' || expanded === null) throw new Error(`Card template ${name} did not expand to an object`);
    return expanded as Record<string, unknown>;
  }

  /** The card as a Bot Framework attachment. */
  render<N extends CardName>(name: N, data: CardData[N], personal: readonly string[] = []): Attachment {
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: this.renderContent(name, data, personal) };
  }

  private template(name: CardName): ACData.Template {
    let template = this.templates.get(name);
    if (!template) {
      const json: unknown = JSON.parse(readFileSync(join(this.cardsDir, `${name}.json`), 'utf8'));
      template = new ACData.Template(json);
      this.templates.set(name, template);
    }
    return template;
  }
}
