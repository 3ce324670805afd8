import { Writable } from 'node:stream';
import { TestAdapter, type Activity, type ResourceResponse, type TurnContext } from 'botbuilder';
import { MemoryStateStorage } from '../../src/storage/memory-state-storage';
import type { StateStorage } from '../../src/storage/state-storage';
import { createBot } from '../../src/app/create-bot';
import { loadConfig } from '../../src/config/load-config';
import { DemoPhoneDirectory, type DemoDirectorySeed } from '../../src/directory/demo-phone-directory';
import type { AuthMethodSummary, PhoneDirectory } from '../../src/directory/phone-directory';
import { CALL_OUTCOME_EVENT } from '../../src/dialogs/call-outcome-event';
import { DELIVERY_RESULT_EVENT } from '../../src/dialogs/delivery-result-event';
import { markRaisedInternally } from '../../src/dialogs/internal-event';
import type { BackgroundDeliveries } from '../../src/dialogs/ports/background-deliveries';
import { createLogger } from '../../src/logging/logger';
import type { PhonePolicyReader } from '../../src/policy/phone-policy';
import { StaticPolicyReader } from '../../src/policy/static-policy-reader';
import type { CallOutcome, DeliveryResult } from '../../src/verification/phone-delivery';
import { FakeDelivery } from '../fakes/fake-delivery';
import { ManualClock } from '../fakes/manual-clock';
import type { CardStateWait } from '../../src/bot/card-state-wait';
import type { Scheduler } from '../../src/time/scheduler';

/** Pauses that end at once (on the next macrotask): a stale card is refused without waiting in real time. */
const IMMEDIATE: Scheduler = {
  schedule(callback) {
    const timer = setImmediate(callback);
    return () => clearImmediate(timer);
  },
};
import { actionOf, cardOf, type CardJson } from './card-helpers';

/** A TestAdapter that keeps every reply and every card update of the conversation. */
class RecordingAdapter extends TestAdapter {
  readonly sent: Partial<Activity>[] = [];
  readonly updates: Partial<Activity>[] = [];
  /** Sends of a text containing this fail, as a connector that is down would. */
  failTextsContaining?: string;

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const failing = this.failTextsContaining;
    if (failing && activities.some((a) => a.text?.includes(failing))) throw new Error('connector unavailable');
    const responses = await super.sendActivities(context, activities);
    this.sent.push(...activities.filter((a) => a.type !== 'typing'));
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    this.updates.push(activity);
    return super.updateActivity(context, activity);
  }
}

export const USER_ID = '00000000-0000-4000-8000-00000000a11c';
export const TENANT_ID = '11111111-1111-4111-8111-111111111111';

export interface HarnessOptions {
  readonly locale?: string;
  readonly seed?: DemoDirectorySeed;
  /** Authentication methods other than phones, per user (e.g. the Authenticator app). */
  readonly otherMethods?: Readonly<Record<string, readonly AuthMethodSummary[]>>;
  readonly env?: Record<string, string>;
  readonly directory?: PhoneDirectory;
  /** The tenant's authentication methods policy (default: everything allowed). */
  readonly policy?: PhonePolicyReader;
  /** The provider answers within the turn's short wait (default: later, as an event after the turn). */
  readonly providerAnswersInTurn?: boolean;
  /** Puts something between the bot and its storage (e.g. another instance writing at the same time). */
  readonly wrapStorage?: (inner: StateStorage) => StateStorage;
  /** How an answer to a card waits for the state that makes it valid (default: pauses that end at once). */
  readonly cardStateWait?: CardStateWait;
}

/** Drives the real bot through TestAdapter, as a person in a 1:1 Teams chat would. */
export class DialogHarness {
  readonly clock = new ManualClock();
  readonly delivery = new FakeDelivery();
  readonly storage = new MemoryStateStorage();
  readonly logLines: string[] = [];
  readonly directory: PhoneDirectory;
  private readonly adapter = new RecordingAdapter();
  /** Sends whose provider answers after the turn: run once it has ended, their result sent as an event. */
  private readonly pendingSends: Array<{ id: string; work: () => Promise<DeliveryResult> }> = [];
  private readonly background: BackgroundDeliveries;
  private readonly bot;
  private counter = 0;
  private readonly locale: string;

  constructor(options: HarnessOptions = {}) {
    // The harness clock starts on 27 Nov 2026, before the phone MFA retirement date.
    this.locale = options.locale ?? 'en-US';
    this.background = {
      run: async (_context, task) => {
        if (options.providerAnswersInTurn) return task.work();
        this.pendingSends.push(task);
        return undefined;
      },
    };
    this.directory = options.directory ?? new DemoPhoneDirectory(options.seed ?? {}, options.otherMethods ?? {});
    const config = loadConfig({ DEFAULT_REGION: 'JP', VERIFICATION_SECRET: 'x'.repeat(40), ...options.env });
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        this.logLines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', pretty: false, destination: sink });
    this.bot = createBot({
      config,
      directory: this.directory,
      delivery: this.delivery,
      storage: options.wrapStorage ? options.wrapStorage(this.storage) : this.storage,
      clock: this.clock,
      newId: () => `id-${++this.counter}`,
      logger,
      background: this.background,
      policyReader: options.policy ?? new StaticPolicyReader(),
      cardStateWait: options.cardStateWait ?? { pausesMs: [0, 0, 0], scheduler: IMMEDIATE },
    }).bot;
    this.adapter.onTurnError = async (_context, error) => {
      throw error;
    };
  }

