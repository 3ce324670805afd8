import type { Clock } from '../../src/time/clock';
import type { Locale } from '../../src/i18n/locale';
import { installForUser, type InstallAudit, type InstallOutcome } from './app-installer';
import { deliverBatch, resumeBatch, type BatchMessaging } from './batch-delivery';
import type { BatchStore } from './batch-record';
import type { CampaignGraph } from './campaign-graph';
import type { CampaignStore } from './campaign-record';
import { preferredLocale, stillNeeds, type CampaignNeed } from './campaign-targets';
import type { Sleep } from './pacing';
import type { PersonLedger, PersonRecord } from './person-ledger';
import { BATCH_MAX_MEMBERS } from './teams-batch-client';
import type { WelcomeSender } from './welcome-sender';
import type { ReceivedWork, WorkQueue } from './work-queue';

export interface RunnerOptions {
  readonly campaignId: string;
  readonly need: CampaignNeed;
  readonly queue: WorkQueue;
  readonly ledger: PersonLedger;
  readonly batches: BatchStore;
  readonly campaigns: CampaignStore;
  readonly graph: CampaignGraph;
  /** Single proactive messages: for the few a batch does not fit. */
  readonly sender: WelcomeSender;
  /** Teams' batch messaging; without it everyone gets a single proactive message. */
  readonly batchMessaging?: BatchMessaging;
  readonly clock: Clock;
  /** Waits on the campaign's clock (between polls of a batch operation). */
  readonly sleep: Sleep;
  /** Waits while the queue holds only messages other runners have in hand (queue time is real time). */
  readonly idleSleep: Sleep;
  readonly catalogAppId: string;
  readonly defaultLocale: Locale;
  /** One line per app installation (a Graph write). */
  readonly audit: InstallAudit;
  /** A note from IT shown above the card; none when absent. */
  readonly note?: string;
  /** Members of ALLOWED_GROUP_ID; undefined = everyone may use the bot. */
  readonly allowedUserIds?: ReadonlySet<string>;
  /** People taken from the queue per round (up to a batch: 100). */
  readonly batchSize?: number;
  /** People prepared at once (Graph reads and the install), each a few Graph calls. */
  readonly concurrency?: number;
  /** How long a received person stays hidden from other runners. */
  readonly visibilityTimeoutSeconds: number;
  /** A `sending` record older than this belongs to a runner that died: reconciled, not resent. */
  readonly staleAfterMs: number;
  /** Called after a single send and before it is recorded (tests simulate a crash here). */
  readonly beforeRecord?: (userId: string) => void;
  /** Called once a batch is submitted, and again once its operation id is recorded (tests simulate a crash here). */
  readonly afterSubmit?: (stage: 'submitted' | 'recorded', batchId: string) => void;
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

/** A final outcome for a person this runner settled, or `later` (someone else has them, or not yet). */
export type Outcome = 'sent' | 'skipped' | 'failed' | 'uncertain' | 'later';

/** A person claimed (`sending` written) and ready for their card. */
export interface ReadyPerson {
  readonly work: ReceivedWork;
  readonly claimed: PersonRecord & { eTag?: string };
  readonly locale: Locale;
  readonly install: InstallOutcome;
}

type Prepared =
  | { readonly kind: 'settled'; readonly outcome: Outcome; readonly userId: string }
  | { readonly kind: 'resume'; readonly batchId: string; readonly work: ReceivedWork }
  | { readonly kind: 'ready'; readonly person: ReadyPerson };

/**
 * Takes people off the campaign queue until it is empty or the campaign is stopped. A round takes up
 * to a batch of people; each is checked and claimed (a `sending` record created only if none exists)
 * before anything goes out, and the app installed where missing. The ready people are grouped by
 * language (the card differs only by language and the campaign's note): a group large enough goes
 * out through Teams' batch API, 100 at a time; the few left over get single proactive messages.
 * An existing record means someone else handled the person, or a runner died: a person in a batch
 * whose operation was recorded is settled by polling that operation; a person claimed but not yet
 * put in a batch or sent to is taken over; anyone a message may have gone to is reconciled to
 * `uncertain` instead of sending twice. A queue message is deleted only once the
 * person's record is final.
 */
export async function runCampaign(o: RunnerOptions): Promise<RunSummary> {
  const summary: RunSummary = { sent: 0, skipped: 0, failed: 0, uncertain: 0, stopped: false };
  const count = (userId: string, outcome: Outcome): void => {
    if (outcome === 'later') return;
    summary[outcome]++;
    o.onProgress?.({ userId, outcome });
  };
  for (;;) {
    if ((await o.campaigns.read(o.campaignId))?.stopped) {
      summary.stopped = true;
      return summary;
    }
    const round = await receiveRound(o);
    if (round.length === 0) {
      if ((await o.queue.waiting()) === 0) return summary;
      await o.idleSleep(500);
      continue;
    }
    const prepared = await mapLimit(round, o.concurrency ?? 8, (work) => prepare(o, work));
    const resumes = new Map<string, ReceivedWork[]>();
    const ready: ReadyPerson[] = [];
    for (const p of prepared) {
      if (p.kind === 'settled') count(p.userId, p.outcome);
      else if (p.kind === 'resume') resumes.set(p.batchId, [...(resumes.get(p.batchId) ?? []), p.work]);
      else ready.push(p.person);
    }
    for (const [batchId, works] of resumes) for (const [userId, outcome] of await resumeBatch(o, batchId, works)) count(userId, outcome);
    const units = deliveryUnits(o, ready);
    for (const [index, unit] of units.entries()) {
      // Checked before each batch or single message, so `stop` takes effect within one; the rest go back at once.
      if ((await o.campaigns.read(o.campaignId))?.stopped) {
        await releaseClaimed(
          o,
          units.slice(index).flatMap((left) => (left.kind === 'batch' ? left.people : [left.person])),
        );
        summary.stopped = true;
        return summary;
      }
      if (unit.kind === 'batch') {
        for (const [userId, outcome] of await deliverBatch(o, unit.messaging, unit.people)) count(userId, outcome);
      } else {
        count(unit.person.work.item.userId, await sendSingle(o, unit.person));
      }
    }
  }
}

/** Up to `batchSize` people, in as many queue reads as it takes (the queue hands out at most 32 at a time). */
async function receiveRound(o: RunnerOptions): Promise<ReceivedWork[]> {
  const wanted = Math.min(o.batchSize ?? BATCH_MAX_MEMBERS, BATCH_MAX_MEMBERS);
  const round: ReceivedWork[] = [];
  while (round.length < wanted) {
    const got = await o.queue.receive(Math.min(32, wanted - round.length), o.visibilityTimeoutSeconds);
    round.push(...got);
    if (got.length === 0) break;
  }
  return round;
}

/** What goes out as one: a batch of one language's people, or a single proactive message. */
type DeliveryUnit =
  | { readonly kind: 'batch'; readonly messaging: BatchMessaging; readonly people: readonly ReadyPerson[] }
  | { readonly kind: 'single'; readonly person: ReadyPerson };

/**
 * One batch per language (a round holds at most a batch's 100 people, so a language's group fits
 * one); a group too small for a batch, or every person without batch messaging, gets single messages.
 */
function deliveryUnits(o: RunnerOptions, ready: readonly ReadyPerson[]): DeliveryUnit[] {
  const byLocale = new Map<Locale, ReadyPerson[]>();
  for (const person of ready) byLocale.set(person.locale, [...(byLocale.get(person.locale) ?? []), person]);
  const units: DeliveryUnit[] = [];
  for (const group of byLocale.values()) {
    const messaging = o.batchMessaging;
    if (messaging && group.length >= (messaging.minBatch ?? 3)) units.push({ kind: 'batch', messaging, people: group });
    else units.push(...group.map((person): DeliveryUnit => ({ kind: 'single', person })));
  }
  return units;
}

/**
 * People claimed but not sent when the campaign stopped: nothing went to them, so their claim is
 * removed (this runner holds their queue message, so nobody else is on them) and the message goes
 * back to the queue; the next run claims them afresh instead of calling them uncertain.
 */
async function releaseClaimed(o: RunnerOptions, people: readonly ReadyPerson[]): Promise<void> {
  for (const person of people) {
    await o.ledger.remove(person.work.item.userId);
    await o.queue.release(person.work);
  }
}

async function prepare(o: RunnerOptions, work: ReceivedWork): Promise<Prepared> {
  const { userId } = work.item;
  const settled = (outcome: Outcome): Prepared => ({ kind: 'settled', outcome, userId });
  const existing = await o.ledger.read(userId);
  if (existing) {
    if (existing.state !== 'sending') {
      await o.queue.done(work);
      return settled('later');
    }
    if (existing.batchId && (await o.batches.read(existing.batchId))?.operationId) return { kind: 'resume', batchId: existing.batchId, work };
    // Someone may still be sending: leave it until the record is old enough to belong to a dead runner.
    if (o.clock.now() - existing.updatedAt < o.staleAfterMs) return settled('later');
    if (!existing.batchId && !existing.delivery) {
      // Claimed by a runner that died before sending anything: taken over (eTag-conditioned, so only one runner does).
      if (!(await o.ledger.update(existing, { claimedAt: o.clock.now() }, o.clock.now()))) return settled('later');
      return { kind: 'ready', person: await ready(o, work) };
    }
    const reason = existing.batchId
      ? 'the runner stopped between submitting the batch and recording its operation'
      : 'the runner stopped between sending and recording';
    if (await o.ledger.update(existing, { state: 'uncertain', reason }, o.clock.now())) {
      await o.queue.done(work);
      return settled('uncertain');
    }
    return settled('later');
  }
  const now = o.clock.now();
  const skip = await skipReason(o, userId);
  if (skip) {
    const created = await o.ledger.createFinal({ userId, state: 'skipped', reason: skip, clientActivityId: '', claimedAt: now, updatedAt: now });
    await o.queue.done(work);
    return settled(created ? 'skipped' : 'later');
  }
  if (!(await o.ledger.claim(userId, now))) return settled('later');
  return { kind: 'ready', person: await ready(o, work) };
}

/** Installs the app where missing and reads the person's language, once they are claimed. */
async function ready(o: RunnerOptions, work: ReceivedWork): Promise<ReadyPerson> {
  const { userId } = work.item;
  const install = await installForUser(o.graph, userId, o.catalogAppId, o.audit);
  const locale = await preferredLocale(o.graph, userId, o.defaultLocale);
  const claimed = (await o.ledger.read(userId))!;
  return { work, claimed, locale, install };
}

async function sendSingle(o: RunnerOptions, p: ReadyPerson): Promise<Outcome> {
  const { userId } = p.work.item;
  // Marked before the send: a crash after it leaves a record that says a message may have gone.
  if (!(await o.ledger.update(p.claimed, { delivery: 'single', locale: p.locale, installed: p.install.kind }, o.clock.now()))) return 'later';
  const claimed = (await o.ledger.read(userId))!;
  let change: Partial<PersonRecord>;
  try {
    const sent = await o.sender.send({ userId, locale: p.locale, clientActivityId: claimed.clientActivityId, ...(o.note ? { note: o.note } : {}) });
    change = { state: 'sent', activityId: sent.activityId, locale: p.locale, installed: p.install.kind, delivery: 'single' };
  } catch (error) {
    const reason = p.install.kind === 'failed' ? p.install.reason : `send: ${error instanceof Error ? error.message : String(error)}`;
    change = { state: 'failed', reason, locale: p.locale, installed: p.install.kind, delivery: 'single' };
  }
  // Whatever throws here (a killed process) leaves the `sending` record behind: reconciled, never resent.
  o.beforeRecord?.(userId);
  await o.ledger.update(claimed, change, o.clock.now());
  await o.queue.done(p.work);
  return change.state as Outcome;
}

/** Why a person is not messaged after all, or undefined. */
async function skipReason(o: RunnerOptions, userId: string): Promise<string | undefined> {
  if (o.allowedUserIds && !o.allowedUserIds.has(userId)) return 'not a member of ALLOWED_GROUP_ID';
  if (!(await stillNeeds(o.graph, userId, o.need))) return 'registered before the message went out';
  return undefined;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!);
      }
    }),
  );
  return results;
}
