import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { Attachment } from 'botbuilder';
import type { CardData, CardName } from './card-data';

const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Renders the templates in cards/ with adaptivecards-templating. Each template is read and parsed
 * once and kept; every card is expanded afresh from its own data, so no part of one user's card is
 * ever handed to another.
 */
export class CardRenderer {
  private readonly templates = new Map<CardName, ACData.Template>();

  constructor(private readonly cardsDir: string) {}

  /** Expands a template with its typed data and returns the card JSON. */
  renderContent<N extends CardName>(name: N, data: CardData[N]): Record<string, unknown> {
    const expanded: unknown = this.template(name).expand({ $root: data });
    if (typeof expanded !== 'object' || expanded === null) throw new Error(`Card template ${name} did not expand to an object`);
    return expanded as Record<string, unknown>;
  }

  /** The card as a Bot Framework attachment. */
  render<N extends CardName>(name: N, data: CardData[N]): Attachment {
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: this.renderContent(name, data) };
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
