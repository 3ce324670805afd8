import type { Clock } from '../../src/time/clock';

/** A clock that moves only when the test says so. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 10, 27, 9, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
