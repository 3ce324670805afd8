/** Runs a callback later; returns a function that cancels it. Injected so tests control time. */
export interface Scheduler {
  schedule(callback: () => void, delayMs: number): () => void;
}

/** Node timers that do not keep the process alive on their own. */
export const timerScheduler: Scheduler = {
  schedule(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
