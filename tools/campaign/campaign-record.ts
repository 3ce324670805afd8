import type { StoreItem } from 'botbuilder';
import type { StateStorage } from '../../src/storage/state-storage';
import { isETagConflict } from '../../src/storage/state-storage';
import type { CampaignNeed } from './campaign-targets';

/** One campaign, shared by every runner through the service's storage. */
export interface CampaignRecord {
  readonly campaignId: string;
  readonly groupId: string;
  readonly need: CampaignNeed;
  readonly createdAt: number;
  /** Everyone enqueued, in plan order: the report walks this list. */
  readonly userIds: readonly string[];
  /** Set by `stop`: runners finish the person in hand and leave the rest in the queue. */
  readonly stopped: boolean;
  /** The note from --message-file, sent above the card; empty for none. */
  readonly note?: string;
}

type Stored = CampaignRecord & StoreItem;

/** The campaign record and the pointer to the current campaign, in blob storage with eTags. */
export class CampaignStore {
  constructor(private readonly storage: StateStorage) {}

  private static key(campaignId: string): string {
    return `campaign/${campaignId}`;
  }

  /** Creates the record; false when a campaign with this id exists already. */
  async create(record: CampaignRecord, makeCurrent = true): Promise<boolean> {
    try {
      await this.storage.createItem(CampaignStore.key(record.campaignId), { ...record });
      if (makeCurrent) await this.storage.write({ 'campaign/current': { campaignId: record.campaignId, eTag: '*' } });
      return true;
    } catch (error) {
      if (isETagConflict(error)) return false;
      throw error;
    }
  }

  async read(campaignId: string): Promise<Stored | undefined> {
    const key = CampaignStore.key(campaignId);
    return (await this.storage.read([key]))[key] as Stored | undefined;
  }

  /** The id of the campaign last started, for status, report, remind and stop without --campaign. */
  async currentId(): Promise<string | undefined> {
    const item = (await this.storage.read(['campaign/current']))['campaign/current'] as { campaignId?: string } | undefined;
    return item?.campaignId;
  }

  /** Marks the campaign stopped (retrying on an eTag conflict); false when there is no such campaign. */
  async setStopped(campaignId: string, stopped: boolean): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.read(campaignId);
      if (!current) return false;
      try {
        await this.storage.write({ [CampaignStore.key(campaignId)]: { ...current, stopped } });
        return true;
      } catch (error) {
        if (!isETagConflict(error)) throw error;
      }
    }
    throw new Error('the campaign record kept changing; try again');
  }
}
