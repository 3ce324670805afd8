import { ActivityHandler, type ConversationState, type InvokeResponse, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, type Dialog, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { CardViews } from '../cards/card-views';
import { DirectoryError, type PhoneDirectory } from '../directory/phone-directory';
import { ADD_PHONE_DIALOG } from '../dialogs/add-phone-dialog';
import { GUIDED_DIALOG } from '../dialogs/guided-dialog';
import type { GuidedReason } from '../dialogs/guided-steps';
import { MANAGE_PHONES_DIALOG } from '../dialogs/manage-phones-dialog';
import { CALL_OUTCOME_EVENT } from '../dialogs/call-outcome-event';
import { DELIVERY_RESULT_EVENT } from '../dialogs/delivery-result-event';
import { isInternalEvent, isNamedLikeInternalEvent, raisedInternally } from '../dialogs/internal-event';
import { settleCardReplacements } from '../dialogs/card-flow';
import { directoryErrorText } from '../dialogs/directory-error-text';
import { readSubmit, type SubmitValue } from '../dialogs/submit-value';
import { resolveLocale } from '../i18n/locale';
import { translator, type Translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import type { PhoneType } from '../phone/phone-types';
import { checkActivity, tenantOf, type ActivityGuardPolicy, type ActivityVerdict } from './activity-guard';
import { recognizeCommand } from './commands';
import type { GroupAccess } from './group-access';
import type { PhoneAvailability } from '../policy/phone-availability';
import { StateConflictError } from '../storage/etag-guarded-storage';
import type { SubmitClaims } from './submit-claims';
import { AnsweredCards } from './answered-cards';
import { TurnClaimer } from './turn-claimer';
import { TurnOutbox } from './turn-outbox';
import { claimTurn, TURN_CLAIM } from '../dialogs/ports/turn-claim';
import { VerifyPhoneDialog } from '../dialogs/verify-phone-dialog';
import type { TurnQueue } from './turn-queue';
import { CARD_STATE_PAUSES_MS, waitForCardState, type CardStateWait } from './card-state-wait';
import { timerScheduler } from '../time/scheduler';
import { resolveUserId } from './resolve-user-id';

/** Conversation types Teams sends; anything else is logged as `(other)`. */

/** The welcome card's buttons: they start a dialog (or show help) whatever the state holds, so nothing to wait for. */
const WELCOME_ACTIONS: ReadonlySet<string> = new Set(['welcome.add', 'welcome.manage', 'welcome.guided', 'welcome.help']);

/** The forms a refused activity's channel, tenant and conversation type take when Teams sends them. */
const CHANNEL_ID = /^[a-z]{1,32}$/u;
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const CONVERSATION_TYPE = /^(personal|groupChat|channel)$/u;

/**
 * A field of a refused activity as the log may hold it: as sent when it has the form Teams gives it,
 * else only "(other)". A refused activity may come from anyone, and its fields may hold anything (a
 * phone number, a token).
 */
function loggable(value: unknown, form: RegExp): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' && form.test(value) ? value : '(other)';
}

export interface PhoneMfaBotDeps {
  readonly conversationState: ConversationState;
  /** Every dialog the conversation can run (add phone and the dialogs it calls). */
  readonly dialogs: readonly Dialog[];
  readonly directory: PhoneDirectory;
  readonly views: CardViews;
  readonly turnQueue: TurnQueue;
  /** Which answers a turn acted on outside the conversation (shared by every instance). */
  readonly submitClaims: Pick<SubmitClaims, 'claim'>;
  readonly logger: Logger;
  readonly demoMode: boolean;
  readonly allowedTypes: readonly PhoneType[];
  readonly newId: () => string;
  readonly guardPolicy: ActivityGuardPolicy;
  /** The phone MFA retirement notice on the welcome card. */
  readonly availability: Pick<PhoneAvailability, 'noticeText'>;
  /** Deep link to a 1:1 chat with the bot (shown in group chats); empty when the bot id is unknown. */
  readonly chatLink: string;
  /** How long an answer to a card waits for the state that makes the card valid (default: about 4 s on timers). */
  readonly cardStateWait?: CardStateWait;
  /** Limits the bot to one Entra group's members (ALLOWED_GROUP_ID); absent = everyone in the tenant. */
  readonly access?: {
    readonly gate: Pick<GroupAccess, 'check'>;
    /** Named in the refusal; may be empty. */
    readonly helpdeskContact: string;
    readonly portalUrl: string;
  };
}

/**
 * The Teams activity handler: welcome on install and on any message, typed commands, card submits
 * (each handled once), and call outcomes arriving as events. One turn per conversation at a time.
 */
export class PhoneMfaBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;
  private readonly answered: AnsweredCards;
  private readonly log: Logger;

  constructor(private readonly deps: PhoneMfaBotDeps) {
    super();
    this.log = deps.logger.child({ module: 'bot' });
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState);
    this.answered = new AnsweredCards(deps.conversationState);
    for (const dialog of deps.dialogs) this.dialogs.add(dialog);

    this.onMembersAdded(async (context, next) => {
      const added = context.activity.membersAdded ?? [];
      if (added.some((member) => typeof member?.id === 'string' && member.id !== context.activity.recipient.id) && (await this.admitted(context))) {
        await this.sendWelcome(context);
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.guarded(context, async () => {
        if (await this.admitted(context)) await this.handleMessage(context);
      });
      await next();
    });
    this.onEvent(async (context, next) => {
      // Results of work that finished after its turn: the waiting dialog picks them up.
      if (isInternalEvent(context, CALL_OUTCOME_EVENT) || isInternalEvent(context, DELIVERY_RESULT_EVENT)) {
        await this.guarded(context, async () => {
          const dc = await this.dialogs.createContext(context);
          await dc.continueDialog();
        });
      }
      await next();
    });
  }

  /**
   * The bot answers no invokes; botbuilder's own handling throws on malformed Adaptive Card invokes.
   * The endpoint answers this 501 to the sender as 400.
   */
  protected override async onInvokeActivity(_context: TurnContext): Promise<InvokeResponse> {
    return { status: 501 };
  }

  /**
   * Serializes turns per conversation and saves state after each one. Replies wait for the save
   * (see TurnOutbox), unless the turn claimed to act outside the conversation: then they went out
   * from the claim on, and the save follows them.
   */
  override async run(context: TurnContext): Promise<void> {
    const verdict = checkActivity(context.activity, this.deps.guardPolicy);
    if (verdict !== 'ok') return this.refuse(context, verdict);
    if (isNamedLikeInternalEvent(context) && !raisedInternally(context)) {
      // Named like the service's own call outcome or delivery result but sent from outside: acting on it
      // would let a caller fake a verified call. Dropped before any state is read.
      this.log.warn({ name: context.activity.name }, 'event named like an internal one arrived from outside; dropped');
      return;
    }
    const key = context.activity.conversation?.id ?? '';
    await this.deps.turnQueue.run(key, async () => {
      const outbox = new TurnOutbox(context, this.log);
      const claim = new TurnClaimer(context.activity, this.deps.submitClaims, outbox);
      context.turnState.set(TURN_CLAIM, claim);
      try {
        try {
          await super.run(context);
        } finally {
          await settleCardReplacements(context);
        }
        if (claim.duplicate) {
          // Another turn acted on this answer: what this one prepared is dropped, and nothing is saved.
          outbox.discard();
          await context.sendActivity(translator(resolveLocale(context.activity.locale))('common.alreadyHandled'));
          return;
        }
        if (await this.saveState(context, claim.claimed, outbox)) await outbox.release();
      } finally {
        // After a failure the error handler's own reply must go out.
        outbox.discard();
      }
    });
  }

  /**
   * Saves the turn's state unless another turn of this conversation (on another instance) saved
   * first: then what that turn wrote stands, and the user is told. A turn whose replies are still
   * held drops them: a second press of a card learns it was already handled, anything else that
   * its answer was not saved. Returns whether the state was saved.
   */
  private async saveState(context: TurnContext, repliesSent: boolean, outbox: Pick<TurnOutbox, 'discard'>): Promise<boolean> {
    try {
      await this.deps.conversationState.saveChanges(context, false);
      return true;
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      this.log.warn(
        { conversationId: context.activity.conversation?.id, activityType: context.activity.type },
        'conversation state changed by another turn; this turn was not saved',
      );
      outbox.discard();
      if (context.activity.type !== 'message') return false;
      // Not even this line may fail the turn: a failed turn resets the conversation, which would throw
      // away what the other turn saved.
      const text = !repliesSent && (await this.answeredElsewhere(context)) ? 'common.alreadyHandled' : 'common.movedOn';
      await context.sendActivity(translator(resolveLocale(context.activity.locale))(text)).catch((sendError: unknown) => {
        this.log.warn({ err: sendError }, 'could not tell the user a step was not saved');
      });
      return false;
    }
  }

  /** After a lost save: whether the turn that won it answered this same card (a second press). */
  private async answeredElsewhere(context: TurnContext): Promise<boolean> {
    const reading = readSubmit(context.activity.value);
    if (reading.kind !== 'submit') return false;
    try {
      await this.deps.conversationState.load(context, true);
      return await this.answered.wasAnswered(context, reading.submit.nonce);
    } catch (error) {
      this.log.warn({ err: error }, 'could not read the conversation state again after a lost save');
      return false;
    }
  }

  /**
   * The dialog context once the conversation's state holds the submitted card: when the card is not
   * among the dialogs' active cards, the state is read again after short pauses, since the turn that
   * sent the card may still be saving it on another instance (see waitForCardState).
   */
  private async contextHoldingCard(context: TurnContext, dc: DialogContext, nonce: string): Promise<DialogContext> {
    let current = dc;
    await waitForCardState(
      dc.stack,
      nonce,
      async () => {
        await this.deps.conversationState.load(context, true);
        current = await this.dialogs.createContext(context);
        return current.stack;
      },
      this.deps.cardStateWait ?? { pausesMs: CARD_STATE_PAUSES_MS, scheduler: timerScheduler },
    );
    return current;
  }

  /** Throws away the conversation's dialog state after a failed turn, so the next message starts clean. */
  async resetConversation(context: TurnContext): Promise<void> {
    await this.deps.conversationState.delete(context);
  }

  /** Refuses politely without touching the directory or any state. */
  private async refuse(context: TurnContext, verdict: Exclude<ActivityVerdict, 'ok'>): Promise<void> {
    this.log.warn(
      {
        verdict,
        channelId: loggable(context.activity.channelId, CHANNEL_ID),
        tenantId: loggable(tenantOf(context.activity), TENANT_ID),
        conversationType: loggable(context.activity.conversation?.conversationType, CONVERSATION_TYPE),
      },
      'activity refused',
    );
    if (verdict === 'wrong_channel') return;
    const isMessage = context.activity.type === 'message';
    const botAdded =
      context.activity.type === 'conversationUpdate' && (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
    if (!isMessage && !botAdded) return;
    const t = translator(resolveLocale(context.activity.locale));
    if (verdict === 'wrong_tenant') {
      await context.sendActivity(t('guard.wrongTenant'));
      return;
    }
    await context.sendActivity(this.deps.chatLink ? t('guard.personalOnly', { link: this.deps.chatLink }) : t('guard.personalOnlyNoLink'));
  }

  /**
   * With ALLOWED_GROUP_ID set, only the group's members get past this: Conditional Access guards the
   * portal's registration, not this bot's application permission, so the bot scopes itself. Others are
   * told whom to contact; when membership cannot be checked, everyone is refused (fail closed).
   */
  private async admitted(context: TurnContext): Promise<boolean> {
    const access = this.deps.access;
    if (!access) return true;
    const userId = resolveUserId(context.activity, this.deps.demoMode);
    // No work account: the handlers refuse that themselves, without any directory call.
    if (!userId) return true;
    const verdict = await access.gate.check(userId);
    if (verdict === 'member') return true;
    const t = translator(resolveLocale(context.activity.locale));
    if (verdict === 'unavailable') {
      await context.sendActivity(t('access.unavailable'));
    } else if (access.helpdeskContact) {
      await context.sendActivity(t('access.notMember', { contact: access.helpdeskContact, url: access.portalUrl }));
    } else {
      await context.sendActivity(t('access.notMemberNoContact', { url: access.portalUrl }));
    }
    return false;
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const t = translator(resolveLocale(context.activity.locale));
    const reading = readSubmit(context.activity.value);
    if (reading.kind === 'refused') {
      // A card's submit with inputs none of our inputs can hold: said so, and the card stays usable (its nonce is not claimed).
      await context.sendActivity(t('common.unusableInput'));
      return;
    }
    // A button whose step will claim the answer claims it while the state is read: one round trip less before the act.
    const claimingEarly = reading.kind === 'submit' && VerifyPhoneDialog.ACTING_BUTTONS.has(reading.submit.action);
    const [dc, mayAct] = await Promise.all([this.dialogs.createContext(context), claimingEarly ? claimTurn(context) : true]);
    // Another turn acted on this answer: the turn ends, and says so (see run).
    if (!mayAct) return;
    if (reading.kind === 'submit') {
      const { submit } = reading;
      if (await this.answered.wasAnswered(context, submit.nonce)) {
        await context.sendActivity(t('common.alreadyHandled'));
        return;
      }
      return this.handleSubmit(context, dc, submit, t);
    }
    return this.handleText(context, dc, t);
  }

  private async handleSubmit(context: TurnContext, loaded: DialogContext, submit: SubmitValue, t: Translator): Promise<void> {
    const dc = WELCOME_ACTIONS.has(submit.action) ? loaded : await this.contextHoldingCard(context, loaded, submit.nonce);
    // Recorded in the state this turn saves (after any re-read above, which starts from the stored state).
    await this.answered.record(context, submit.nonce);
    {
      if (submit.action === 'welcome.add') return this.startAddPhone(context, dc);
      if (submit.action === 'welcome.manage') return this.startDialog(context, dc, MANAGE_PHONES_DIALOG);
      if (submit.action === 'welcome.guided') return this.startGuided(dc, 'chosen');
      if (submit.action === 'welcome.help') {
        await context.sendActivity({ attachments: [this.deps.views.help(t, this.deps.newId())] });
        return;
      }
      if (dc.activeDialog) {
        await dc.continueDialog();
        return;
      }
      await context.sendActivity(t('common.staleCard'));
      await this.sendWelcome(context);
      return;
    }
  }

  private async handleText(context: TurnContext, dc: DialogContext, t: Translator): Promise<void> {
    switch (recognizeCommand(context.activity.text)) {
      case 'add':
        return this.startAddPhone(context, dc);
      case 'manage':
        return this.startDialog(context, dc, MANAGE_PHONES_DIALOG);
      case 'help':
        await context.sendActivity({ attachments: [this.deps.views.help(t, this.deps.newId())] });
        return;
      case 'cancel':
        if (dc.activeDialog) {
          await dc.cancelAllDialogs();
          await context.sendActivity(t('common.cancelled'));
          return;
        }
        await this.sendWelcome(context);
        return;
      case 'list':
        await this.sendWelcome(context);
        return;
      case undefined:
        if (dc.activeDialog) {
          await dc.continueDialog();
          return;
        }
        await this.sendWelcome(context);
    }
  }

  private startAddPhone(context: TurnContext, dc: DialogContext): Promise<void> {
    return this.startDialog(context, dc, ADD_PHONE_DIALOG);
  }

  /** The guide's steps as cards, for the portal: chosen by the user, or because the bot cannot write. */
  private async startGuided(dc: DialogContext, reason: GuidedReason): Promise<void> {
    await dc.cancelAllDialogs();
    await dc.beginDialog(GUIDED_DIALOG, { locale: resolveLocale(dc.context.activity.locale), reason });
  }

  /** Starts a dialog afresh for the sender of the activity (any dialog in progress is dropped). */
  private async startDialog(context: TurnContext, dc: DialogContext, dialogId: string): Promise<void> {
    const userId = resolveUserId(context.activity, this.deps.demoMode);
    if (!userId) return this.refuseUnknownUser(context);
    await dc.cancelAllDialogs();
    await dc.beginDialog(dialogId, { locale: resolveLocale(context.activity.locale), userId });
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    const locale = resolveLocale(context.activity.locale);
    const t = translator(locale);
    const userId = resolveUserId(context.activity, this.deps.demoMode);
    if (!userId) return this.refuseUnknownUser(context);
    const methods = await this.deps.directory.listPhoneMethods(userId);
    const registered = new Set(methods.map((m) => m.phoneType));
    const canAdd = this.deps.allowedTypes.some((type) => !registered.has(type));
    const notice = this.deps.availability.noticeText(t, locale);
    await context.sendActivity({ attachments: [this.deps.views.welcome(t, methods, canAdd, this.deps.newId(), notice)] });
  }

  private async refuseUnknownUser(context: TurnContext): Promise<void> {
    await context.sendActivity(translator(resolveLocale(context.activity.locale))('common.noWorkAccount'));
  }

  /** Directory failures become the user's text (and end any dialog); everything else goes to onTurnError. */
  private async guarded(context: TurnContext, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      const t: Translator = translator(resolveLocale(context.activity.locale));
      this.log.warn({ errorCode: error.code, status: error.details.status, requestId: error.details.requestId }, 'directory call failed');
      const dc = await this.dialogs.createContext(context);
      await dc.cancelAllDialogs();
      await context.sendActivity(directoryErrorText(t, error, 'mobile'));
      // Without permission to read or write phone methods the bot can still walk the user through the portal.
      if (error.code === 'permission_denied') await this.startGuided(dc, 'no_write_permission');
    }
  }
}
