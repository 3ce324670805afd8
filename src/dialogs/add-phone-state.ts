import type { PhoneMethod } from '../directory/phone-directory';
import type { Locale } from '../i18n/locale';
import type { ParsedPhone, PhoneType } from '../phone/phone-types';
import type { CardStepState } from './card-steps';

/** Where the add-phone conversation stands; each step has its own card. */
type AddPhoneStep = 'gate' | 'type' | 'number' | 'verify' | 'saving';

/** The dialog's stored state (bot Storage): no code in clear, ever. */
export interface AddPhoneState extends CardStepState<AddPhoneStep> {
  /** Entra object id of the user, from the authenticated activity that started the dialog. */
  userId: string;
  phoneType?: PhoneType;
  region: string;
  numberInput: string;
  extensionInput: string;
  phone?: ParsedPhone;
  /** The tenant's voice policy allows office phones (read when the type card is shown). */
  officeAllowed?: boolean;
  /**
   * The phone methods the type card was built from (the registration gate's read): the type choice is
   * checked against them and the confirmation after the create is that list with the created method,
   * rather than new reads of Graph. Absent in state saved before it existed (then Graph is read).
   */
  methodsAtType?: PhoneMethod[];
}

export interface AddPhoneOptions {
  readonly locale: Locale;
  readonly userId: string;
}
