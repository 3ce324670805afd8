import type { Attachment } from 'botbuilder';
import type { PhoneMethod } from '../directory/phone-directory';
import type { Translator } from '../i18n/messages';
import { maskPhone } from '../phone/mask-phone';
import type { PhoneType } from '../phone/phone-types';
import type { Choice, Fact, MethodLine } from './card-data';
import type { CardRenderer } from './card-renderer';

export interface CardViewsOptions {
  readonly renderer: Pick<CardRenderer, 'render'>;
  readonly demoMode: boolean;
  readonly portalUrl: string;
  readonly helpdeskContact: string;
}

const TYPE_ORDER: readonly PhoneType[] = ['mobile', 'alternateMobile', 'office'];

/** A number shown on a card must not wrap between the country code and the digits on a narrow phone screen. */
function unbroken(number: string): string {
  return number.replace(/ /g, '\u00a0');
}

/** In free text (a summary line), the numbers in it: the space after each country code becomes a no-break space. */
function numbersUnbroken(text: string): string {
  return text.replace(/(\+\d{1,3}) (?=[\dX])/g, '$1\u00a0');
}

/** One card of the guided mode, its texts already translated (the step table lives with the dialog). */
interface GuidedStepInput {
  readonly title: string;
  /** "Step 2 of 5". */
  readonly counter: string;
  /** Why the user is in guided mode; empty after the first card. */
  readonly reason: string;
  readonly body: string;
  readonly note: string;
  /** Names on the Security info page, shown as a FactSet. */
  readonly facts: readonly Fact[];
  /** Non-empty on the first card: the branch question, answered with two buttons instead of "Next step". */
  readonly question: string;
  readonly canGoBack: boolean;
  /** The last card offers "Done" instead of "Next step" and "Close". */
  readonly last: boolean;
  readonly nonce: string;
}

/** Builds every card of the conversation from domain values and the user's translator. */
export class CardViews {
  constructor(private readonly options: CardViewsOptions) {}

  private footer(t: Translator): string {
    return this.options.demoMode ? t('common.demoFooter') : '';
  }

  /** Registered methods as masked lines, in the portal's order. */
  methodLines(t: Translator, methods: readonly PhoneMethod[]): MethodLine[] {
    return [...methods]
      .sort((a, b) => TYPE_ORDER.indexOf(a.phoneType) - TYPE_ORDER.indexOf(b.phoneType))
      .map((m) => ({ type: t(`type.${m.phoneType}`), number: unbroken(maskPhone(m.phoneNumber)) }));
  }

  welcome(t: Translator, methods: readonly PhoneMethod[], canAdd: boolean, nonce: string, notice = ''): Attachment {
    const lines = this.methodLines(t, methods);
    return this.options.renderer.render('welcome', {
      t: {
        title: t('welcome.title'),
        intro: t('welcome.intro'),
        methodsHeading: t('welcome.methodsHeading'),
        noMethods: t('welcome.noMethods'),
        notice: [canAdd ? '' : t('welcome.allRegistered'), notice].filter((line) => line !== '').join('\n\n'),
        stronger: t('common.strongerMethods'),
        footer: this.footer(t),
        add: t('welcome.add'),
        manage: t('welcome.manage'),
        portal: t('welcome.portal'),
        help: t('welcome.help'),
      },
      methods: lines,
      canAdd,
      canManage: methods.length > 0,
      portalUrl: this.options.portalUrl,
      nonce,
    });
  }

  help(t: Translator, nonce: string): Attachment {
    const contact = this.options.helpdeskContact;
    return this.options.renderer.render('help', {
      t: {
        title: t('help.title'),
        steps: t('help.steps'),
        typing: t('help.typing'),
        portal: t('help.portal', { url: this.options.portalUrl }),
        stronger: t('common.strongerMethods'),
        contact: contact ? t('common.contactHelpdesk', { contact }) : '',
        footer: this.footer(t),
        add: t('welcome.add'),
        openPortal: t('common.openPortal'),
      },
      portalUrl: this.options.portalUrl,
      nonce,
    });
  }

  phoneType(
    t: Translator,
    input: { registered: readonly PhoneMethod[]; offered: readonly PhoneType[]; selected?: PhoneType; error: string; nonce: string },
  ): Attachment {
    const choices: Choice[] = input.offered.map((type) => ({ title: `${t(`type.${type}`)}: ${t(`type.${type}.advice`)}`, value: type }));
    const registered = this.methodLines(t, input.registered);
    return this.options.renderer.render('phone-type', {
      t: {
        title: t('typeStep.title'),
        guide: t('typeStep.guide'),
        registeredHeading: t('typeStep.registeredHeading'),
        error: input.error,
        label: t('typeStep.label'),
        required: t('typeStep.required'),
        footer: this.footer(t),
        next: t('common.next'),
        cancel: t('common.cancel'),
      },
      registered,
      choices,
      selected: input.selected ?? '',
      nonce: input.nonce,
    });
  }

