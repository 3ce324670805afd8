/** Typed data for each template in cards/: every text arrives translated in `t`. */

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface Choice {
  readonly title: string;
  readonly value: string;
}

/** A masked phone method line: type name and masked number. */
export interface MethodLine {
  readonly type: string;
  readonly number: string;
}

type Texts<K extends string> = { readonly [P in K]: string };

export interface CardData {
  readonly welcome: {
    readonly t: Texts<'title' | 'intro' | 'methodsHeading' | 'noMethods' | 'notice' | 'stronger' | 'footer' | 'add' | 'manage' | 'portal' | 'help'>;
    readonly methods: readonly MethodLine[];
    readonly canAdd: boolean;
    readonly canManage: boolean;
    readonly portalUrl: string;
    readonly nonce: string;
  };
  readonly help: {
    readonly t: Texts<'title' | 'steps' | 'typing' | 'portal' | 'stronger' | 'contact' | 'footer' | 'add' | 'openPortal'>;
    readonly portalUrl: string;
    readonly nonce: string;
  };
  readonly 'phone-type': {
    readonly t: Texts<'title' | 'guide' | 'registeredHeading' | 'error' | 'label' | 'required' | 'footer' | 'next' | 'cancel'>;
    readonly registered: readonly MethodLine[];
    readonly choices: readonly Choice[];
    readonly selected: string;
    readonly nonce: string;
  };
  readonly 'phone-number': {
    readonly t: Texts<
      | 'title'
      | 'hint'
      | 'error'
      | 'countryLabel'
      | 'countryRequired'
      | 'numberLabel'
      | 'numberPlaceholder'
      | 'numberRequired'
      | 'extensionNote'
      | 'footer'
      | 'next'
      | 'back'
      | 'cancel'
    >;
    /** Bound whole (`"choices": "${countries}"`): repeating ~245 items with `$data` cost a millisecond per card. */
    readonly countries: readonly Choice[];
    readonly region: string;
    readonly number: string;
    /** Office phones: say that sign-in calls cannot dial an extension. */
    readonly showExtensionNote: boolean;
    readonly nonce: string;
  };
  readonly 'verify-method': {
    readonly t: Texts<'title' | 'why' | 'smsUnavailable' | 'error' | 'footer' | 'sms' | 'call' | 'back' | 'cancel'>;
    readonly smsAvailable: boolean;
    readonly callAvailable: boolean;
    readonly nonce: string;
  };
  readonly 'enter-code': {
    readonly t: Texts<
      'title' | 'sent' | 'error' | 'label' | 'placeholder' | 'required' | 'resendHint' | 'footer' | 'verify' | 'resend' | 'changeNumber' | 'cancel'
    >;
    readonly nonce: string;
  };
  readonly 'call-me': {
    readonly t: Texts<'title' | 'explain' | 'error' | 'footer' | 'start' | 'useSms' | 'changeNumber' | 'cancel'>;
    readonly smsAvailable: boolean;
    readonly nonce: string;
  };
  readonly calling: {
    readonly t: Texts<'title' | 'calling' | 'codeLabel' | 'footer' | 'cancel'>;
    /** The code shown to the user for the keypad; never stored, only rendered. */
    readonly code: string;
    readonly nonce: string;
  };
  readonly 'call-failed': {
    readonly t: Texts<'title' | 'reason' | 'footer' | 'callAgain' | 'useSms' | 'changeNumber' | 'cancel'>;
    readonly smsAvailable: boolean;
    readonly nonce: string;
  };
  readonly registered: {
    readonly t: Texts<'title' | 'done' | 'methodsHeading' | 'nextHeading' | 'nextDefault' | 'stronger' | 'footer' | 'openPortal' | 'addAnother'>;
    readonly methods: readonly MethodLine[];
    readonly canAdd: boolean;
    readonly portalUrl: string;
    readonly nonce: string;
  };
  readonly 'step-up': {
    readonly t: Texts<'title' | 'why' | 'error' | 'label' | 'required' | 'footer' | 'next' | 'cancel'>;
    readonly choices: readonly Choice[];
    readonly selected: string;
    readonly nonce: string;
  };
  readonly 'manage-phones': {
    readonly t: Texts<'title' | 'error' | 'label' | 'required' | 'footer' | 'change' | 'remove' | 'cancel'>;
    readonly choices: readonly Choice[];
    readonly selected: string;
    readonly nonce: string;
  };
  readonly 'confirm-remove': {
    readonly t: Texts<'title' | 'explain' | 'footer' | 'confirm' | 'keep'>;
    readonly nonce: string;
  };
  readonly summary: {
    readonly t: Texts<'title' | 'status'>;
    readonly facts: readonly Fact[];
  };
  readonly 'guided-step': {
    readonly t: Texts<
      | 'title'
      | 'counter'
      | 'reason'
      | 'body'
      | 'factsHeading'
      | 'note'
      | 'question'
      | 'footer'
      | 'nextStep'
      | 'back'
      | 'close'
      | 'done'
      | 'openPortal'
      | 'first'
      | 'registered'
    >;
    /** Names the user will see on the Security info page. */
    readonly facts: readonly Fact[];
    /** The first card: asks which branch of the guide applies instead of offering "Next step". */
    readonly ask: boolean;
    readonly canGoBack: boolean;
    /** The last card: "Done" instead of "Next step" and "Close". */
    readonly last: boolean;
    readonly portalUrl: string;
    readonly nonce: string;
  };
}

export type CardName = keyof CardData;

export const CARD_NAMES: readonly CardName[] = [
  'welcome',
  'help',
  'phone-type',
  'phone-number',
  'verify-method',
  'enter-code',
  'call-me',
  'calling',
  'call-failed',
  'registered',
  'step-up',
  'manage-phones',
  'confirm-remove',
  'summary',
  'guided-step',
];
