import type { StoreItem } from 'botbuilder';
import type { StateStorage } from '../../src/storage/state-storage';
import { isETagConflict } from '../../src/storage/state-storage';

/**
 * Where one person stands in one campaign. `sending` is written (created only if nothing exists)
 * BEFORE the message goes out, so a crash between sending and recording leaves a `sending` record,
 * which is reconciled to `uncertain`, never sent again.
 */
type PersonState = 'sending' | 'sent' | 'failed' | 'skipped' | 'uncertain' | 'reminded';

export interface PersonRecord {
  readonly userId: string;
  readonly state: PersonState;
  /** The deterministic id the welcome activity carries: `campaign-{campaignId}-{userId}`. */
  readonly clientActivityId: string;
  readonly claimedAt: number;
  readonly updatedAt: number;
  readonly activityId?: string;
  readonly installed?: 'installed' | 'already' | 'failed';
  readonly reason?: string;
  readonly locale?: string;
  readonly remindedAt?: number;
}

type StoredRecord = PersonRecord & StoreItem;

/** Per-person records of a campaign in the service's shared storage, written with eTags. */
export class PersonLedger {
  constructor(
    private readonly storage: StateStorage,
    private readonly campaignId: string,
  ) {}

  key(userId: string): string {
    return `campaign/${this.campaignId}/person/${userId}`;
  }

  /** The record, with its eTag, or undefined. */
  async read(userId: string): Promise<StoredRecord | undefined> {
    const key = this.key(userId);
    return (await this.storage.read([key]))[key] as StoredRecord | undefined;
  }

  /** Creates the `sending` record; false when a record already exists (someone claimed the person). */
  async claim(userId: string, now: number): Promise<boolean> {
    const record: PersonRecord = { userId, state: 'sending', clientActivityId: `campaign-${this.campaignId}-${userId}`, claimedAt: now, updatedAt: now };
    try {
      await this.storage.createItem(this.key(userId), { ...record });
      return true;
    } catch (error) {
      if (isETagConflict(error)) return false;
      throw error;
    }
  }

  /** Creates a final record (skipped) only if none exists. */
  async createFinal(record: PersonRecord): Promise<boolean> {
    try {
      await this.storage.createItem(this.key(record.userId), { ...record });
      return true;
    } catch (error) {
      if (isETagConflict(error)) return false;
      throw error;
    }
  }

  /** Replaces the record only if it is still the version read (its eTag); false when someone else wrote first. */
  async update(current: StoredRecord, change: Partial<PersonRecord>, now: number): Promise<boolean> {
    try {
      await this.storage.write({ [this.key(current.userId)]: { ...current, ...change, updatedAt: now } });
      return true;
    } catch (error) {
      if (isETagConflict(error)) return false;
      throw error;
    }
  }
}
