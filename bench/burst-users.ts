import { cardText } from './conversation-connector';
import type { BurstConnector } from './burst-connector';
import { teamsMessage } from './teams-message';

/** How one simulated user's morning ended. */
export interface BurstOutcome {
  readonly userId: string;
  readonly phoneNumber: string;
  /** `registered`: the bot said so; `told to retry`: the last answer was "try again in N seconds"; `failed`: anything else. */
  readonly result: 'registered' | 'told to retry' | 'failed';
  /** Attempts made (a throttled user waits as told and starts again). */
  readonly attempts: number;
  /** Seconds the bot told the user to wait, one per throttled attempt. */
  readonly toldToWaitSeconds: readonly number[];
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly detail?: string;
}

/** What the burst users share: where to talk, the connector that sees the replies, and where each user's waits go. */
export interface BurstContext {
  readonly connector: BurstConnector;
  readonly tenantId: string;
  /** Attempts a user makes before giving up (each after waiting as told). */
  readonly maxAttempts: number;
  /** Records how long the user waited for the bot's answer to one turn. */
  readonly recordWait: (step: string, ms: number) => void;
}

class FlowError extends Error {
  override readonly name = 'FlowError';
}

const THROTTLED = /try again in (\d+) seconds/i;

/** The Graph number the bot writes for the national number the user types (Japan, +81). */
function graphNumberOf(national: string): string {
  return `+81 ${national}`;
}

/**
 * One user of the enrollment morning: the six-turn SMS registration of a mobile phone. When the bot
 * answers that the directory is busy and names the seconds, the user waits that long and starts again
 * in a new conversation, up to `maxAttempts`.
 */
export async function enrollOnce(ctx: BurstContext, botUrl: string, index: number): Promise<BurstOutcome> {
  const userId = `00000000-0000-4000-8000-${(0xb0000000 + index).toString(16).padStart(12, '0')}`;
  // 090-1xxx-xxxx: distinct last four digits for each user, as the demo inbox shows only those.
  const national = `90${10_000_000 + index}`;
  const startedAt = Date.now();
  const told: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const conversationId = `a:burst-${index}-${attempt}`;
    try {
      const answer = await registerOnce(ctx, botUrl, conversationId, userId, national);
      if (answer === 'registered')
        return {
          userId,
          phoneNumber: graphNumberOf(national),
          result: 'registered',
          attempts: attempt,
          toldToWaitSeconds: told,
          startedAt,
          finishedAt: Date.now(),
        };
      told.push(answer.retryAfterSeconds);
      if (attempt >= ctx.maxAttempts) {
        return {
          userId,
          phoneNumber: graphNumberOf(national),
          result: 'told to retry',
          attempts: attempt,
          toldToWaitSeconds: told,
          startedAt,
          finishedAt: Date.now(),
        };
      }
      await new Promise((resolve) => setTimeout(resolve, answer.retryAfterSeconds * 1000));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return {
        userId,
        phoneNumber: graphNumberOf(national),
        result: 'failed',
        attempts: attempt,
        toldToWaitSeconds: told,
        startedAt,
        finishedAt: Date.now(),
        detail,
      };
    } finally {
      ctx.connector.forget(conversationId);
    }
  }
}

async function registerOnce(
  ctx: BurstContext,
  botUrl: string,
  conversationId: string,
  userId: string,
  national: string,
): Promise<'registered' | { retryAfterSeconds: number }> {
  const send = async (step: string, extra: Record<string, unknown>): Promise<void> => {
    const body = teamsMessage('burst', { serviceUrl: ctx.connector.serviceUrl, tenantId: ctx.tenantId, conversationId, userId, name: 'Student' }, extra);
    const started = performance.now();
    const response = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.arrayBuffer();
    ctx.recordWait(step, performance.now() - started);
    if (response.status !== 200) throw new FlowError(`${step} answered ${response.status}`);
  };
  const press = async (action: string, inputs: Record<string, string> = {}): Promise<void> => {
    const current = ctx.connector.lastCard(conversationId);
    const button = current?.card.actions?.find((a) => a.type === 'Action.Submit' && a.data?.action === action);
    if (!current || !button) throw new FlowError(`no ${action} button: ${cardText(current?.card).slice(0, 160)}`);
    await send(action, { replyToId: current.id, value: { ...button.data, ...inputs } });
  };
  await send('message', { text: 'hi' });
  await press('welcome.add');
  await press('type.next', { phoneType: 'mobile' });
  await press('number.next', { region: 'JP', number: `0${national}` });
  const sentAt = Date.now();
  await press('method.sms');
  await ctx.connector.waitFor(conversationId, () => !cardText(ctx.connector.lastCard(conversationId)?.card).includes('Sending a code'), 30_000);
  await press('code.verify', { code: await readCode(botUrl, national.slice(-4), sentAt) });
  const done = cardText(ctx.connector.lastCard(conversationId)?.card);
  if (done.includes('Your phone is registered')) return 'registered';
  const busy = ctx.connector
    .texts(conversationId)
    .map((text) => THROTTLED.exec(text))
    .find((match) => match !== null);
  if (busy) return { retryAfterSeconds: Number(busy[1]) };
  throw new FlowError(`neither registered nor told when to retry: ${[...ctx.connector.texts(conversationId), done].join(' | ').slice(0, 240)}`);
}

async function readCode(botUrl: string, last4: string, since: number): Promise<string> {
  const response = await fetch(`${botUrl}/demo/messages?to=${last4}`);
  const { messages } = (await response.json()) as { messages: Array<{ kind: string; to: string; text: string; at: number }> };
  const sms = messages.filter((m) => m.kind === 'sms' && m.to.endsWith(last4) && m.at >= since - 1000);
  const match = sms[sms.length - 1]?.text.match(/(\d{3}) (\d{3})/);
  if (!match) throw new FlowError('no code in the demo inbox');
  return match[1]! + match[2]!;
}
