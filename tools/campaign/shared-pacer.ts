import { randomUUID } from 'node:crypto';
import type { StoreItem } from 'botbuilder';
import type { StateStorage } from '../../src/storage/state-storage';
import { isETagConflict } from '../../src/storage/state-storage';
import type { Clock } from '../../src/time/clock';
import type { Sleep } from './pacing';

/** The one pacing record of the tenant: every runner of every campaign takes its slots from it. */
const PACER_KEY = 'campaign/pacer';

interface PacerRecord {
  /** The start of the first slot nobody has reserved yet (ms on the clock). */
  readonly next: number;
  /** Each runner's --rate and when it last reserved: runners quiet for a minute are dropped. */
  readonly rates?: Readonly<Record<string, { readonly perSecond: number; readonly at: number }>>;
}

/** How long a runner's rate binds the others after its last reservation. */
const RATE_LIFETIME_MS = 60_000;

export interface SharedPacerOptions {
  readonly storage: StateStorage;
  readonly perSecond: number;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Slots reserved per storage round trip: fewer round trips, at the cost of a few slots left unused when a runner ends. */
  readonly reserve?: number;
  /** Told the start of each slot handed out (tests check the combined rate with it). */
  readonly onSlot?: (at: number) => void;
  /** This runner's name in the record (default: random). */
  readonly runnerId?: string;
}

/**
 * A rate that holds tenant-wide, however many runners take part: Teams' limits (and Graph's) are per
 * app and tenant, not per process. The slots form one chain in the campaign's blob storage; a runner
 * reserves a few consecutive slots at a time by moving the chain's end forward with an eTag-conditioned
 * write (a conflict means another runner reserved first: read again and retry), then spends them in
 * order, waiting for each slot's time. Slots are `1000 / perSecond` ms apart, so no second on the
 * clock holds more than `perSecond` of them, whoever holds them. Runners given different --rate values
 * all keep to the lowest among those that reserved in the last minute: the record lists each
 * runner's rate, so a runner started with a lower rate slows the others while it runs.
 */
export class SharedPacer {
  private readonly runnerId: string;
  private owned: number[] = [];

  constructor(private readonly options: SharedPacerOptions) {
    if (!(options.perSecond > 0)) throw new RangeError('the rate must be above zero');
    this.runnerId = options.runnerId ?? randomUUID();
  }

  /** Resolves when `count` more requests may start (each takes one slot, waited for in turn). */
  async take(count = 1): Promise<void> {
    for (let i = 0; i < count; i++) {
      if (this.owned.length === 0) this.owned = await this.reserve(Math.max(this.options.reserve ?? 5, Math.min(count - i, 100)));
      const slot = this.owned.shift()!;
      this.options.onSlot?.(slot);
      const wait = slot - this.options.clock.now();
      if (wait > 0) await this.options.sleep(wait);
    }
  }

  private async reserve(count: number): Promise<number[]> {
    const { storage, clock } = this.options;
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = (await storage.read([PACER_KEY]))[PACER_KEY] as (PacerRecord & StoreItem) | undefined;
      // Slots in the past are gone: nobody may bunch up requests by spending old ones.
      const now = clock.now();
      const start = Math.max(now, current?.next ?? 0);
      const rates = { ...liveRates(current?.rates, now), [this.runnerId]: { perSecond: this.options.perSecond, at: now } };
      const spacing = 1000 / Math.min(...Object.values(rates).map((rate) => rate.perSecond));
      const record: PacerRecord = { next: start + count * spacing, rates };
      try {
        if (current) await storage.write({ [PACER_KEY]: { ...current, ...record } });
        else await storage.createItem(PACER_KEY, { ...record });
        return Array.from({ length: count }, (_, i) => start + i * spacing);
      } catch (error) {
        if (!isETagConflict(error)) throw error;
      }
    }
    throw new Error('the shared rate record kept changing: too many runners at once');
  }
}

/** The rates of runners that reserved within the last minute. */
function liveRates(rates: PacerRecord['rates'], now: number): Record<string, { perSecond: number; at: number }> {
  return Object.fromEntries(Object.entries(rates ?? {}).filter(([, rate]) => now - rate.at < RATE_LIFETIME_MS));
}
