import type { Activity } from 'botbuilder';
import type { TurnClaim } from '../dialogs/ports/turn-claim';
import { readSubmit } from '../dialogs/submit-value';
import type { SubmitClaims } from './submit-claims';
import type { TurnOutbox } from './turn-outbox';

/**
 * What a turn's claim is keyed by: a card submit's nonce (every press of one card carries it), else a
 * typed message's activity id (a channel's retry carries the same one). Other activities (the
 * service's own events) are raised once and need no key.
 */
function claimKeyOf(activity: Partial<Activity>): string | undefined {
  const reading = readSubmit(activity.value);
  if (reading.kind === 'submit') return reading.submit.nonce;
  if (activity.type === 'message' && typeof activity.id === 'string' && activity.id !== '') return `message:${activity.id}`;
  return undefined;
}

/**
 * The bot's side of a turn's claim: one conditional create in the shared storage, taken at most once
 * per turn. Once claimed, the turn's held replies go out and later ones pass at once, so a card sent
 * with the effect (the code card, the call card) gets the activity id it is later replaced by.
 */
export class TurnClaimer implements TurnClaim {
  private claiming?: Promise<boolean>;
  /** Set when another turn had claimed this answer first. */
  duplicate = false;

  constructor(
    private readonly activity: Partial<Activity>,
    private readonly claims: Pick<SubmitClaims, 'claim'>,
    private readonly outbox: Pick<TurnOutbox, 'release'>,
  ) {}

  /** Whether this turn claimed (acted outside the conversation). */
  get claimed(): boolean {
    return this.claiming !== undefined && !this.duplicate;
  }

  claim(): Promise<boolean> {
    this.claiming ??= this.take();
    return this.claiming;
  }

  private async take(): Promise<boolean> {
    const key = claimKeyOf(this.activity);
    const conversationId = this.activity.conversation?.id;
    if (key !== undefined && conversationId) {
      if ((await this.claims.claim(conversationId, key)) === 'duplicate') {
        this.duplicate = true;
        return false;
      }
    }
    await this.outbox.release();
    return true;
  }
}
