import type { StoreItem } from 'botbuilder';
import type { StateStorage } from '../../src/storage/state-storage';
import { isETagConflict } from '../../src/storage/state-storage';

/** One batch of a campaign: who is in it, and the operation Teams gave it once submitted. */
export interface BatchRecord {
  readonly batchId: string;
  readonly userIds: readonly string[];
  readonly locale: string;
  readonly createdAt: number;
  /** Written right after Teams accepted the batch; absent = not submitted, or submitted and not recorded. */
  readonly operationId?: string;
}

type Stored = BatchRecord & StoreItem;

/** The batches of a campaign in the service's blob storage, written with eTags. */
export class BatchStore {
  constructor(
    private readonly storage: StateStorage,
    private readonly campaignId: string,
  ) {}

  private key(batchId: string): string {
    return `campaign/${this.campaignId}/batch/${batchId}`;
  }

  async create(record: BatchRecord): Promise<void> {
    await this.storage.createItem(this.key(record.batchId), { ...record });
  }

  async read(batchId: string): Promise<Stored | undefined> {
    const key = this.key(batchId);
    return (await this.storage.read([key]))[key] as Stored | undefined;
  }

  /** Records the operation id; false when someone else changed the record first. */
  async setOperation(current: Stored, operationId: string): Promise<boolean> {
    try {
      await this.storage.write({ [this.key(current.batchId)]: { ...current, operationId } });
      return true;
    } catch (error) {
      if (isETagConflict(error)) return false;
      throw error;
    }
  }
}