  private base(): Partial<Activity> {
    return {
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.test/',
      locale: this.locale,
      from: { id: '29:user', name: 'Test User', aadObjectId: USER_ID },
      recipient: { id: '28:bot', name: 'Bot' },
      conversation: { id: 'a:conv-1', conversationType: 'personal', tenantId: TENANT_ID, isGroup: false, name: '' },
    };
  }

  /** Runs one turn and returns what the bot sent during it (not counting updates). */
  async turn(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const before = this.adapter.sent.length;
    await this.adapter.processActivity({ ...this.base(), id: `in-${++this.counter}`, ...activity }, (context) => this.bot.run(context));
    await this.runPendingSends();
    return this.adapter.sent.slice(before);
  }

  /** A turn the service raises itself (as the call router and background deliveries do), marked as such. */
  private async internalTurn(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    const before = this.adapter.sent.length;
    await this.adapter.processActivity({ ...this.base(), id: `in-${++this.counter}`, ...activity }, (context) => {
      markRaisedInternally(context);
      return this.bot.run(context);
    });
    await this.runPendingSends();
    return this.adapter.sent.slice(before);
  }

  /** Sends whose provider answered after the turn: their results come in as internal events. */
  private async runPendingSends(): Promise<void> {
    while (this.pendingSends.length > 0) {
      const task = this.pendingSends.shift()!;
      const result = await task.work();
      await this.internalTurn({ type: 'event', name: DELIVERY_RESULT_EVENT, value: { id: task.id, result } });
    }
  }

  say(text: string): Promise<Partial<Activity>[]> {
    return this.turn({ type: 'message', text });
  }

  /** Presses a submit button of a card the bot sent, with the inputs a person filled in. */
  async press(card: { id?: string; card: CardJson }, action: string, inputs: Record<string, string> = {}): Promise<Partial<Activity>[]> {
    const button = actionOf(card.card, action);
    if (!button) throw new Error(`no ${action} button on the card`);
    return this.turn({ type: 'message', replyToId: card.id, value: { ...button.data, ...inputs } });
  }

  /** A call's outcome, arriving as the router would bring it in. */
  callOutcome(callId: string, outcome: CallOutcome): Promise<Partial<Activity>[]> {
    return this.internalTurn({ type: 'event', name: CALL_OUTCOME_EVENT, value: { callId, outcome } });
  }

  /** Proves possession of the first registered phone by SMS (the step-up card must be showing). */
  async stepUpBySms(): Promise<void> {
    const card = this.lastCard();
    const choice = (card.card.body ?? []).find((e) => e.id === 'methodId')?.choices?.[0];
    if (!choice) throw new Error('the step-up card is not showing');
    await this.press(card, 'stepUp.next', { methodId: choice.value });
    await this.press(this.lastCard(), 'method.sms');
    await this.press(this.lastCard(), 'code.verify', { code: this.delivery.lastSmsCode() });
  }

  /** The last card the bot sent, as it is now (after any in-place update). */
  lastCard(): { id?: string; card: CardJson } {
    for (let i = this.adapter.sent.length - 1; i >= 0; i -= 1) {
      const activity = this.adapter.sent[i]!;
      const current = [...this.adapter.updates].reverse().find((u) => u.id === activity.id) ?? activity;
      const card = cardOf(current);
      if (card && cardOf(activity)) return { id: activity.id, card };
    }
    throw new Error('the bot sent no card');
  }

  /** The last card, or undefined when the bot has sent none (for asserting that no card came). */
  lastCardOrNone(): CardJson | undefined {
    try {
      return this.lastCard().card;
    } catch {
      return undefined;
    }
  }

  /** Every card the bot sent, as it was sent (before any in-place update). */
  sentCards(): Array<{ id?: string; card: CardJson }> {
    return this.adapter.sent.flatMap((activity) => {
      const card = cardOf(activity);
      return card ? [{ id: activity.id, card }] : [];
    });
  }

  /** The card with this activity id as it is now. */
  cardById(id: string | undefined): CardJson | undefined {
    const updated = [...this.adapter.updates].reverse().find((u) => u.id === id);
    return cardOf(updated ?? this.adapter.sent.find((a) => a.id === id));
  }

  /** From now on, the bot's sends of a text containing `text` fail. */
  failSendsOf(text: string): void {
    this.adapter.failTextsContaining = text;
  }

  get updates(): readonly Partial<Activity>[] {
    return this.adapter.updates;
  }

  get log(): string {
    return this.logLines.join('');
  }
}
