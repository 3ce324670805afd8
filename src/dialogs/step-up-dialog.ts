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
import { CardFlow, type ActiveCard } from './card-flow';
import type { StepUpRecords } from './step-up-records';
import { readActiveSubmit } from './submit-value';
import { VERIFY_PHONE_DIALOG, verifyOptionsFor, type VerifyPhoneResult } from './verify-phone-dialog';

export const STEP_UP_DIALOG = 'stepUp';

export interface StepUpOptions {
  readonly locale: Locale;
  readonly userId: string;
}

export type StepUpResult = { readonly verified: boolean };

interface StepUpState extends ActiveCard {
  locale: Locale;
  userId: string;
  step: 'choose' | 'verify';
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
  private readonly cards: CardFlow;

  constructor(private readonly deps: StepUpDialogDeps) {
    super(STEP_UP_DIALOG);
    this.log = deps.logger.child({ module: 'step-up-dialog' });
    this.cards = new CardFlow(deps.newId, this.log);
  }

  override async beginDialog(dc: DialogContext, options?: StepUpOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('StepUpDialog needs the locale and the user id');
    const state: StepUpState = { locale: options.locale, userId: options.userId, step: 'choose', nonce: '' };
    dc.activeDialog!.state = state;
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    await this.cards.send(dc.context, state, (nonce) => this.chooseCard(state, methods, '', nonce));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as StepUpState;
    const t = translator(state.locale);
    if (dc.context.activity.type !== 'message') return Dialog.EndOfTurn;
    const submit = await readActiveSubmit(dc.context, state.nonce, state.locale);
    if (!submit) return Dialog.EndOfTurn;
    if (submit.action === 'cancel') {
      await this.cards.cancelled(dc.context, state, this.deps.views.summary(t('summary.cancelled'), []), t('common.cancelled'));
      // Cancel stops the whole flow, whichever dialog of it holds the card.
      return dc.cancelAllDialogs();
    }
    if (submit.action !== 'stepUp.next') {
      await dc.context.sendActivity(t('common.useCard'));
      return Dialog.EndOfTurn;
    }

    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    // Only a method of this user, chosen from the card: an id that is not theirs is simply not found.
    const chosen = methods.find((m) => m.id === submit.methodId);
    if (!chosen) {
      await this.cards.update(dc.context, state, (nonce) => this.chooseCard(state, methods, t('stepUp.required'), nonce));
      return Dialog.EndOfTurn;
    }
    // A registered office phone may carry an extension: it is checked by calling the main number, as Entra's own calls do.
    const parsed = parsePhone({ number: chosen.phoneNumber, region: this.deps.defaultRegion, phoneType: chosen.phoneType, allowedCountries: this.deps.allowedCountries, acceptExtension: true });
    if (!parsed.ok) {
      this.log.info({ event: 'step_up_unverifiable', reason: parsed.error, to: maskPhone(chosen.phoneNumber) }, 'registered phone cannot be checked');
      await this.cards.update(dc.context, state, (nonce) => this.chooseCard(state, methods, t('stepUp.unverifiable'), nonce));
      return Dialog.EndOfTurn;
    }
    await this.cards.replaceAnswered(dc.context, state, this.deps.views.summary(t('stepUp.title'), [{ title: t(`type.${chosen.phoneType}`), value: maskPhone(chosen.phoneNumber) }]));
    state.step = 'verify';
    return dc.beginDialog(VERIFY_PHONE_DIALOG, verifyOptionsFor(state, chosen.phoneType, parsed.phone));
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: VerifyPhoneResult): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as StepUpState;
    if (result?.outcome === 'verified') {
      await this.deps.stepUps.record(dc.context, state.userId);
      this.log.info({ audit: true, action: 'step_up', userId: state.userId, tenantId: auditTenantOf(dc.context.activity), result: 'success' }, 'step-up verified');
      return dc.endDialog({ verified: true } satisfies StepUpResult);
    }
    if (result?.outcome === 'changeNumber') {
      state.step = 'choose';
      const methods = await this.deps.directory.listPhoneMethods(state.userId);
      await this.cards.send(dc.context, state, (nonce) => this.chooseCard(state, methods, '', nonce));
      return Dialog.EndOfTurn;
    }
    return dc.endDialog({ verified: false } satisfies StepUpResult);
  }

  private chooseCard(state: StepUpState, methods: readonly PhoneMethod[], error: string, nonce: string): Attachment {
    const t = translator(state.locale);
    return this.deps.views.stepUp(t, { methods, error, nonce });
  }
}
