import { createHash, randomUUID } from 'node:crypto';
import type { Storage } from 'botbuilder';
import type { Clock } from './clock';
import { KeyedLock } from './keyed-lock';
import { isETagConflict, readItem, StorageContentionError } from './storage-update';

/** How many sends each scope allows in its window. */
export interface SendLimits {
  /** Sends per user in any 60 minutes; default 5. */
  readonly perUserPerHour: number;
  /** Sends per user in any 24 hours; default 10. */
  readonly perUserPerDay: number;
  /** Sends to one number in any 10 minutes; default 3. */
  readonly perNumberPer10Minutes: number;
  /** Sends to one country/region in any 24 hours; default 200. */
  readonly perCountryPerDay: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = {
  perUserPerHour: 5,
  perUserPerDay: 10,
  perNumberPer10Minutes: 3,
  perCountryPerDay: 200,
};

/** One send (SMS or call) the caller is about to make. */
export interface SendAttempt {
  /** The Entra object id of the user the code is for. */
  readonly userId: string;
  /** E.164 number the code goes to. */
  readonly e164: string;
  /** ISO 3166-1 alpha-2 region of the number, e.g. `JP`. */
  readonly region: string;
}

export type SendLimitScope = 'user' | 'number' | 'country';

export type SendReservation =
  | { readonly allowed: true; readonly reservationId: string }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly scope: SendLimitScope };

export interface SendLimiterOptions {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly limits?: Partial<SendLimits>;
  /** Storage key prefix; default `sendLimits`. */
  readonly keyPrefix?: string;
  /** Rounds of read-check-write before giving up when other instances keep winning; default 10. */
  readonly maxAttempts?: number;
}

interface SendEntry {
  readonly id: string;
  readonly at: number;
}

interface SendLog {
  readonly sends: readonly SendEntry[];
}

interface Window {
  readonly scope: SendLimitScope;
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Caps code sends per user, per number and per country (SMS pumping / toll fraud). Counters are
 * sliding windows kept in bot Storage and written with eTags, so instances sharing the store cannot
 * together slip past a cap; within one instance reservations are serialized.
 */
export class SendLimiter {
  private readonly storage: Storage;
  private readonly clock: Clock;
  private readonly limits: SendLimits;
  private readonly keyPrefix: string;
  private readonly maxAttempts: number;
  private readonly lock = new KeyedLock();

  constructor(options: SendLimiterOptions) {
    this.storage = options.storage;
    this.clock = options.clock;
    this.limits = { ...DEFAULT_SEND_LIMITS, ...options.limits };
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`send limit ${name} must be a positive integer`);
    }
    this.keyPrefix = options.keyPrefix ?? 'sendLimits';
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  /**
   * Counts one send against every cap, or refuses it without counting. A refusal names the scope
   * that blocks longest and the seconds until every cap would allow a send again.
   */
  reserve(attempt: SendAttempt): Promise<SendReservation> {
    // One queue per process: every send touches the shared country counter, and eTag retries against
    // remote storage cost more than waiting here (measured with the benchmark on Blob storage).
    return this.lock.run('reserve', () => this.reserveOnce(attempt));
  }

  private async reserveOnce(attempt: SendAttempt): Promise<SendReservation> {
    const keys = this.keys(attempt);
    const windows = this.windows(keys);
    for (let round = 1; round <= this.maxAttempts; round += 1) {
      const now = this.clock.now();
      const logs = new Map<string, { value: SendLog; eTag: string }>();
      for (const key of [keys.user, keys.number, keys.country]) {
        const { value, eTag } = await readItem<SendLog>(this.storage, key);
        logs.set(key, { value: { sends: value?.sends ?? [] }, eTag });
      }
      const refusal = this.firstRefusal(windows, logs, now);
      if (refusal) return refusal;

      const id = randomUUID();
      const written: string[] = [];
      let conflict = false;
      for (const [key, { value, eTag }] of logs) {
        const longest = Math.max(...windows.filter((w) => w.key === key).map((w) => w.windowMs));
        const sends = [...value.sends.filter((s) => s.at > now - longest), { id, at: now }];
        try {
          await this.storage.write({ [key]: { sends, eTag } });
          written.push(key);
        } catch (error) {
          if (!isETagConflict(error)) {
            await this.rollBack(written, id);
            throw error;
          }
          conflict = true;
          break;
        }
      }
      if (!conflict) return { allowed: true, reservationId: id };
      // Another instance wrote one of the counters in between: undo our part and decide again.
      await this.rollBack(written, id);
    }
    throw new StorageContentionError(keys.user, this.maxAttempts);
  }

  private firstRefusal(
    windows: readonly Window[],
    logs: ReadonlyMap<string, { value: SendLog }>,
    now: number,
  ): SendReservation | undefined {
    let refusal: { retryAfterSeconds: number; scope: SendLimitScope } | undefined;
    for (const window of windows) {
      const inWindow = (logs.get(window.key)?.value.sends ?? [])
        .filter((s) => s.at > now - window.windowMs)
        .map((s) => s.at)
        .sort((a, b) => a - b);
      if (inWindow.length < window.limit) continue;
      // The send that frees a slot is the one `limit` places from the newest.
      const freesAt = inWindow[inWindow.length - window.limit] + window.windowMs;
      const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - now) / 1000));
      if (!refusal || retryAfterSeconds > refusal.retryAfterSeconds) refusal = { retryAfterSeconds, scope: window.scope };
    }
    return refusal ? { allowed: false, ...refusal } : undefined;
  }

  private async rollBack(keys: readonly string[], id: string): Promise<void> {
    for (const key of keys) {
      for (let round = 1; round <= this.maxAttempts; round += 1) {
        const { value, eTag } = await readItem<SendLog>(this.storage, key);
        if (!value?.sends.some((s) => s.id === id)) break;
        try {
          await this.storage.write({ [key]: { sends: value.sends.filter((s) => s.id !== id), eTag } });
          break;
        } catch (error) {
          if (!isETagConflict(error)) throw error;
        }
      }
    }
  }

  private keys(attempt: SendAttempt): { user: string; number: string; country: string } {
    // Storage keys may show up in storage logs and blob names: hash the number instead of using it.
    const numberHash = createHash('sha256').update(attempt.e164, 'utf8').digest('hex').slice(0, 32);
    return {
      user: `${this.keyPrefix}/user/${attempt.userId}`,
      number: `${this.keyPrefix}/number/${numberHash}`,
      country: `${this.keyPrefix}/country/${attempt.region.toUpperCase()}`,
    };
  }

  private windows(keys: { user: string; number: string; country: string }): Window[] {
    return [
      { scope: 'user', key: keys.user, limit: this.limits.perUserPerHour, windowMs: HOUR },
      { scope: 'user', key: keys.user, limit: this.limits.perUserPerDay, windowMs: DAY },
      { scope: 'number', key: keys.number, limit: this.limits.perNumberPer10Minutes, windowMs: 10 * MINUTE },
      { scope: 'country', key: keys.country, limit: this.limits.perCountryPerDay, windowMs: DAY },
    ];
  }
}
