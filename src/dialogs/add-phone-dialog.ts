import { auditTenantOf } from './audit-tenant';
import type { Attachment, TurnContext } from 'botbuilder';
import { Dialog, type DialogReason, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { CardViews } from '../cards/card-views';
import { DirectoryError, type AddedPhoneMethod, type PhoneDirectory, type PhoneMethod } from '../directory/phone-directory';
import { translator, type Translator } from '../i18n/messages';
import type { Logger } from '../logging/logger';
import type { CountryList } from '../phone/country-list';
import { maskPhone } from '../phone/mask-phone';
import type { PhoneType } from '../phone/phone-types';
import type { AddPhoneOptions, AddPhoneState } from './add-phone-state';
import { CardSteps } from './card-steps';
import { NumberEntry, startPhoneEntry, type CountryPolicy } from './number-entry';
import { typingWhileSlow } from './typing-while-slow';
import { directoryErrorText } from './directory-error-text';
import { GUIDED_DIALOG } from './guided-dialog';
import { decideGate, type FirstPhonePolicy } from './registration-gate';
import type { PhoneAvailability } from '../policy/phone-availability';
import { STEP_UP_DIALOG, type StepUpResult } from './step-up-dialog';
import type { StepUpRecords } from './step-up-records';
import type { SubmitValue } from './submit-value';
import { VERIFY_PHONE_DIALOG } from './verify-phone-dialog';
import { verifyOptionsFor, type VerifyPhoneResult } from './verify-phone-state';
import { claimTurn } from './ports/turn-claim';

export const ADD_PHONE_DIALOG = 'addPhone';

/** The phone policy the dialog applies: which countries and types may be registered. */
interface PhonePolicy extends CountryPolicy {
  readonly allowedTypes: readonly PhoneType[];
}

export interface AddPhoneDialogDeps {
  readonly directory: PhoneDirectory;
  readonly views: CardViews;
  readonly countries: CountryList;
  readonly policy: PhonePolicy;
  readonly stepUps: StepUpRecords;
  readonly availability: Pick<PhoneAvailability, 'policy' | 'refusal'>;
  readonly portalUrl: string;
  /** Whether a user with no MFA method may add a first phone here or is sent to the portal (default allow). */
  readonly firstPhonePolicy?: FirstPhonePolicy;
  readonly logger: Logger;
  readonly newId: () => string;
}

const TYPE_ORDER: readonly PhoneType[] = ['mobile', 'alternateMobile', 'office'];

/**
 * Adds a phone method, as the guide's steps: (registration gate) → type → country/region and number →
 * proof of possession (VerifyPhoneDialog) → register → confirmation. Each step is one card; an
 * answered card is replaced by a read-only summary, and only the active card's nonce is accepted.
 */
export class AddPhoneDialog extends Dialog<AddPhoneOptions> {
  private readonly log: Logger;
  private readonly steps: CardSteps<AddPhoneState>;
  private readonly numbers: NumberEntry;

  constructor(private readonly deps: AddPhoneDialogDeps) {
    super(ADD_PHONE_DIALOG);
    this.log = deps.logger.child({ module: 'add-phone-dialog' });
    this.steps = new CardSteps<AddPhoneState>({
      views: deps.views,
      newId: deps.newId,
      log: this.log,
      routes: {
        'type:type.next': (dc, state, submit) => this.onTypeChosen(dc, state, submit),
        'number:number.next': (dc, state, submit) => this.onNumberEntered(dc, state, submit),
        'number:back': (dc, state) => this.backToType(dc, state),
        '*:cancel': async (dc, state) => {
          const result = await this.steps.cancel(dc, state);
          this.log.info({ event: 'add_phone_cancelled', step: state.step }, 'add phone cancelled');
          return result;
        },
      },
    });
    this.numbers = new NumberEntry(deps);
  }

  override async beginDialog(dc: DialogContext, options?: AddPhoneOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('AddPhoneDialog needs the locale and the user id');
    const state: AddPhoneState = startPhoneEntry(options, this.deps.policy);
    dc.activeDialog!.state = state;
    return this.passGate(dc, state);
  }

  /**
   * Application permissions skip Entra's own "register security information" gate, so the bot keeps
   * one: no MFA method yet → go ahead (or the portal, when the admin wants first methods registered
   * there); a registered phone → prove one first; only methods the bot cannot check → the portal.
   */
  private async passGate(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    // After Microsoft's retirement date without a provider, or with phones off in the tenant, a phone would not work.
    const refusal = await this.deps.availability.refusal(t, state.locale);
    if (refusal) {
      await dc.context.sendActivity(refusal);
      return dc.endDialog({ completed: false });
    }
    const methods = await this.deps.directory.listAuthenticationMethods(state.userId);
    const decision = decideGate(methods, this.deps.firstPhonePolicy);
    const steppedUp = decision === 'step_up' && (await this.deps.stepUps.isValid(dc.context, state.userId));
    this.log.info(
      { audit: true, action: 'gate', userId: state.userId, tenantId: auditTenantOf(dc.context.activity), result: steppedUp ? 'stepped_up' : decision },
      'registration gate checked',
    );
    if (decision === 'portal') {
      await dc.context.sendActivity(t('gate.portal', { url: this.deps.portalUrl }));
      return dc.replaceDialog(GUIDED_DIALOG, { locale: state.locale, reason: 'unverifiable_methods' });
    }
    if (decision === 'portal_first_phone') {
      await dc.context.sendActivity(t('gate.firstPhonePortal', { url: this.deps.portalUrl }));
      return dc.replaceDialog(GUIDED_DIALOG, { locale: state.locale, reason: 'first_phone_policy' });
    }
    if (decision === 'step_up' && !steppedUp) return dc.beginDialog(STEP_UP_DIALOG, { locale: state.locale, userId: state.userId });
    // An open gate means the method list just read holds no phone (a phone is a second factor), so the
    // type card needs no second read: GET /users/{id}/authentication/methods lists phoneAuthenticationMethod
    // entries (https://learn.microsoft.com/graph/api/authentication-list-methods?view=graph-rest-beta).
    return this.showTypeCard(dc, state, decision === 'open' ? [] : undefined);
  }

  /**
   * `knownPhones`: the user's phones when this turn has already read them; otherwise they are read here.
   * Kept in the dialog state: the type choice is checked against the list the card was built from.
   */
  private async showTypeCard(dc: DialogContext, state: AddPhoneState, knownPhones?: readonly PhoneMethod[]): Promise<DialogTurnResult> {
    state.officeAllowed = (await this.deps.availability.policy()).officePhoneAllowed;
    const methods = [...(knownPhones ?? (await this.deps.directory.listPhoneMethods(state.userId)))];
    state.methodsAtType = methods;
    await this.steps.open(dc.context, state, 'type', (nonce) => this.typeCard(state, methods, '', nonce));
    return Dialog.EndOfTurn;
  }

  /**
   * The phones the type card was built from, seconds or minutes ago, instead of a new read. Stale at
   * worst, and then harmless: Graph refuses a second phone of a type and an alternate without a mobile
   * (https://learn.microsoft.com/graph/api/authentication-post-phonemethods), the directory explains the
   * refusal from a fresh read, and the user is told in their language; nothing is written twice.
   */
  private async phonesAtType(state: AddPhoneState): Promise<PhoneMethod[]> {
    return state.methodsAtType ?? (await this.deps.directory.listPhoneMethods(state.userId));
  }

  /** A child dialog ended: the step-up before the type card, or the proof of possession before registering. */
  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: StepUpResult | VerifyPhoneResult): Promise<DialogTurnResult> {
    const state = this.steps.stateOf(dc);
    switch (result?.kind) {
      case 'stepped_up':
        return this.showTypeCard(dc, state);
      case 'verified':
        return this.register(dc, state);
      case 'change_number':
        state.phone = undefined;
        await this.sendNumberCard(dc.context, state, '');
        return Dialog.EndOfTurn;
      default:
        return dc.endDialog({ completed: false });
    }
  }

  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.steps.route(dc, this.steps.stateOf(dc));
  }

  // Step 1: type of phone

  private offeredTypes(state: AddPhoneState, methods: readonly PhoneMethod[]): PhoneType[] {
    const registered = new Set(methods.map((m) => m.phoneType));
    return TYPE_ORDER.filter((type) => this.typeAllowed(state, type) && !registered.has(type));
  }

  /** Allowed by the admin's list and, for office phones, by the tenant's voice policy. */
  private typeAllowed(state: AddPhoneState, type: PhoneType): boolean {
    return this.deps.policy.allowedTypes.includes(type) && (type !== 'office' || state.officeAllowed !== false);
  }

  private typeCard(state: AddPhoneState, methods: readonly PhoneMethod[], error: string, nonce: string): Attachment {
    return this.deps.views.phoneType(translator(state.locale), {
      registered: methods,
      offered: this.offeredTypes(state, methods),
      selected: state.phoneType,
      error,
      nonce,
    });
  }

  private async onTypeChosen(dc: DialogContext, state: AddPhoneState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const methods = await this.phonesAtType(state);
    const chosen = TYPE_ORDER.find((type) => type === submit.phoneType);
    const error = this.typeError(t, state, chosen, methods);
    if (error || !chosen) {
      await this.steps.reshow(dc.context, state, (nonce) => this.typeCard(state, methods, error || t('typeStep.required'), nonce));
      return Dialog.EndOfTurn;
    }
    state.phoneType = chosen;
    state.methodsAtType = methods;
    await this.steps.summarise(dc.context, state, t('typeStep.title'), [{ title: t('typeStep.summary'), value: t(`type.${chosen}`) }]);
    await this.sendNumberCard(dc.context, state, '');
    return Dialog.EndOfTurn;
  }

  private typeError(t: Translator, state: AddPhoneState, chosen: PhoneType | undefined, methods: readonly PhoneMethod[]): string {
    if (!chosen) return t('typeStep.required');
    if (!this.typeAllowed(state, chosen)) return t('typeError.type_not_allowed', { type: t(`type.${chosen}`) });
    if (methods.some((m) => m.phoneType === chosen)) return t('typeError.type_already_registered', { type: t(`type.${chosen}`) });
    if (chosen === 'alternateMobile' && !methods.some((m) => m.phoneType === 'mobile')) return t('typeError.alternate_requires_mobile');
    return '';
  }

  private async backToType(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    await this.steps.summarise(dc.context, state, t('common.back'));
    const methods = await this.phonesAtType(state);
    await this.steps.open(dc.context, state, 'type', (nonce) => this.typeCard(state, methods, '', nonce));
    return Dialog.EndOfTurn;
  }

  // Step 2: country/region and number

  private numberCard(state: AddPhoneState, error: string, nonce: string): Attachment {
    return this.numbers.card(state, error, nonce);
  }

  private async sendNumberCard(context: TurnContext, state: AddPhoneState, error: string): Promise<void> {
    await this.steps.open(context, state, 'number', (nonce) => this.numberCard(state, error, nonce));
  }

  private async onNumberEntered(dc: DialogContext, state: AddPhoneState, submit: SubmitValue): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const result = this.numbers.read(state, submit);
    if (!result.ok) {
      this.log.info({ event: 'phone_rejected', reason: result.error, region: state.region }, 'phone number rejected');
      await this.steps.reshow(dc.context, state, (nonce) => this.numberCard(state, this.numbers.rejectionText(state, result.error), nonce));
      return Dialog.EndOfTurn;
    }
    state.phone = result.phone;
    const masked = maskPhone(result.phone.graphNumber);
    await this.steps.summarise(dc.context, state, t('numberStep.title', { type: t(`type.${state.phoneType ?? 'mobile'}`) }), [
      { title: t('numberStep.summary'), value: masked },
    ]);
    state.step = 'verify';
    return dc.beginDialog(VERIFY_PHONE_DIALOG, verifyOptionsFor(state, state.phoneType ?? 'mobile', result.phone));
  }

  // Step 5: register and confirm

  private async register(dc: DialogContext, state: AddPhoneState): Promise<DialogTurnResult> {
    const t = translator(state.locale);
    const phone = state.phone!;
    const phoneType = state.phoneType!;
    const masked = maskPhone(phone.graphNumber);
    if (!(await claimTurn(dc.context))) return Dialog.EndOfTurn;
    state.step = 'saving';
    let added: AddedPhoneMethod;
    try {
      added = await typingWhileSlow(dc.context, () => this.deps.directory.addPhoneMethod(state.userId, { phoneType, phoneNumber: phone.graphNumber }));
      this.log.info(
        {
          audit: true,
          action: 'add',
          userId: state.userId,
          tenantId: auditTenantOf(dc.context.activity),
          phoneType,
          number: masked,
          result: 'success',
          requestId: added.requestId,
        },
        'phone method added',
      );
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      this.log.warn(
        {
          audit: true,
          action: 'add',
          userId: state.userId,
          tenantId: auditTenantOf(dc.context.activity),
          phoneType,
          number: masked,
          result: 'failure',
          errorCode: error.code,
          requestId: error.details.requestId,
        },
        'phone method not added',
      );
      await dc.context.sendActivity(directoryErrorText(t, error, phoneType));
      // No permission to write: the user can still do it themselves, guided step by step.
      if (error.code === 'permission_denied') return dc.replaceDialog(GUIDED_DIALOG, { locale: state.locale, reason: 'no_write_permission' });
      return dc.endDialog({ completed: false });
    }
    const methods = state.methodsAtType ? withCreated(state.methodsAtType, added) : await this.deps.directory.listPhoneMethods(state.userId);
    const canAdd = this.offeredTypes(state, methods).length > 0;
    await this.steps.open(dc.context, state, 'saving', (nonce) => this.deps.views.registered(t, { phoneType, maskedNumber: masked, methods, canAdd, nonce }));
    return dc.endDialog({ completed: true });
  }
}

/**
 * The list after a create: Graph answers the POST with the created phoneAuthenticationMethod
 * (https://learn.microsoft.com/graph/api/authentication-post-phonemethods) and a user has at most one
 * phone method of each type, so the created one replaces any listed method of its type or id.
 */
function withCreated(methods: readonly PhoneMethod[], created: PhoneMethod): PhoneMethod[] {
  const others = methods.filter((m) => m.id !== created.id && m.phoneType !== created.phoneType);
  return [...others, { id: created.id, phoneType: created.phoneType, phoneNumber: created.phoneNumber }];
}
