import type { BenchConnector } from './bench-connector';
import { cardText } from './conversation-connector';
import { teamsMessage } from './teams-message';

/** What one simulated user needs: where to talk, the connector that sees the replies, and the clock of the run. */
export interface UserContext {
  readonly botUrl: string;
  readonly connector: BenchConnector;
  /** Records one user turn (an HTTP POST to /api/messages) that started at `startedAt`. */
  readonly recordTurn: (startedAt: number, ms: number, step: string) => void;
}

/** A turn or a step that did not go as a user would expect. */
class FlowError extends Error {
  override readonly name = 'FlowError';
}

const BENCH_TENANT = '22222222-2222-4222-8222-222222222222';

function activity(ctx: UserContext, conversationId: string, userId: string, extra: Record<string, unknown>): string {
  return teamsMessage('bench', { serviceUrl: ctx.connector.serviceUrl, tenantId: BENCH_TENANT, conversationId, userId, name: 'Bench User' }, extra);
}

async function post(ctx: UserContext, body: string, step = 'message'): Promise<void> {
  const startedAt = performance.now();
  const response = await fetch(`${ctx.botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  const ms = performance.now() - startedAt;
  if (response.status !== 200) throw new FlowError(`turn answered ${response.status}`);
  ctx.recordTurn(startedAt, ms, step);
}

async function press(ctx: UserContext, conversationId: string, userId: string, action: string, inputs: Record<string, string> = {}): Promise<void> {
  const current = ctx.connector.lastCard(conversationId);
  const button = current?.card.actions?.find((a) => a.type === 'Action.Submit' && a.data?.action === action);
  if (!current || !button) throw new FlowError(`no ${action} button on the current card: ${cardText(current?.card).slice(0, 200)}`);
  await post(ctx, activity(ctx, conversationId, userId, { replyToId: current.id, value: { ...button.data, ...inputs } }), action);
}

function fakeGuid(n: number): string {
  const hex = n.toString(16).padStart(12, '0').slice(-12);
  return `00000000-0000-4000-8000-${hex}`;
}

/**
 * The complete SMS registration as a Teams user does it, six turns: hi → Add a phone → Mobile →
 * country and number → Text me → the code read from the demo phone. Each run uses a new user,
 * conversation and number, so send caps and "already registered" never interfere.
 */
export async function registerBySms(ctx: UserContext, runId: number): Promise<void> {
  const conversationId = `a:bench-reg-${runId}`;
  const userId = fakeGuid(runId);
  // Distinct last four digits among users running at the same time: the demo inbox shows only those.
  // 090-1xxx-xxxx … 090-9xxx-xxxx: Japanese mobile numbers.
  const national = `90${10_000_000 + (runId % 90_000_000)}`;
  const last4 = national.slice(-4);
  try {
    await post(ctx, activity(ctx, conversationId, userId, { text: 'hi' }));
    await press(ctx, conversationId, userId, 'welcome.add');
    await press(ctx, conversationId, userId, 'type.next', { phoneType: 'mobile' });
    await press(ctx, conversationId, userId, 'number.next', { region: 'JP', number: `0${national}` });
    const sentAt = Date.now();
    await press(ctx, conversationId, userId, 'method.sms');
    // The code card says the text is on its way: at once when the provider answered within the turn,
    // else after a proactive turn of its own updates it.
    await ctx.connector.waitFor(conversationId, () => !cardText(ctx.connector.lastCard(conversationId)?.card).includes('Sending a code'), 10_000);
    const code = await readCode(ctx.botUrl, last4, sentAt);
    await press(ctx, conversationId, userId, 'code.verify', { code });
    const done = cardText(ctx.connector.lastCard(conversationId)?.card);
    if (!done.includes('Your phone is registered')) throw new FlowError(`not registered: ${done.slice(0, 200)}`);
  } finally {
    ctx.connector.forget(conversationId);
  }
}

async function readCode(botUrl: string, last4: string, since: number): Promise<string> {
  const response = await fetch(`${botUrl}/demo/messages?to=${last4}`);
  const { messages } = (await response.json()) as { messages: Array<{ kind: string; to: string; text: string; at: number }> };
  const sms = messages.filter((m) => m.kind === 'sms' && m.to.endsWith(last4) && m.at >= since - 1000);
  const match = sms[sms.length - 1]?.text.match(/(\d{3}) (\d{3})/);
  if (!match) throw new FlowError('no code in the demo inbox');
  return match[1]! + match[2]!;
}

/** The same number of turns against the echo baseline: six messages in a new conversation, one reply each. */
export async function echoConversation(ctx: UserContext, runId: number): Promise<void> {
  const conversationId = `a:bench-echo-${runId}`;
  const userId = fakeGuid(runId);
  try {
    for (let turn = 1; turn <= 6; turn += 1) {
      await post(ctx, activity(ctx, conversationId, userId, { text: `message ${turn}` }));
      if (ctx.connector.replies(conversationId) !== turn) throw new FlowError('echo reply missing');
    }
  } finally {
    ctx.connector.forget(conversationId);
  }
}

/** One welcome turn in a new conversation, left idle afterwards (the memory measurement). */
export async function idleConversation(ctx: UserContext, runId: number): Promise<void> {
  const conversationId = `a:bench-idle-${runId}`;
  try {
    await post(ctx, activity(ctx, conversationId, fakeGuid(runId), { text: 'hi' }));
    if (ctx.connector.replies(conversationId) < 1) throw new FlowError('no welcome');
  } finally {
    ctx.connector.forget(conversationId);
  }
}
