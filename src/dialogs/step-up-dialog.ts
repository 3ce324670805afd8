import { auditTenantOf } from './audit-tenant';
import type { Attachment } from 'botbuilder';
import { Dialog, type DialogContext, type DialogReason, type DialogTurnResult } from 'botbuilder-dialogs';
import type { CardViews } from '../cards/card-views';
import type { PhoneDirectory, PhoneMethod } from '../directory/phone-directory';
import { translator } from '../i18n/messages';
import type { Locale } from '../i18n/locale';
import type { Logger } from '../logging/logger';
import { maskPhone } from '../phone/mask-phone';
import { parsePhone } from '../phone/parse-phone';
import { CardSteps, type CardStepState } from './card-steps';
import type { StepUpRecords } from './step-up-records';
import type { SubmitValue } from './submit-value';
import { VERIFY_PHONE_DIALOG } from './verify-phone-dialog';
import { verifyOptionsFor, type VerifyPhoneResult } from './verify-phone-state';

export const STEP_UP_DIALOG = 'stepUp';

export interface StepUpOptions {
  readonly locale: Locale;
  readonly userId: string;
}

/** How the step-up ended: the user proved a registered phone, or verification was refused (account blocked). */
export type StepUpResult = { readonly kind: 'stepped_up' } | { readonly kind: 'blocked' };

interface StepUpState extends CardStepState<'choose' | 'verify'> {
  userId: string;
}

export interface StepUpDialogDeps {
  readonly directory: PhoneDirectory;
  readonly views: CardViews;
  readonly stepUps: StepUpRecords;
  readonly defaultRegion: string;
  readonly allowedCountries: readonly string[];
  readonly logger: Logger;
  readonly newId: () => string;
}

/**
 * "First, confirm it's you": before a user who already has a phone adds, changes or removes one, they
 * prove possession of one of the registered phones (a code or a call, with the same rules and limits).
 */
export class StepUpDialog extends Dialog<StepUpOptions> {
  private readonly log: Logger;
  private readonly steps: CardSteps<StepUpState>;

  constructor(private readonly deps: StepUpDialogDeps) {
    super(STEP_UP_DIALOG);
    this.log = deps.logger.child({ module: 'step-up-dialog' });
    this.steps = new CardSteps<StepUpState>({
      views: deps.views,
      newId: deps.newId,
      log: this.log,
      routes: {
        'choose:stepUp.next': (dc, state, submit) => this.onChosen(dc, state, submit),
        '*:cancel': (dc, state) => this.steps.cancel(dc, state),
      },
    });
  }

  override async beginDialog(dc: DialogContext, options?: StepUpOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('StepUpDialog needs the locale and the user id');
    const state: StepUpState = { locale: options.locale, userId: options.userId, step: 'choose', nonce: '' };
    dc.activeDialog!.state = state;
    return this.showChoice(dc, state);
  }

  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.steps.route(dc, this.steps.stateOf(dc));
  }

  private async showChoice(dc: DialogContext, state: StepUpState): Promise<DialogTurnResult> {
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    await this.steps.open(dc.context, state, 'choose', (nonce) => this.chooseCard(state, methods, '', nonce));
    return Dialog.EndOfTurn;
  }

  private async onChosen(dc: DialogContext, state: StepUpState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    // Only a method of this user, chosen from the card: an id that is not theirs is simply not found.
    const chosen = methods.find((m) => m.id === submit.methodId);
    if (!chosen) {
      await this.steps.reshow(dc.context, state, (nonce) => this.chooseCard(state, methods, t('stepUp.required'), nonce));
      return Dialog.EndOfTurn;
    }
    // A registered office phone may carry an extension: it is checked by calling the main number, as Entra's own calls do.
    const parsed = parsePhone({
      number: chosen.phoneNumber,
      region: this.deps.defaultRegion,
      phoneType: chosen.phoneType,
      allowedCountries: this.deps.allowedCountries,
      acceptExtension: true,
    });
    if (!parsed.ok) {
      this.log.info({ event: 'step_up_unverifiable', reason: parsed.error, to: maskPhone(chosen.phoneNumber) }, 'registered phone cannot be checked');
      await this.steps.reshow(dc.context, state, (nonce) => this.chooseCard(state, methods, t('stepUp.unverifiable'), nonce));
      return Dialog.EndOfTurn;
    }
    await this.steps.summarise(dc.context, state, t('stepUp.title'), [{ title: t(`type.${chosen.phoneType}`), value: maskPhone(chosen.phoneNumber) }]);
    state.step = 'verify';
    return dc.beginDialog(VERIFY_PHONE_DIALOG, verifyOptionsFor(state, chosen.phoneType, parsed.phone));
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: VerifyPhoneResult): Promise<DialogTurnResult> {
    const state = this.steps.stateOf(dc);
    switch (result?.kind) {
      case 'verified':
        await this.deps.stepUps.record(dc.context, state.userId);
        this.log.info(
          { audit: true, action: 'step_up', userId: state.userId, tenantId: auditTenantOf(dc.context.activity), result: 'success' },
          'step-up verified',
        );
        return dc.endDialog({ kind: 'stepped_up' } satisfies StepUpResult);
      case 'change_number':
        return this.showChoice(dc, state);
      default:
        return dc.endDialog({ kind: 'blocked' } satisfies StepUpResult);
    }
  }

  private chooseCard(state: StepUpState, methods: readonly PhoneMethod[], error: string, nonce: string): Attachment {
    const t = translator(state.locale);
    return this.deps.views.stepUp(t, { methods, error, nonce });
  }
}
