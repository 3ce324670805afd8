import type { Attachment } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { CardViews } from '../cards/card-views';
import type { Locale } from '../i18n/locale';
import { translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import { firstBranchStep, guidedCounter, guidedSequence, guidedStepText, type GuidedBranch, type GuidedReason, type GuidedStepId } from './guided-steps';
import { settleCardReplacements } from './card-flow';
import { CardSteps, type CardStepState } from './card-steps';
import type { SubmitValue } from './submit-value';

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
type GuidedViews = Pick<CardViews, 'guidedStep' | 'summary'>;

export interface GuidedDialogDeps {
  readonly views: GuidedViews;
  /** The Security info page, shown in the card texts (the link buttons come from the views). */
  readonly portalUrl: string;
  readonly newId: () => string;
  readonly logger: Logger;
}

/** The dialog's stored state: where the user is in the guide and which card is live (updated in place as the user pages). */
interface GuidedState extends CardStepState<GuidedStepId> {
  reason: GuidedReason;
  branch?: GuidedBranch;
}

/**
 * Guided mode: the helpdesk guide's steps for the Security info page, one card that pages through
 * them (both branches of step 2), with the exact names of the page's buttons and the portal link.
 * Each page gets a fresh nonce, so an older state of the card cannot be replayed.
 */
export class GuidedDialog extends Dialog<GuidedOptions> {
  private readonly log: Logger;
  private readonly steps: CardSteps<GuidedState>;

  constructor(private readonly deps: GuidedDialogDeps) {
    super(GUIDED_DIALOG);
    this.log = deps.logger.child({ module: 'guided-dialog' });
    const turnPage = (dc: DialogContext, state: GuidedState, submit: SubmitValue): Promise<DialogTurnResult> => this.turnPage(dc, state, submit.action);
    this.steps = new CardSteps<GuidedState>({
      views: deps.views,
      newId: deps.newId,
      log: this.log,
      routes: {
        'intro:guided.first': turnPage,
        'intro:guided.registered': turnPage,
        '*:guided.next': turnPage,
        '*:guided.back': turnPage,
        '*:guided.close': (dc, state) => this.close(dc, state),
      },
    });
  }

  override async beginDialog(dc: DialogContext, options?: GuidedOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('GuidedDialog needs the locale');
    const state: GuidedState = { locale: options.locale, reason: options.reason ?? 'chosen', step: 'intro', nonce: '' };
    dc.activeDialog!.state = state;
    this.log.info({ event: 'guided_started', reason: state.reason }, 'guided mode started');
    await this.steps.open(dc.context, state, 'intro', (nonce) => this.card(state, nonce));
    return Dialog.EndOfTurn;
  }

  /** Only card submits: call and delivery events belong to the verification, nothing here waits for them. */
  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.steps.route(dc, this.steps.stateOf(dc));
  }

  /** Turns the card to the page the button leads to, in place, under a fresh nonce. */
  private async turnPage(dc: DialogContext, state: GuidedState, action: string): Promise<DialogTurnResult> {
    const next = this.target(state, action);
    if (!next) return this.steps.useCard(dc, state);
    state.branch = next.branch;
    state.step = next.step;
    await this.steps.reshow(dc.context, state, (nonce) => this.card(state, nonce));
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
    await this.steps.summarise(dc.context, state, t('guided.summary.title'), [{ title: t('guided.summary.step'), value: shown }], status);
    // Nothing follows the summary in this dialog's turn: it is waited for here, whoever runs the dialog.
    await settleCardReplacements(dc.context);
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
}
