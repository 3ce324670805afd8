import type { Clock } from '../../src/time/clock';
import type { Locale } from '../../src/i18n/locale';
import { installForUser } from './app-installer';
import type { CampaignGraph } from './campaign-graph';
import type { CampaignStore } from './campaign-record';
import { preferredLocale, stillNeeds, type CampaignNeed } from './campaign-targets';
import type { Sleep } from './pacing';
import type { PersonLedger } from './person-ledger';
import type { WelcomeSender } from './welcome-sender';
import type { ReceivedWork, WorkQueue } from './work-queue';

export interface RunnerOptions {
  readonly campaignId: string;
  readonly need: CampaignNeed;
  readonly queue: WorkQueue;
  readonly ledger: PersonLedger;
  readonly campaigns: CampaignStore;
  readonly graph: CampaignGraph;
  readonly sender: WelcomeSender;
  readonly clock: Clock;
  /** Waits while the queue holds only messages other runners have in hand (queue time is real time). */
  readonly idleSleep: Sleep;
  readonly catalogAppId: string;
  readonly defaultLocale: Locale;
  /** A note from IT shown above the card; none when absent. */
  readonly note?: string;
  /** Members of ALLOWED_GROUP_ID; undefined = everyone may use the bot. */
  readonly allowedUserIds?: ReadonlySet<string>;
  /** People taken from the queue at a time (at most 32, the queue's limit). */
  readonly batchSize?: number;
  /** How long a received person stays hidden from other runners. */
  readonly visibilityTimeoutSeconds: number;
  /** A `sending` record older than this belongs to a runner that died: reconciled, not resent. */
  readonly staleAfterMs: number;
  /** Called after a send and before it is recorded (tests simulate a crash here). */
  readonly beforeRecord?: (userId: string) => void;
  readonly onProgress?: (event: { readonly userId: string; readonly outcome: string }) => void;
}

/** What one runner did. */
export interface RunSummary {
  sent: number;
  skipped: number;
  failed: number;
  uncertain: number;
  stopped: boolean;
}

/**
 * Takes people off the campaign queue until it is empty or the campaign is stopped. For each: a
 * `sending` record is created (only if none exists) before anything goes out; an existing record
 * means someone else handled the person, or a runner died mid-send and the record is reconciled to
 * `uncertain` instead of sending twice. The queue message is deleted only once the record is final.
 */
export async function runCampaign(o: RunnerOptions): Promise<RunSummary> {
  const summary: RunSummary = { sent: 0, skipped: 0, failed: 0, uncertain: 0, stopped: false };
  for (;;) {
    if ((await o.campaigns.read(o.campaignId))?.stopped) {
      summary.stopped = true;
      return summary;
    }
    const batch = await o.queue.receive(o.batchSize ?? 16, o.visibilityTimeoutSeconds);
    if (batch.length === 0) {
      if ((await o.queue.waiting()) === 0) return summary;
      await o.idleSleep(500);
      continue;
    }
    for (const [index, work] of batch.entries()) {
      // Checked before each person, so `stop` takes effect within one send; the rest go back at once.
      if ((await o.campaigns.read(o.campaignId))?.stopped) {
        await Promise.all(batch.slice(index).map((left) => o.queue.release(left)));
        summary.stopped = true;
        return summary;
      }
      const outcome = await handle(o, work);
      if (outcome !== 'later') summary[outcome]++;
      if (outcome !== 'later') o.onProgress?.({ userId: work.item.userId, outcome });
    }
  }
}

type Outcome = 'sent' | 'skipped' | 'failed' | 'uncertain' | 'later';

async function handle(o: RunnerOptions, work: ReceivedWork): Promise<Outcome | 'later'> {
  const { userId } = work.item;
  const existing = await o.ledger.read(userId);
  if (existing) {
    if (existing.state !== 'sending') {
      await o.queue.done(work);
      return 'later';
    }
    // Someone may still be sending: leave it until the record is old enough to belong to a dead runner.
    if (o.clock.now() - existing.claimedAt < o.staleAfterMs) return 'later';
    if (await o.ledger.update(existing, { state: 'uncertain', reason: 'the runner stopped between sending and recording' }, o.clock.now())) {
      await o.queue.done(work);
      return 'uncertain';
    }
    return 'later';
  }
  const now = o.clock.now();
  const skip = await skipReason(o, userId);
  if (skip) {
    const created = await o.ledger.createFinal({ userId, state: 'skipped', reason: skip, clientActivityId: '', claimedAt: now, updatedAt: now });
    await o.queue.done(work);
    return created ? 'skipped' : 'later';
  }
  if (!(await o.ledger.claim(userId, now))) return 'later';
  const install = await installForUser(o.graph, userId, o.catalogAppId);
  const locale = await preferredLocale(o.graph, userId, o.defaultLocale);
  const claimed = (await o.ledger.read(userId))!;
  let change;
  try {
    const sent = await o.sender.send({ userId, locale, clientActivityId: claimed.clientActivityId, ...(o.note ? { note: o.note } : {}) });
    change = { state: 'sent' as const, activityId: sent.activityId, locale, installed: install.kind };
  } catch (error) {
    const reason = install.kind === 'failed' ? install.reason : `send: ${error instanceof Error ? error.message : String(error)}`;
    change = { state: 'failed' as const, reason, locale, installed: install.kind };
  }
  // Whatever throws here (a killed process) leaves the `sending` record behind: reconciled, never resent.
  o.beforeRecord?.(userId);
  await o.ledger.update(claimed, change, o.clock.now());
  await o.queue.done(work);
  return change.state;
}

/** Why a person is not messaged after all, or undefined. */
async function skipReason(o: RunnerOptions, userId: string): Promise<string | undefined> {
  if (o.allowedUserIds && !o.allowedUserIds.has(userId)) return 'not a member of ALLOWED_GROUP_ID';
  if (!(await stillNeeds(o.graph, userId, o.need))) return 'registered before the message went out';
  return undefined;
}
