import type { ConnectorSink } from '../fakes/connector-sink';
import { actionOf, cardOf, cardText, type CardJson } from './card-helpers';
import type { Poster } from './conversation-driver';

/** The newest card the sink received (from any conversation), as it is shown now (after updates). */
export function lastCardIn(sink: ConnectorSink): { id: string; card: CardJson } {
  const withCard = sink.replies.filter((r) => cardOf(r));
  const last = withCard[withCard.length - 1]!;
  return { id: last.id!, card: cardOf(sink.current(last.id!))! };
}

/** Presses a button of the newest card (its data merged with the inputs, as Teams does); expects the HTTP 200 Teams needs. */
export async function pressLastCard(sink: ConnectorSink, post: Poster, action: string, inputs: Record<string, string> = {}): Promise<void> {
  const { id, card } = lastCardIn(sink);
  const button = actionOf(card, action);
  if (!button) throw new Error(`no ${action} on the card: ${cardText(card)}`);
  expect(await post({ type: 'message', replyToId: id, value: { ...button.data, ...inputs } })).toBe(200);
}
