/** Where progress goes: a redrawn bar on a terminal, plain lines anywhere else (logs, CI). */
export class ProgressDisplay {
  private done = 0;
  private lastLine = -1;

  constructor(
    private readonly total: number,
    private readonly out: { readonly isTTY?: boolean; write(text: string): unknown },
  ) {}

  step(outcome: string): void {
    this.done++;
    if (this.out.isTTY) {
      const width = 30;
      const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} (${outcome})   `);
      return;
    }
    // One line per tenth (and the last): readable in a log without a line per person.
    const tenth = Math.floor((this.done * 10) / Math.max(this.total, 1));
    if (tenth !== this.lastLine || this.done === this.total) {
      this.lastLine = tenth;
      this.out.write(`${this.done}/${this.total} handled\n`);
    }
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
