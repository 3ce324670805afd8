import { randomBytes } from 'node:crypto';
import type { StateStorage } from '../../src/storage/state-storage';
import type { Clock } from '../../src/time/clock';
import type { CampaignArgs } from './campaign-args';
import type { CampaignGraph } from './campaign-graph';
import { planCampaign, type CampaignPlan } from './campaign-plan';
import { BatchStore } from './batch-record';
import { CampaignStore } from './campaign-record';
import { runCampaign, type RunnerOptions, type RunSummary } from './campaign-runner';
import { csvUsers, groupUsers, resolveGroupId, stillNeeds, type CampaignPerson } from './campaign-targets';
import { PersonLedger, type PersonRecord } from './person-ledger';
import { ProgressDisplay } from './progress-display';
import { WorkQueue } from './work-queue';

/** What the commands run on; the entry point builds it from the configuration. */
export interface CampaignServices {
  readonly graph: CampaignGraph;
  readonly storage?: StateStorage;
  readonly queueConnectionString?: string;
  readonly allowedGroupId: string;
  readonly clock: Clock;
  readonly readFile: (path: string) => Promise<string>;
  readonly print: (line: string) => void;
  readonly out: { readonly isTTY?: boolean; write(text: string): unknown };
  /** Everything a runner needs beyond the campaign itself. */
  readonly runner?: Omit<
    RunnerOptions,
    'campaignId' | 'need' | 'queue' | 'ledger' | 'batches' | 'campaigns' | 'graph' | 'clock' | 'allowedUserIds' | 'onProgress'
  >;
}

async function people(args: CampaignArgs, s: CampaignServices): Promise<{ groupId: string; people: CampaignPerson[] }> {
  if (args.csv) return { groupId: args.group ?? 'csv', people: csvUsers(await s.readFile(args.csv)) };
  const groupId = await resolveGroupId(s.graph, args.group!);
  return { groupId, people: await groupUsers(s.graph, groupId) };
}

async function allowedUsers(s: CampaignServices): Promise<Set<string> | undefined> {
  return s.allowedGroupId ? new Set((await groupUsers(s.graph, s.allowedGroupId)).map((p) => p.userId)) : undefined;
}

function printPlan(plan: CampaignPlan, print: (line: string) => void): void {
  print(`People in the group or file:         ${plan.members}`);
  print(`Outside ALLOWED_GROUP_ID (left out): ${plan.notAllowed}`);
  print(`Already have what is asked (left out): ${plan.alreadyHave}`);
  print(`Would be reached:                    ${plan.targets.length}`);
}

/** `plan`: reads only. */
export async function planCommand(args: CampaignArgs, s: CampaignServices): Promise<number> {
  const { people: found } = await people(args, s);
  const plan = await planCampaign({ graph: s.graph, people: found, need: args.need, ...(await allowedOrNot(s)) });
  printPlan(plan, s.print);
  for (const person of plan.targets.slice(0, 20)) s.print(`  ${person.userId}  ${person.displayName}`);
  if (plan.targets.length > 20) s.print(`  … and ${plan.targets.length - 20} more`);
  s.print('Nothing was written. Run the same command with start to reach them.');
  return 0;
}

async function allowedOrNot(s: CampaignServices): Promise<{ allowedUserIds?: Set<string> }> {
  const allowed = await allowedUsers(s);
  return allowed ? { allowedUserIds: allowed } : {};
}

function stores(s: CampaignServices, campaignId: string): { campaigns: CampaignStore; ledger: PersonLedger; batches: BatchStore; queue: WorkQueue } {
  return {
    campaigns: new CampaignStore(s.storage!),
    ledger: new PersonLedger(s.storage!, campaignId),
    batches: new BatchStore(s.storage!, campaignId),
    queue: new WorkQueue(s.queueConnectionString!, WorkQueue.nameFor(campaignId)),
  };
}

