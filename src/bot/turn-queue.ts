/**
 * Runs work for one key (a conversation) one at a time, in arrival order, while different keys run
 * in parallel. Two submits of the same card landing together then see each other's state.
 */
export class TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    try {
      await previous;
      return await work();
    } finally {
      release();
      // Drop the entry once nobody queued behind us, so idle conversations cost no memory.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work running or queued (for tests and shutdown). */
  get size(): number {
    return this.tails.size;
  }
}
