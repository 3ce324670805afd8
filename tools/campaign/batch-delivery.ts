import type { Activity } from 'botbuilder';
import type { Locale } from '../../src/i18n/locale';
import type { Outcome, ReadyPerson, RunnerOptions } from './campaign-runner';
import { backoffMs } from './pacing';
import type { PersonRecord } from './person-ledger';
import { TeamsBatchError, type BatchOperationState, type TeamsBatchApi } from './teams-batch-client';
import type { ReceivedWork } from './work-queue';

/** Teams' batch messaging as a runner uses it. */
export interface BatchMessaging {
  readonly api: TeamsBatchApi;
  readonly tenantId: string;
  /** The welcome message for a language, the same for everyone in it (with the campaign's note). */
  readonly activity: (locale: Locale, note: string | undefined) => Partial<Activity>;
  readonly newBatchId: () => string;
  /** Fewer people than this in one language go as single messages (default 3). */
  readonly minBatch?: number;
  /** Polls of an operation before the runner hands its people back to the queue for a later run (default 12, about 85 s). */
  readonly maxPolls?: number;
  readonly random?: () => number;
}

/** States after which an operation changes no more. */
const FINAL_STATES: ReadonlySet<string> = new Set(['Completed', 'Failed', 'Cancelled']);

/** Polls wait 0.5, 1, 2, 4, 8 s, then 10 s each: well inside the queue's visibility timeout. */
const MAX_POLL_WAIT_MS = 10_000;

/**
 * Sends one language's welcome card to up to 100 people in one Teams batch operation, and records
 * each person's outcome from the operation's state and failed entries.
 *
 * Exactly once across a crash: the batch (its people, no operation yet) is recorded and its id
 * written on every person's `sending` record, each with its eTag, BEFORE the batch is submitted;
 * Teams' operation id is recorded on the batch right after Teams accepts it. A resumed run that finds
 * a `sending` person whose batch has an operation id polls that operation instead of submitting
 * again; one whose batch has none (a crash in the moment between Teams' answer and that write, or
 * before the submit) cannot tell whether the card went, and is marked `uncertain`, never resent.
 */
export async function deliverBatch(o: RunnerOptions, b: BatchMessaging, people: readonly ReadyPerson[]): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  const batchId = b.newBatchId();
  const locale = people[0]!.locale;
  await o.batches.create({ batchId, userIds: people.map((p) => p.work.item.userId), locale, createdAt: o.clock.now() });
  const members: ReadyPerson[] = [];
  for (const p of people) {
    if (await o.ledger.update(p.claimed, { batchId, locale, installed: p.install.kind, delivery: 'batch' }, o.clock.now())) members.push(p);
    else outcomes.set(p.work.item.userId, 'later');
  }
  if (members.length === 0) return outcomes;
  const works = new Map(members.map((p) => [p.work.item.userId, p.work]));
  let operationId: string;
  try {
    operationId = await b.api.submit(b.activity(locale, o.note), [...works.keys()], b.tenantId);
  } catch (error) {
    // Teams refused the batch: nothing went out. No answer at all: it may have gone, so never resent.
    const refused = error instanceof TeamsBatchError;
    const reason = `teams batch: ${error instanceof Error ? error.message : String(error)}`;
    for (const p of members) {
      const change: Partial<PersonRecord> = refused
        ? { state: 'failed', reason: p.install.kind === 'failed' ? `${p.install.reason}; ${reason}` : reason }
        : { state: 'uncertain', reason };
      outcomes.set(p.work.item.userId, await settle(o, p.work.item.userId, change, p.work));
    }
    return outcomes;
  }
  o.afterSubmit?.('submitted', batchId);
  const record = await o.batches.read(batchId);
  if (record) await o.batches.setOperation(record, operationId);
  o.afterSubmit?.('recorded', batchId);
  for (const [userId, outcome] of await finishOperation(o, b, operationId, [...works.keys()], works)) outcomes.set(userId, outcome);
  return outcomes;
}