  phoneNumber(
    t: Translator,
    input: { phoneType: PhoneType; countries: readonly Choice[]; region: string; number: string; example: string; error: string; nonce: string },
  ): Attachment {
    return this.options.renderer.render('phone-number', {
      t: {
        title: t('numberStep.title', { type: t(`type.${input.phoneType}`) }),
        hint: t('numberStep.numberHint'),
        error: input.error,
        countryLabel: t('numberStep.countryLabel'),
        countryRequired: t('numberStep.countryRequired'),
        numberLabel: t('numberStep.numberLabel'),
        numberPlaceholder: input.example ? t('numberStep.numberPlaceholder', { example: input.example }) : '',
        numberRequired: t('numberStep.numberRequired'),
        extensionNote: t('numberStep.extensionNote'),
        footer: this.footer(t),
        next: t('common.next'),
        back: t('common.back'),
        cancel: t('common.cancel'),
      },
      countries: input.countries,
      region: input.region,
      number: input.number,
      showExtensionNote: input.phoneType === 'office',
      nonce: input.nonce,
    });
  }

  verifyMethod(t: Translator, input: { maskedNumber: string; smsAvailable: boolean; callAvailable: boolean; error: string; nonce: string }): Attachment {
    return this.options.renderer.render('verify-method', {
      t: {
        title: t('methodStep.title', { number: unbroken(input.maskedNumber) }),
        why: t('methodStep.why'),
        smsUnavailable: t('methodStep.smsUnavailable'),
        error: input.error,
        footer: this.footer(t),
        sms: t('methodStep.sms'),
        call: t('methodStep.call'),
        back: t('common.back'),
        cancel: t('common.cancel'),
      },
      smsAvailable: input.smsAvailable,
      callAvailable: input.callAvailable,
      nonce: input.nonce,
    });
  }

  enterCode(t: Translator, input: { maskedNumber: string; minutes: number; sending: boolean; error: string; nonce: string }): Attachment {
    return this.options.renderer.render('enter-code', {
      t: {
        title: t('codeStep.title'),
        sent: input.sending
          ? t('codeStep.sendingStatus', { number: unbroken(input.maskedNumber) })
          : t('codeStep.sent', { number: unbroken(input.maskedNumber), minutes: input.minutes }),
        error: input.error,
        label: t('codeStep.label'),
        placeholder: t('codeStep.placeholder'),
        required: t('codeStep.required'),
        resendHint: t('codeStep.resendHint'),
        footer: this.footer(t),
        verify: t('codeStep.verify'),
        resend: t('codeStep.resend'),
        changeNumber: t('codeStep.changeNumber'),
        cancel: t('common.cancel'),
      },
      nonce: input.nonce,
    });
  }

  callMe(t: Translator, input: { maskedNumber: string; caller: string; smsAvailable: boolean; error: string; nonce: string }): Attachment {
    return this.options.renderer.render('call-me', {
      t: {
        title: t('callStep.title', { number: unbroken(input.maskedNumber) }),
        explain: t('callStep.explain', { number: unbroken(input.maskedNumber), caller: input.caller ? unbroken(input.caller) : t('callStep.unknownCaller') }),
        error: input.error,
        footer: this.footer(t),
        start: t('callStep.start'),
        useSms: t('callStep.useSms'),
        changeNumber: t('codeStep.changeNumber'),
        cancel: t('common.cancel'),
      },
      smsAvailable: input.smsAvailable,
      nonce: input.nonce,
    });
  }

  calling(t: Translator, input: { maskedNumber: string; code: string; nonce: string }): Attachment {
    return this.options.renderer.render('calling', {
      t: {
        title: t('callStep.title', { number: unbroken(input.maskedNumber) }),
        calling: t('callStep.calling', { number: unbroken(input.maskedNumber), code: input.code }),
        codeLabel: t('callStep.codeLabel'),
        footer: this.footer(t),
        cancel: t('common.cancel'),
      },
      code: input.code,
      nonce: input.nonce,
    });
  }

  callFailed(t: Translator, input: { reason: string; smsAvailable: boolean; nonce: string }): Attachment {
    return this.options.renderer.render('call-failed', {
      t: {
        title: t('callFailed.title'),
        reason: input.reason,
        footer: this.footer(t),
        callAgain: t('callFailed.callAgain'),
        useSms: t('callStep.useSms'),
        changeNumber: t('codeStep.changeNumber'),
        cancel: t('common.cancel'),
      },
      smsAvailable: input.smsAvailable,
      nonce: input.nonce,
    });
  }

