import type { Attachment, TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { CardViews } from '../cards/card-views';
import type { Locale } from '../i18n/locale';
import { translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import {
  firstBranchStep, guidedCounter, guidedSequence, guidedStepText,
  type GuidedBranch, type GuidedReason, type GuidedStepId,
} from './guided-steps';
import { readActiveSubmit } from './submit-value';

export const GUIDED_DIALOG = 'guided';

/** How the guided mode starts: the user's language (kept for the whole dialog) and why it was chosen. */
export interface GuidedOptions {
  readonly locale: Locale;
  /** Defaults to 'chosen'. */
  readonly reason?: GuidedReason;
}

/** What the dialog returns when it ends. */
export interface GuidedResult {
  /** True when the user pressed "Done" on the last card. */
  readonly finished: boolean;
  readonly lastStep: GuidedStepId;
}

/** The cards the guided mode needs. */
export type GuidedViews = Pick<CardViews, 'guidedStep' | 'summary'>;

export interface GuidedDialogDeps {
  readonly views: GuidedViews;
  /** The Security info page, shown in the card texts (the link buttons come from the views). */
  readonly portalUrl: string;
  readonly newId: () => string;
  readonly logger: Logger;
}

/** The dialog's stored state: where the user is in the guide and which card is live. */
interface GuidedState {
  locale: Locale;
  reason: GuidedReason;
  branch?: GuidedBranch;
  step: GuidedStepId;
  /** Nonce of the live card; a submit of any other card is stale. */
  nonce: string;
  /** Activity id of the live card, updated in place as the user pages through the steps. */
  cardId?: string;
}

/**
 * Guided mode: the helpdesk guide's steps for the Security info page, one card that pages through
 * them (both branches of step 2), with the exact names of the page's buttons and the portal link.
 * Each page gets a fresh nonce, so an older state of the card cannot be replayed.
 */
export class GuidedDialog extends Dialog<GuidedOptions> {
  private readonly log: Logger;

  constructor(private readonly deps: GuidedDialogDeps) {
    super(GUIDED_DIALOG);
    this.log = deps.logger.child({ module: 'guided-dialog' });
  }

  override async beginDialog(dc: DialogContext, options?: GuidedOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('GuidedDialog needs the locale');
    const state: GuidedState = { locale: options.locale, reason: options.reason ?? 'chosen', step: 'intro', nonce: '' };
    dc.activeDialog!.state = state;
    this.log.info({ event: 'guided_started', reason: state.reason }, 'guided mode started');
    await this.sendCard(dc.context, state);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as GuidedState;
    const t = translator(state.locale);
    // Call and delivery events belong to the add-phone dialog; nothing here waits for them.
    if (dc.context.activity.type !== 'message') return Dialog.EndOfTurn;

    const submit = await readActiveSubmit(dc.context, state.nonce, state.locale);
    if (!submit) return Dialog.EndOfTurn;

    if (submit.action === 'guided.close') return this.close(dc, state);
    const next = this.target(state, submit.action);
    if (!next) {
      await dc.context.sendActivity(t('common.useCard'));
      return Dialog.EndOfTurn;
    }
    state.branch = next.branch;
    state.step = next.step;
    await this.updateCard(dc.context, state);
    return Dialog.EndOfTurn;
  }

  /** Where a button leads from the current card, or undefined when the card has no such button. */
  private target(state: GuidedState, action: string): { step: GuidedStepId; branch?: GuidedBranch } | undefined {
    if (state.step === 'intro') {
      if (action === 'guided.first') return { step: firstBranchStep('first'), branch: 'first' };
      if (action === 'guided.registered') return { step: firstBranchStep('registered'), branch: 'registered' };
      return undefined;
    }
    if (!state.branch) return undefined;
    const sequence = guidedSequence(state.branch);
    const index = sequence.indexOf(state.step);
    if (action === 'guided.next' && index >= 0 && index < sequence.length - 1) {
      return { step: sequence[index + 1]!, branch: state.branch };
    }
    if (action === 'guided.back' && index > 0) {
      const step = sequence[index - 1]!;
      // Back on the intro asks the branch question again.
      return { step, branch: step === 'intro' ? undefined : state.branch };
    }
    return undefined;
  }

  private async close(dc: DialogContext, state: GuidedState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const finished = state.step === 'done';
    const shown = `${guidedCounter(t, state.step, state.branch)}: ${guidedStepText(t, state.step, this.deps.portalUrl).title}`;
    const status = t(finished ? 'guided.summary.finished' : 'guided.summary.closed', { url: this.deps.portalUrl });
    const summary = this.deps.views.summary(t('guided.summary.title'), [{ title: t('guided.summary.step'), value: shown }], status);
    await this.replaceActivity(dc.context, dc.context.activity.replyToId ?? state.cardId, summary);
    state.nonce = '';
    this.log.info({ event: 'guided_closed', step: state.step, branch: state.branch, finished }, 'guided mode closed');
    const result: GuidedResult = { finished, lastStep: state.step };
    return dc.endDialog(result);
  }

  private card(state: GuidedState, nonce: string): Attachment {
    const t = translator(state.locale);
    const text = guidedStepText(t, state.step, this.deps.portalUrl);
    return this.deps.views.guidedStep(t, {
      ...text,
      counter: guidedCounter(t, state.step, state.branch),
      reason: state.step === 'intro' ? t(`guided.reason.${state.reason}`) : '',
      canGoBack: state.step !== 'intro',
      last: state.step === 'done',
      nonce,
    });
  }

  /** Sends the card as a new message with a fresh nonce. */
  private async sendCard(context: TurnContext, state: GuidedState): Promise<void> {
    const nonce = this.deps.newId();
    const response = await context.sendActivity({ attachments: [this.card(state, nonce)] });
    state.nonce = nonce;
    state.cardId = response?.id;
  }

  /** Turns the submitted card to the new step in place, under a fresh nonce. */
  private async updateCard(context: TurnContext, state: GuidedState): Promise<void> {
    const id = context.activity.replyToId ?? state.cardId;
    if (!id) return this.sendCard(context, state);
    const nonce = this.deps.newId();
    try {
      await context.updateActivity({ type: 'message', id, attachments: [this.card(state, nonce)] });
      state.nonce = nonce;
      state.cardId = id;
    } catch (error) {
      // Some clients cannot update cards; the step as a new card still lets the user go on.
      this.log.debug({ err: error }, 'guided card update failed; sending a new card');
      await this.sendCard(context, state);
    }
  }

  private async replaceActivity(context: TurnContext, id: string | undefined, card: Attachment): Promise<void> {
    if (!id) return;
    try {
      await context.updateActivity({ type: 'message', id, attachments: [card] });
    } catch (error) {
      // The summary is a courtesy; the dialog has ended, so the old card's nonce is dead anyway.
      this.log.debug({ err: error }, 'could not replace the guided card');
    }
  }
}