/** Settles the people of a batch submitted by a runner that died, from its recorded operation. */
export async function resumeBatch(o: RunnerOptions, batchId: string, works: readonly ReceivedWork[]): Promise<Map<string, Outcome>> {
  const record = await o.batches.read(batchId);
  const held = new Map(works.map((w) => [w.item.userId, w]));
  if (!record?.operationId || !o.batchMessaging) {
    await Promise.all(works.map((w) => o.queue.release(w)));
    return new Map(works.map((w) => [w.item.userId, 'later' as const]));
  }
  return finishOperation(o, o.batchMessaging, record.operationId, record.userIds, held);
}

/**
 * Polls the operation with back-off until it is final, reads its failed entries, and records every
 * person of the batch still `sending` (whoever holds their queue message deletes it later).
 */
async function finishOperation(
  o: RunnerOptions,
  b: BatchMessaging,
  operationId: string,
  userIds: readonly string[],
  works: ReadonlyMap<string, ReceivedWork>,
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  let state: BatchOperationState | undefined;
  for (let poll = 1; poll <= (b.maxPolls ?? 12); poll++) {
    // Teams needs a moment before anything is sent: wait first, then ask.
    await o.sleep(Math.min(MAX_POLL_WAIT_MS, backoffMs(poll, undefined, b.random ?? Math.random)));
    try {
      state = await b.api.state(operationId);
    } catch (error) {
      if (!(error instanceof TeamsBatchError && error.status === 404)) {
        // No answer, or a refusal the retries did not overcome: ask again at the next poll.
        state = undefined;
        continue;
      }
      // Teams no longer knows the operation (operations expire): whether the card went cannot be told.
      for (const userId of userIds)
        outcomes.set(userId, await settle(o, userId, { state: 'uncertain', reason: 'teams batch: operation unknown' }, works.get(userId)));
      return outcomes;
    }
    if (FINAL_STATES.has(state.state)) break;
  }
  if (!state || !FINAL_STATES.has(state.state)) {
    // Still running: the people go back to the queue, and a later run polls the same operation.
    await Promise.all([...works.values()].map((w) => o.queue.release(w)));
    return new Map([...works.keys()].map((userId) => [userId, 'later' as const]));
  }
  const allDelivered = state.state === 'Completed' && Object.keys(state.statusMap).every((status) => status.startsWith('2'));
  let entries: Awaited<ReturnType<TeamsBatchApi['failedEntries']>> = [];
  try {
    if (!allDelivered) entries = await b.api.failedEntries(operationId);
  } catch {
    // Who failed is unknown for now: the people go back to the queue and a later run reads the entries again.
    await Promise.all([...works.values()].map((w) => o.queue.release(w)));
    return new Map([...works.keys()].map((userId) => [userId, 'later' as const]));
  }
  const failed = new Map(entries.map((e) => [e.id, e.error]));
  for (const userId of userIds) {
    const error = failed.get(userId);
    const change: Partial<PersonRecord> =
      error !== undefined
        ? { state: 'failed', reason: `teams: ${error}` }
        : state.state === 'Completed'
          ? { state: 'sent' }
          : { state: 'uncertain', reason: `teams batch operation ${state.state}` };
    outcomes.set(userId, await settle(o, userId, change, works.get(userId)));
  }
  return outcomes;
}

/** Records a final state if the person is still `sending`, then deletes their queue message if this runner holds it. */
async function settle(o: RunnerOptions, userId: string, change: Partial<PersonRecord>, work: ReceivedWork | undefined): Promise<Outcome> {
  const current = await o.ledger.read(userId);
  const recorded = current?.state === 'sending' && (await o.ledger.update(current, change, o.clock.now()));
  if (work) await o.queue.done(work);
  return recorded && work ? (change.state as Outcome) : 'later';
}
