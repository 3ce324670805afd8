import type { StoreItem } from 'botbuilder';
import type { StateStorage } from '../../src/storage/state-storage';
import { isETagConflict } from '../../src/storage/state-storage';

/**
 * Where one person stands in one campaign. `sending` is written (created only if nothing exists)
 * BEFORE the message goes out, so a crash between sending and recording leaves a `sending` record,
 * never sent again: a person sent alone is reconciled to `uncertain`; a person in a batch carries the
 * batch's id before it is submitted, and the batch's operation (once recorded) is polled on resume to
 * learn whether Teams reached them.
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
  /** The batch the person was put in (written before the batch is submitted). */
  readonly batchId?: string;
  /** How the card goes: one batch operation for many, or a single proactive message (written before it is sent). */
  readonly delivery?: 'batch' | 'single';
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

  /** Removes a claim nothing was sent for (the caller holds the person's queue message). */
  async remove(userId: string): Promise<void> {
    await this.storage.delete([this.key(userId)]);
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
