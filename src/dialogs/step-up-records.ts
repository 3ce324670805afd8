import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Clock } from '../time/clock';

/** A proof of possession of a registered phone, kept for this conversation. */
export interface StepUpRecord {
  readonly userId: string;
  readonly until: number;
}

/** How long a step-up lets the user add, change or remove phones without proving again. */
const STEP_UP_TTL_MS = 10 * 60_000;

/** The conversation's step-up, stored with its state (so it holds on every instance). */
export class StepUpRecords {
  constructor(
    private readonly accessor: StatePropertyAccessor<StepUpRecord | undefined>,
    private readonly clock: Clock,
  ) {}

  async isValid(context: TurnContext, userId: string): Promise<boolean> {
    const record = await this.accessor.get(context);
    return record !== undefined && record.userId === userId && this.clock.now() < record.until;
  }

  async record(context: TurnContext, userId: string): Promise<void> {
    await this.accessor.set(context, { userId, until: this.clock.now() + STEP_UP_TTL_MS });
  }
}
