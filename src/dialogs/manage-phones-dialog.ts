import { auditTenantOf } from './audit-tenant';
import type { Attachment } from 'botbuilder';
import { Dialog, type DialogContext, type DialogReason, type DialogTurnResult } from 'botbuilder-dialogs';
import type { CardViews } from '../cards/card-views';
import { DirectoryError, type PhoneDirectory, type PhoneMethod } from '../directory/phone-directory';
import type { Locale } from '../i18n/locale';
import { translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import { maskPhone } from '../phone/mask-phone';
import type { ParsedPhone, PhoneType } from '../phone/phone-types';
import { CardSteps, type CardStepState } from './card-steps';
import { directoryErrorText } from './directory-error-text';
import { typingWhileSlow } from './typing-while-slow';
import { startPhoneEntry, type NumberEntry, type CountryPolicy, type NumberEntryState } from './number-entry';
import { STEP_UP_DIALOG, type StepUpResult } from './step-up-dialog';
import type { StepUpRecords } from './step-up-records';
import type { SubmitValue } from './submit-value';
import { VERIFY_PHONE_DIALOG } from './verify-phone-dialog';
import { verifyOptionsFor, type VerifyPhoneResult } from './verify-phone-state';
import { claimTurn } from './ports/turn-claim';

export const MANAGE_PHONES_DIALOG = 'managePhones';

export interface ManagePhonesOptions {
  readonly locale: Locale;
  readonly userId: string;
}

type ManageStep = 'gate' | 'choose' | 'number' | 'verify' | 'confirmRemove';

interface ManageState extends NumberEntryState, CardStepState<ManageStep> {
  userId: string;
  /** The registered method being changed or removed (its id comes from the directory, never from card data alone). */
  methodId?: string;
  phone?: ParsedPhone;
}

export interface ManagePhonesDialogDeps {
  readonly directory: PhoneDirectory;
  readonly views: CardViews;
  readonly numbers: NumberEntry;
  readonly policy: CountryPolicy & { readonly allowedTypes: readonly PhoneType[] };
  readonly stepUps: StepUpRecords;
  readonly logger: Logger;
  readonly newId: () => string;
}

/**
 * Change a registered number (PATCH, after proving the new number) or remove a phone (DELETE, after
 * a confirmation card). Both need a step-up first. Graph's rules (a Phone cannot go while an
 * Alternate phone exists; the default method cannot go) are explained, not crashed on.
 */
export class ManagePhonesDialog extends Dialog<ManagePhonesOptions> {
  private readonly log: Logger;
  private readonly steps: CardSteps<ManageState>;

  constructor(private readonly deps: ManagePhonesDialogDeps) {
    super(MANAGE_PHONES_DIALOG);
    this.log = deps.logger.child({ module: 'manage-phones-dialog' });
    this.steps = new CardSteps<ManageState>({
      views: deps.views,
      newId: deps.newId,
      log: this.log,
      routes: {
        'choose:manage.change': (dc, state, submit) => this.onChosen(dc, state, submit),
        'choose:manage.remove': (dc, state, submit) => this.onChosen(dc, state, submit),
        'number:number.next': (dc, state, submit) => this.onNumberEntered(dc, state, submit),
        'number:back': (dc, state) => this.backToChoice(dc, state),
        'confirmRemove:remove.confirm': (dc, state) => this.remove(dc, state),
        '*:cancel': (dc, state) => this.steps.cancel(dc, state),
      },
    });
  }

  override async beginDialog(dc: DialogContext, options?: ManagePhonesOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('ManagePhonesDialog needs the locale and the user id');
    const state: ManageState = startPhoneEntry(options, this.deps.policy);
    dc.activeDialog!.state = state;
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    if (methods.length === 0) {
      await dc.context.sendActivity(translator(state.locale)('manage.none'));
      return dc.endDialog();
    }
    if (!(await this.deps.stepUps.isValid(dc.context, state.userId))) {
      return dc.beginDialog(STEP_UP_DIALOG, { locale: state.locale, userId: state.userId });
    }
    return this.showChoice(dc, state, methods, '');
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: StepUpResult | VerifyPhoneResult): Promise<DialogTurnResult> {
    const state = this.steps.stateOf(dc);
    switch (result?.kind) {
      case 'stepped_up':
        return this.showChoice(dc, state, await this.deps.directory.listPhoneMethods(state.userId), '');
      case 'verified':
        return this.changeNumber(dc, state);
      case 'change_number':
        await this.steps.open(dc.context, state, 'number', (nonce) => this.deps.numbers.card(state, '', nonce));
        return Dialog.EndOfTurn;
      default:
        return dc.endDialog();
    }
  }

  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.steps.route(dc, this.steps.stateOf(dc));
  }

  private async showChoice(dc: DialogContext, state: ManageState, methods: readonly PhoneMethod[], error: string): Promise<DialogTurnResult> {
    await this.steps.open(dc.context, state, 'choose', (nonce) => this.deps.views.managePhones(translator(state.locale), { methods, error, nonce }));
    return Dialog.EndOfTurn;
  }

  private async backToChoice(dc: DialogContext, state: ManageState): Promise<DialogTurnResult> {
    await this.steps.summarise(dc.context, state, translator(state.locale)('common.back'));
    return this.showChoice(dc, state, await this.deps.directory.listPhoneMethods(state.userId), '');
  }

  private async onChosen(dc: DialogContext, state: ManageState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    // The id must be one of this user's methods as the directory lists them now.
    const chosen = methods.find((m) => m.id === submit.methodId);
    if (!chosen) {
      await this.steps.reshow(dc.context, state, (nonce) => this.deps.views.managePhones(t, { methods, error: t('manage.required'), nonce }));
      return Dialog.EndOfTurn;
    }
    state.methodId = chosen.id;
    state.phoneType = chosen.phoneType;
    const masked = maskPhone(chosen.phoneNumber);
    const action = submit.action === 'manage.change' ? t('manage.change') : t('manage.remove');
    await this.steps.summarise(dc.context, state, t('manage.title'), [{ title: t(`type.${chosen.phoneType}`), value: `${masked}: ${action}` }]);
    if (submit.action === 'manage.remove') {
      await this.steps.open(dc.context, state, 'confirmRemove', (nonce) =>
        this.deps.views.confirmRemove(t, { phoneType: chosen.phoneType, maskedNumber: masked, nonce }),
      );
      return Dialog.EndOfTurn;
    }
    await this.steps.open(dc.context, state, 'number', (nonce) => this.deps.numbers.card(state, '', nonce));
    return Dialog.EndOfTurn;
  }

  private async onNumberEntered(dc: DialogContext, state: ManageState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const result = this.deps.numbers.read(state, submit);
    if (!result.ok) {
      await this.steps.reshow(dc.context, state, (nonce) => this.deps.numbers.card(state, this.deps.numbers.rejectionText(state, result.error), nonce));
      return Dialog.EndOfTurn;
    }
    state.phone = result.phone;
    await this.steps.summarise(dc.context, state, t('numberStep.summary'), [
      { title: t(`type.${state.phoneType ?? 'mobile'}`), value: maskPhone(result.phone.graphNumber) },
    ]);
    state.step = 'verify';
    return dc.beginDialog(VERIFY_PHONE_DIALOG, verifyOptionsFor(state, state.phoneType ?? 'mobile', result.phone));
  }

  private async changeNumber(dc: DialogContext, state: ManageState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const phoneType = state.phoneType!;
    const masked = maskPhone(state.phone!.graphNumber);
    const ok = await this.write(
      dc,
      state,
      'change',
      () => typingWhileSlow(dc.context, () => this.deps.directory.updatePhoneMethod(state.userId, state.methodId!, state.phone!.graphNumber)),
      masked,
    );
    if (!ok) return dc.endDialog();
    return this.confirm(dc, state, t('change.doneTitle'), t('change.doneText', { type: t(`type.${phoneType}`), number: masked }));
  }

  private async remove(dc: DialogContext, state: ManageState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    const method = methods.find((m) => m.id === state.methodId);
    const masked = method ? maskPhone(method.phoneNumber) : '';
    await this.steps.summarise(dc.context, state, t('remove.title', { type: t(`type.${state.phoneType!}`), number: masked }), [], t('remove.confirm'));
    const ok = await this.write(
      dc,
      state,
      'remove',
      () => typingWhileSlow(dc.context, () => this.deps.directory.deletePhoneMethod(state.userId, state.methodId!)),
      masked,
    );
    if (!ok) return dc.endDialog();
    return this.confirm(dc, state, t('remove.doneTitle'), t('remove.doneText', { type: t(`type.${state.phoneType!}`), number: masked }));
  }

  /** Runs one Graph write with its audit record; a refusal is explained to the user. */
  private async write(
    dc: DialogContext,
    state: ManageState,
    action: 'change' | 'remove',
    work: () => Promise<{ requestId?: string }>,
    masked: string,
  ): Promise<boolean> {
    const t = translator(state.locale);
    // Another turn already acted on this answer: nothing is written, and this turn is not saved.
    if (!(await claimTurn(dc.context))) return false;
    const audit = { audit: true, action, userId: state.userId, tenantId: auditTenantOf(dc.context.activity), phoneType: state.phoneType, number: masked };
    try {
      const { requestId } = await work();
      this.log.info({ ...audit, result: 'success', requestId }, `phone method ${action === 'change' ? 'changed' : 'removed'}`);
      return true;
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      this.log.warn(
        { ...audit, result: 'failure', errorCode: error.code, requestId: error.details.requestId },
        `phone method not ${action === 'change' ? 'changed' : 'removed'}`,
      );
      await dc.context.sendActivity(directoryErrorText(t, error, state.phoneType ?? 'mobile'));
      return false;
    }
  }

  private async confirm(dc: DialogContext, state: ManageState, title: string, done: string): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const methods = await this.deps.directory.listPhoneMethods(state.userId);
    const registered = new Set(methods.map((m) => m.phoneType));
    const canAdd = this.deps.policy.allowedTypes.some((type) => !registered.has(type));
    await this.steps.open(dc.context, state, state.step, (nonce): Attachment => this.deps.views.changed(t, { title, done, methods, canAdd, nonce }));
    return dc.endDialog();
  }
}
