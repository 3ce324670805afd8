import type pino from 'pino';

/**
 * A log destination that keeps what is written until `release()`, then writes it out and passes
 * every later line straight through. The demo holds its start-up log this way so that the lines a
 * newcomer needs (mode, where to talk to the bot, the demo phone inbox) are the first on screen.
 */
export class HeldLines implements pino.DestinationStream {
  private held: string[] | undefined = [];

  constructor(private readonly out: { write(line: string): unknown }) {}

  write(line: string): void {
    if (this.held) this.held.push(line);
    else this.out.write(line);
  }

  /** Writes the held lines in order; from now on nothing is held. Safe to call more than once. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const line of held) this.out.write(line);
  }
}
