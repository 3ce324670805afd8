import type { Scheduler } from '../../src/time/scheduler';

/** A scheduler whose timers fire only when the test says so. */
export class ManualScheduler implements Scheduler {
  private pending: { callback: () => void; cancelled: boolean; delayMs: number }[] = [];

  schedule(callback: () => void, delayMs: number): () => void {
    const entry = { callback, cancelled: false, delayMs };
    this.pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Timers still waiting to fire. */
  get armed(): number {
    return this.pending.filter((e) => !e.cancelled).length;
  }

  /** Fires every armed timer, as if all had come due; returns how many fired. */
  fireAll(): number {
    const due = this.pending.filter((e) => !e.cancelled);
    this.pending = [];
    due.forEach((e) => e.callback());
    return due.length;
  }
}