  registered(
    t: Translator,
    input: { phoneType: PhoneType; maskedNumber: string; methods: readonly PhoneMethod[]; canAdd: boolean; nonce: string },
  ): Attachment {
    return this.changed(t, {
      title: t('register.doneTitle'),
      done: t('register.doneText', { type: t(`type.${input.phoneType}`), number: unbroken(input.maskedNumber) }),
      methods: input.methods,
      canAdd: input.canAdd,
      nonce: input.nonce,
    });
  }

  stepUp(t: Translator, input: { methods: readonly PhoneMethod[]; error: string; nonce: string }): Attachment {
    return this.options.renderer.render('step-up', {
      t: {
        title: t('stepUp.title'),
        why: t('stepUp.why'),
        error: input.error,
        label: t('stepUp.label'),
        required: t('stepUp.required'),
        footer: this.footer(t),
        next: t('common.next'),
        cancel: t('common.cancel'),
      },
      choices: this.methodChoices(t, input.methods),
      selected: input.methods.length === 1 ? input.methods[0]!.id : '',
      nonce: input.nonce,
    });
  }

  /** Choose a registered phone to change or remove. */
  managePhones(t: Translator, input: { methods: readonly PhoneMethod[]; error: string; nonce: string }): Attachment {
    return this.options.renderer.render('manage-phones', {
      t: {
        title: t('manage.title'),
        error: input.error,
        label: t('manage.label'),
        required: t('manage.required'),
        footer: this.footer(t),
        change: t('manage.change'),
        remove: t('manage.remove'),
        cancel: t('common.cancel'),
      },
      choices: this.methodChoices(t, input.methods),
      selected: input.methods.length === 1 ? input.methods[0]!.id : '',
      nonce: input.nonce,
    });
  }

  confirmRemove(t: Translator, input: { phoneType: PhoneType; maskedNumber: string; nonce: string }): Attachment {
    return this.options.renderer.render('confirm-remove', {
      t: {
        title: t('remove.title', { type: t(`type.${input.phoneType}`), number: unbroken(input.maskedNumber) }),
        explain: t('remove.explain'),
        footer: this.footer(t),
        confirm: t('remove.confirm'),
        keep: t('remove.keep'),
      },
      nonce: input.nonce,
    });
  }

  /** The confirmation after a change or removal: what happened and the updated list. */
  changed(t: Translator, input: { title: string; done: string; methods: readonly PhoneMethod[]; canAdd: boolean; nonce: string }): Attachment {
    const lines = this.methodLines(t, input.methods);
    return this.options.renderer.render('registered', {
      t: {
        title: input.title,
        done: input.done,
        methodsHeading: t('welcome.methodsHeading'),
        nextHeading: t('register.nextHeading'),
        nextDefault: t('register.nextDefault'),
        stronger: t('common.strongerMethods'),
        footer: this.footer(t),
        openPortal: t('common.openPortal'),
        addAnother: t('register.addAnother'),
      },
      methods: lines,
      canAdd: input.canAdd,
      portalUrl: this.options.portalUrl,
      nonce: input.nonce,
    });
  }

  /** One step of the guided (portal) mode: what to do on the Security info page and the names seen there. */
  guidedStep(t: Translator, input: GuidedStepInput): Attachment {
    const ask = input.question !== '';
    return this.options.renderer.render('guided-step', {
      t: {
        title: input.title,
        counter: input.counter,
        reason: input.reason,
        body: input.body,
        factsHeading: t('guided.factsHeading'),
        note: input.note,
        question: input.question,
        footer: this.footer(t),
        nextStep: t('guided.nextStep'),
        back: t('common.back'),
        close: t('guided.close'),
        done: t('common.done'),
        openPortal: t('common.openPortal'),
        first: t('guided.intro.first'),
        registered: t('guided.intro.registered'),
      },
      facts: input.facts,
      ask,
      canGoBack: input.canGoBack,
      last: input.last,
      portalUrl: this.options.portalUrl,
      nonce: input.nonce,
    });
  }

  /** Registered phones as choices (masked), in the portal's order. */
  private methodChoices(t: Translator, methods: readonly PhoneMethod[]): Choice[] {
    const sorted = [...methods].sort((a, b) => TYPE_ORDER.indexOf(a.phoneType) - TYPE_ORDER.indexOf(b.phoneType));
    return sorted.map((m) => ({ title: `${t(`type.${m.phoneType}`)}: ${unbroken(maskPhone(m.phoneNumber))}`, value: m.id }));
  }

  /** The read-only card that replaces an answered card so it cannot be submitted again. */
  summary(title: string, facts: readonly Fact[], status = ''): Attachment {
    return this.options.renderer.render('summary', {
      t: { title: numbersUnbroken(title), status: numbersUnbroken(status) },
      facts: facts.map((fact) => ({ ...fact, value: numbersUnbroken(fact.value) })),
    });
  }
}
