import type { Clock } from '../time/clock';

/** Options for {@link RecentReads}. */
export interface RecentReadsOptions {
  readonly clock: Clock;
  /** How long a read answers again; 0 turns the memory off. */
  readonly maxAgeMs: number;
  /** Most keys kept; the oldest read goes first. */
  readonly maxEntries: number;
}

/**
 * Remembers each key's last read for a short time, in this process only, so turns seconds apart (the
 * welcome, then "Add a phone") share one Graph read. Another instance simply reads again. A caller
 * that changes what was read forgets the key first.
 */
export class RecentReads<T> {
  private readonly entries = new Map<string, { readonly value: T; readonly at: number }>();
  /** Reads under way per key; `stale` once the key was forgotten meanwhile (their answer may predate a change). */
  private readonly reading = new Map<string, { count: number; stale: boolean }>();

  constructor(private readonly options: RecentReadsOptions) {}

  /** The remembered value while it is young enough, else a new read (remembered when it succeeds). */
  async get(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.options.clock.now();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.options.maxAgeMs && now >= entry.at) return entry.value;
    const flight = this.reading.get(key) ?? { count: 0, stale: false };
    flight.count += 1;
    this.reading.set(key, flight);
    try {
      const value = await read();
      if (!flight.stale) this.remember(key, value, now);
      return value;
    } finally {
      flight.count -= 1;
      if (flight.count === 0) this.reading.delete(key);
    }
  }

  /** Drops the key's read, and any read of it still under way will not be kept: what it holds may have changed. */
  forget(key: string): void {
    this.entries.delete(key);
    const flight = this.reading.get(key);
    if (flight) flight.stale = true;
  }

  private remember(key: string, value: T, at: number): void {
    if (this.options.maxAgeMs <= 0) return;
    // Re-inserted, so the map's order stays oldest first.
    this.entries.delete(key);
    this.entries.set(key, { value, at });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
