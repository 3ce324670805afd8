/** The three phone method types Microsoft Graph knows (phoneAuthenticationMethod.phoneType). */
export type PhoneType = 'mobile' | 'alternateMobile' | 'office';

export const PHONE_TYPES: readonly PhoneType[] = ['mobile', 'alternateMobile', 'office'];

/** Why a typed number was refused; each code has a user text in every catalog. */
export type PhoneRejection =
  | 'empty'
  | 'not_a_number'
  | 'too_short'
  | 'too_long'
  | 'invalid_country'
  | 'invalid_for_region'
  | 'country_not_allowed'
  | 'premium_rate'
  | 'shared_cost'
  | 'voip'
  | 'toll_free'
  | 'uan'
  | 'pager'
  | 'voicemail'
  | 'personal_number'
  | 'invalid_extension'
  | 'extension_not_allowed'
  /** A new number with an extension: sign-in calls never dial it, so it cannot be registered. */
  | 'extension_not_dialed';

/** A number that passed every check, in the forms the bot needs. */
export interface ParsedPhone {
  /** Graph's format: `+{country code} {national number}[x{extension}]`, e.g. `+81 9012345678`. */
  readonly graphNumber: string;
  /** E.164 without extension, e.g. `+819012345678`: what SMS and voice providers dial. */
  readonly e164: string;
  /** ISO 3166-1 alpha-2 region the number belongs to, e.g. `JP`. */
  readonly region: string;
  readonly countryCallingCode: string;
  readonly nationalNumber: string;
  readonly extension?: string;
  /** True when the number can receive SMS (mobile or fixed-line-or-mobile). */
  readonly canReceiveSms: boolean;
}

export type ParsePhoneResult = { readonly ok: true; readonly phone: ParsedPhone } | { readonly ok: false; readonly error: PhoneRejection };

export interface ParsePhoneInput {
  /** What the user typed, in any common form (national, international, full-width digits…). */
  readonly number: string;
  /** Region chosen in the card (ISO alpha-2); used when the number is in national form. */
  readonly region: string;
  /** Optional extension typed in its own field (office phones only). */
  readonly extension?: string;
  /**
   * True only for a number already registered in Entra (checked before a change): its extension is
   * kept in Graph's form and never dialled. A new number with an extension is refused
   * (`extension_not_dialed`): Microsoft removes extensions before its sign-in calls, so the call
   * would reach the main line, not the user.
   */
  readonly acceptExtension?: boolean;
  readonly phoneType: PhoneType;
  /** Admin allow-list of regions; empty or absent = every region. */
  readonly allowedCountries?: readonly string[];
}
