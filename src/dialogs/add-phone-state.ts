import type { Locale } from '../i18n/locale';
import type { ParsedPhone, PhoneType } from '../phone/phone-types';
import type { ActiveCard } from './card-flow';

/** Where the add-phone conversation stands; each step has its own card. */
export type AddPhoneStep = 'gate' | 'type' | 'number' | 'verify' | 'saving';

/** The dialog's stored state (bot Storage): no code in clear, ever. */
export interface AddPhoneState extends ActiveCard {
  /** Fixed when the dialog starts, from the activity's locale. */
  locale: Locale;
  /** Entra object id of the user, from the authenticated activity that started the dialog. */
  userId: string;
  step: AddPhoneStep;
  phoneType?: PhoneType;
  region: string;
  numberInput: string;
  extensionInput: string;
  phone?: ParsedPhone;
  /** The tenant's voice policy allows office phones (read when the type card is shown). */
  officeAllowed?: boolean;
}

export interface AddPhoneOptions {
  readonly locale: Locale;
  readonly userId: string;
}
