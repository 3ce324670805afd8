import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../logging/logger';

/**
 * Holds a turn's replies (new messages and card updates) until the turn's state is saved, through
 * TurnContext's public send and update hooks. A card then reaches the user only once the state that
 * makes it valid is stored, so an answer to it, on any instance, finds that state; and a turn that
 * loses the save to another turn of the conversation says nothing of what it would have done.
 *
 * Typing indicators pass at once: they promise nothing. Held sends answer with an empty id (the
 * real one exists only once sent); a card that must be found again later is sent after `release`,
 * which the turn's claim calls before any outside effect.
 */
export class TurnOutbox {
  private readonly sends: Array<Array<Partial<Activity>>> = [];
  private readonly updates: Array<Partial<Activity>> = [];
  private passing = false;

  constructor(
    private readonly context: TurnContext,
    private readonly log: Logger,
  ) {
    context.onSendActivities(async (_context, activities, next) => {
      if (this.passing || activities.every((activity) => activity.type === 'typing')) return next();
      this.sends.push(activities);
      return activities.map((): ResourceResponse => ({ id: '' }));
    });
    context.onUpdateActivity(async (_context, activity, next) => {
      if (this.passing) return next();
      this.updates.push(activity);
    });
  }

  /** Sends what is held, in order (card updates alongside), and lets every later reply pass at once. */
  async release(): Promise<void> {
    this.passing = true;
    const updates = this.updates.splice(0);
    const sends = this.sends.splice(0);
    await Promise.all([
      ...updates.map((activity) =>
        this.context.updateActivity(activity).then(
          () => undefined,
          (error: unknown) => {
            // Updates replace answered cards by their summaries: a courtesy, as the nonce already refuses the old card.
            this.log.debug({ err: error }, 'could not update a card');
          },
        ),
      ),
      (async () => {
        for (const activities of sends) await this.context.sendActivities(activities);
      })(),
    ]);
  }

  /** Forgets what is held (the turn lost its save, or failed) and lets every later reply pass at once. */
  discard(): void {
    this.passing = true;
    this.sends.length = 0;
    this.updates.length = 0;
  }
}
