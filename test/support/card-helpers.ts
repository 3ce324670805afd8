import type { Activity, Attachment } from 'botbuilder';

export type CardJson = {
  body?: CardElement[];
  actions?: CardAction[];
  [key: string]: unknown;
};
export type CardElement = {
  type: string;
  id?: string;
  text?: string;
  value?: string;
  choices?: { title: string; value: string }[];
  facts?: { title: string; value: string }[];
  [key: string]: unknown;
};
export type CardAction = { type: string; title: string; data?: Record<string, string>; url?: string };

/** The Adaptive Card of an activity, or undefined for a text message. */
export function cardOf(activity: Partial<Activity> | undefined): CardJson | undefined {
  const attachment: Attachment | undefined = activity?.attachments?.[0];
  return attachment?.contentType === 'application/vnd.microsoft.card.adaptive' ? (attachment.content as CardJson) : undefined;
}

/** Every text a person would read on the card (text blocks, facts, labels, button titles, choices). */
export function cardText(card: CardJson | undefined): string {
  if (!card) return '';
  const parts: string[] = [];
  for (const element of card.body ?? []) {
    if (element.text) parts.push(element.text);
    if (typeof element.label === 'string') parts.push(element.label);
    for (const fact of element.facts ?? []) parts.push(`${fact.title}: ${fact.value}`);
    for (const choice of element.choices ?? []) parts.push(choice.title);
  }
  for (const action of card.actions ?? []) parts.push(action.title);
  // Numbers are written with no-break spaces so they do not wrap; a reader sees ordinary spaces.
  return parts.join('\n').replace(/\u00a0/g, ' ');
}

/** The submit action with this `action` name. */
export function actionOf(card: CardJson | undefined, action: string): CardAction | undefined {
  return card?.actions?.find((a) => a.type === 'Action.Submit' && a.data?.action === action);
}

/** An input by id. */
export function inputOf(card: CardJson | undefined, id: string): CardElement | undefined {
  return card?.body?.find((element) => element.id === id);
}
