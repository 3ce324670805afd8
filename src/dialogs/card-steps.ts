import type { Attachment, TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Fact } from '../cards/card-data';
import type { CardViews } from '../cards/card-views';
import type { Locale } from '../i18n/locale';
import { translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import { CardFlow, type ActiveCard } from './card-flow';
import { readActiveSubmit, type SubmitValue } from './submit-value';

/** What every card dialog stores: the language it started in, the step it is at, and its active card. */
export interface CardStepState<Step extends string = string> extends ActiveCard {
  /** Fixed when the dialog starts, from the activity's locale. */
  locale: Locale;
  step: Step;
}

/** Answers one button of one step's card. */
export type StepHandler<S> = (dc: DialogContext, state: S, submit: SubmitValue) => Promise<DialogTurnResult>;

/** `step:action` for one step's button, or `*:action` for a button every card of the dialog has. */
type StepRouteKey<S extends CardStepState> = `${S['step']}:${string}` | `*:${string}`;

/** The buttons a dialog answers. A button missing here gets the "use the card" hint. */
type StepRoutes<S extends CardStepState> = Partial<Record<StepRouteKey<S>, StepHandler<S>>>;

export interface CardStepsDeps<S extends CardStepState> {
  readonly views: Pick<CardViews, 'summary'>;
  readonly newId: () => string;
  readonly log: Logger;
  readonly routes: StepRoutes<S>;
}

/**
 * How a dialog writes its card steps: open a step's card under a fresh nonce, accept only a submit
 * of the active card, route `step:action` through the dialog's table, replace an answered card by
 * its read-only summary, and cancel. The dialog keeps what is its own: the cards and the handlers.
 */
export class CardSteps<S extends CardStepState> {
  private readonly cards: CardFlow;
  /** The route table, looked up by the key a submit makes (any string: a submit may name any step and button). */
  private readonly routes: Readonly<Record<string, StepHandler<S> | undefined>>;

  constructor(private readonly deps: CardStepsDeps<S>) {
    this.cards = new CardFlow(deps.newId, deps.log);
    this.routes = deps.routes;
  }

  /** The dialog's stored state, as the dialog wrote it when it began. */
  stateOf(dc: DialogContext): S {
    return dc.activeDialog!.state as S;
  }

  /**
   * A turn of the dialog: anything but a message is not for it; a message must be a submit of the
   * active card (else the user is told why not); the submit goes to the route of its step and button.
   */
  async route(dc: DialogContext, state: S): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== 'message') return Dialog.EndOfTurn;
    const submit = await readActiveSubmit(dc.context, state.nonce, state.locale);
    if (!submit) return Dialog.EndOfTurn;
    const handler = this.routes[`${state.step}:${submit.action}`] ?? this.routes[`*:${submit.action}`];
    return handler ? handler(dc, state, submit) : this.useCard(dc, state);
  }

  /** Moves to `step` and sends its card under a fresh nonce. */
  async open(context: TurnContext, state: S, step: S['step'], build: (nonce: string) => Attachment): Promise<void> {
    state.step = step;
    await this.cards.send(context, state, build);
  }

  /** Shows the active card again in place (with an error, or the next page) under a fresh nonce. */
  reshow(context: TurnContext, state: S, build: (nonce: string) => Attachment): Promise<void> {
    return this.cards.update(context, state, build);
  }

  /** Replaces the card the user just answered with its read-only summary. */
  summarise(context: TurnContext, state: S, title: string, facts: readonly Fact[] = [], status?: string): Promise<void> {
    return this.cards.replaceAnswered(context, state, this.deps.views.summary(title, facts, status));
  }

  /** Replaces the active card with its summary when the step moves on without a submit (a call ended, a send failed). */
  summariseActive(context: TurnContext, state: S, title: string, facts: readonly Fact[] = [], status?: string): Promise<void> {
    return this.cards.replaceActive(context, state, this.deps.views.summary(title, facts, status));
  }

  /** Cancel on any card: the card says so, the user is told, and the whole flow stops, whichever dialog of it holds the card. */
  async cancel(dc: DialogContext, state: S): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    await this.cards.cancelled(dc.context, state, this.deps.views.summary(t('summary.cancelled'), []), t('common.cancelled'));
    return dc.cancelAllDialogs();
  }

  /** A button this step does not offer (now): the user is pointed to the card. */
  async useCard(dc: DialogContext, state: S): Promise<DialogTurnResult> {
    await dc.context.sendActivity(translator(state.locale)('common.useCard'));
    return Dialog.EndOfTurn;
  }
}