/** `start`: plans, records the campaign, enqueues everyone, then runs as the first runner. */
export async function startCommand(args: CampaignArgs, s: CampaignServices): Promise<number> {
  const note = args.messageFile ? (await s.readFile(args.messageFile)).trim() : '';
  // Teams shows long texts folded; a note is a line or two above the card, not the message itself.
  if (note.length > 1_000) {
    s.print(`The note in ${args.messageFile} has ${note.length} characters: keep it under 1,000 (the card says the rest).`);
    return 1;
  }
  const { groupId, people: found } = await people(args, s);
  const plan = await planCampaign({ graph: s.graph, people: found, need: args.need, ...(await allowedOrNot(s)) });
  printPlan(plan, s.print);
  const campaignId = `c${new Date(s.clock.now()).toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  const { campaigns, queue } = stores(s, campaignId);
  const userIds = plan.targets.map((p) => p.userId);
  await campaigns.create({ campaignId, groupId, need: args.need, createdAt: s.clock.now(), userIds, stopped: false, ...(note ? { note } : {}) });
  await queue.prepare();
  await queue.enqueue(userIds.map((userId) => ({ campaignId, userId })));
  s.print(`Campaign ${campaignId}: ${userIds.length} people queued. Another terminal may join with: npm run campaign -- run --campaign ${campaignId}`);
  return runCommand({ ...args, campaignId }, s);
}

async function campaignIdOf(args: CampaignArgs, s: CampaignServices): Promise<string | undefined> {
  const id = args.campaignId ?? (await new CampaignStore(s.storage!).currentId());
  if (!id) s.print('No campaign has been started yet (or give --campaign <id>).');
  return id;
}

/** `run`: joins a campaign as one more runner (or resumes it after a kill). */
export async function runCommand(args: CampaignArgs, s: CampaignServices): Promise<number> {
  const campaignId = await campaignIdOf(args, s);
  if (!campaignId) return 1;
  const { campaigns, ledger, batches, queue } = stores(s, campaignId);
  const record = await campaigns.read(campaignId);
  if (!record) {
    s.print(`No campaign ${campaignId}.`);
    return 1;
  }
  // Starting a runner is the admin's word to go on: a stopped campaign resumes.
  if (record.stopped) await campaigns.setStopped(campaignId, false);
  const progress = new ProgressDisplay(await queue.waiting(), s.out);
  const summary = await runCampaign({
    ...s.runner!,
    campaignId,
    need: record.need,
    ...(record.note ? { note: record.note } : {}),
    queue,
    ledger,
    batches,
    campaigns,
    graph: s.graph,
    clock: s.clock,
    ...(await allowedOrNot(s)),
    onProgress: (event) => progress.step(event.outcome),
  });
  progress.finish();
  printSummary(summary, s.print);
  return summary.failed > 0 ? 2 : 0;
}

function printSummary(summary: RunSummary, print: (line: string) => void): void {
  print(`This runner: ${summary.sent} reached, ${summary.skipped} skipped, ${summary.failed} failed, ${summary.uncertain} uncertain (see report).`);
  if (summary.stopped) print('The campaign was stopped; the people not reached yet stay queued. Resume with: npm run campaign -- run');
}

async function records(s: CampaignServices, campaignId: string, userIds: readonly string[]): Promise<Array<PersonRecord | undefined>> {
  const ledger = new PersonLedger(s.storage!, campaignId);
  const found: Array<PersonRecord | undefined> = new Array<PersonRecord | undefined>(userIds.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < userIds.length) {
        const index = next++;
        found[index] = await ledger.read(userIds[index]!);
      }
    }),
  );
  return found;
}

/** `status`: counts per outcome, and how many wait in the queue. */
export async function statusCommand(args: CampaignArgs, s: CampaignServices): Promise<number> {
  const campaignId = await campaignIdOf(args, s);
  if (!campaignId) return 1;
  const record = await new CampaignStore(s.storage!).read(campaignId);
  if (!record) {
    s.print(`No campaign ${campaignId}.`);
    return 1;
  }
  const found = await records(s, campaignId, record.userIds);
  const counts = new Map<string, number>();
  for (const r of found) counts.set(r?.state ?? 'waiting', (counts.get(r?.state ?? 'waiting') ?? 0) + 1);
  s.print(`Campaign ${campaignId} (${record.need}, ${record.userIds.length} people${record.stopped ? ', stopped' : ''})`);
  for (const state of ['sent', 'skipped', 'failed', 'uncertain', 'sending', 'waiting']) s.print(`  ${state.padEnd(10)} ${counts.get(state) ?? 0}`);
  return 0;
}

/** `report --csv`: one line per person: outcome (with Teams' or Graph's reason), whether they have registered since, and how the card went (batch or single). */
export async function reportCommand(args: CampaignArgs, s: CampaignServices): Promise<number> {
  const campaignId = await campaignIdOf(args, s);
  if (!campaignId) return 1;
  const record = await new CampaignStore(s.storage!).read(campaignId);
  if (!record) {
    s.print(`No campaign ${campaignId}.`);
    return 1;
  }
  const found = await records(s, campaignId, record.userIds);
  s.print('userId,state,installed,reason,reachedAt,registeredSince,delivery');
  for (const [i, userId] of record.userIds.entries()) {
    const r = found[i];
    const registered = r?.state === 'sent' ? ((await stillNeeds(s.graph, userId, record.need)) ? 'no' : 'yes') : '';
    const reachedAt = r?.state === 'sent' ? new Date(r.updatedAt).toISOString() : '';
    s.print([userId, r?.state ?? 'waiting', r?.installed ?? '', csvCell(r?.reason ?? ''), reachedAt, registered, r?.delivery ?? ''].join(','));
  }
  return 0;
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `stop`: every runner finishes the person in hand and stops; the rest stays queued. */
export async function stopCommand(args: CampaignArgs, s: CampaignServices): Promise<number> {
  const campaignId = await campaignIdOf(args, s);
  if (!campaignId) return 1;
  if (!(await new CampaignStore(s.storage!).setStopped(campaignId, true))) {
    s.print(`No campaign ${campaignId}.`);
    return 1;
  }
  s.print(`Campaign ${campaignId} stops after the people in hand. Nobody waiting is lost: the queue keeps them.`);
  return 0;
}

/**
 * `remind --after <days>`: one reminder to each person reached at least that long ago who still has
 * not registered. The reminders are a campaign of their own (`{id}-r`), so the same ledger makes
 * each reminder exactly-once: a second `remind` reaches nobody twice.
 */
export async function remindCommand(args: CampaignArgs, s: CampaignServices): Promise<number> {
  const campaignId = await campaignIdOf(args, s);
  if (!campaignId) return 1;
  const campaigns = new CampaignStore(s.storage!);
  const record = await campaigns.read(campaignId);
  if (!record) {
    s.print(`No campaign ${campaignId}.`);
    return 1;
  }
  const cutoff = s.clock.now() - (args.afterDays ?? 0) * 24 * 60 * 60 * 1000;
  const found = await records(s, campaignId, record.userIds);
  const due: string[] = [];
  for (const [i, userId] of record.userIds.entries()) {
    const r = found[i];
    if (r?.state === 'sent' && r.updatedAt <= cutoff && (await stillNeeds(s.graph, userId, record.need))) due.push(userId);
  }
  const reminderId = `${campaignId}-r`;
  const { queue } = stores(s, reminderId);
  if (
    await campaigns.create(
      { campaignId: reminderId, groupId: record.groupId, need: record.need, createdAt: s.clock.now(), userIds: due, stopped: false },
      false,
    )
  ) {
    await queue.prepare();
    await queue.enqueue(due.map((userId) => ({ campaignId: reminderId, userId })));
    s.print(`${due.length} people reached at least ${args.afterDays} days ago have not registered: one reminder each.`);
  } else {
    s.print(`Reminders for ${campaignId} were started before: continuing them (nobody is reminded twice).`);
  }
  return runCommand({ ...args, campaignId: reminderId }, s);
}
