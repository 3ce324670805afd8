import type { CampaignGraph } from './campaign-graph';
import { stillNeeds, type CampaignNeed, type CampaignPerson } from './campaign-targets';

/** Who a campaign would reach, and why the others are left out. */
export interface CampaignPlan {
  readonly members: number;
  readonly targets: readonly CampaignPerson[];
  readonly alreadyHave: number;
  readonly notAllowed: number;
}

/**
 * Reads, never writes: the people minus those outside ALLOWED_GROUP_ID and those who already have
 * what the campaign asks for. Method lists are read a few at a time (each GET is throttled by Graph).
 */
export async function planCampaign(options: {
  readonly graph: CampaignGraph;
  readonly people: readonly CampaignPerson[];
  readonly need: CampaignNeed;
  readonly allowedUserIds?: ReadonlySet<string>;
  readonly concurrency?: number;
}): Promise<CampaignPlan> {
  const allowed = options.people.filter((p) => !options.allowedUserIds || options.allowedUserIds.has(p.userId));
  const needs: boolean[] = new Array<boolean>(allowed.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < allowed.length) {
      const index = next++;
      needs[index] = await stillNeeds(options.graph, allowed[index]!.userId, options.need);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  const targets = allowed.filter((_, i) => needs[i]);
  return { members: options.people.length, targets, alreadyHave: allowed.length - targets.length, notAllowed: options.people.length - allowed.length };
}
