import type { PhoneType } from '../phone/phone-types';
import type { DirectoryErrorCode, NewPhoneMethod, PhoneMethod } from './phone-directory';

/** Graph's fixed phoneAuthenticationMethod id for each phone type. */
export const PHONE_METHOD_IDS: Readonly<Record<PhoneType, string>> = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
};

/** The number format Graph accepts: `+{country code} {number}[x{extension}]`, with the space. */
export const GRAPH_PHONE_NUMBER_PATTERN = /^\+\d{1,3} \d{4,15}(x\d{1,10})?$/;

/** The directory error codes that a broken Entra phone rule produces. */
export type PhoneRuleViolation = Extract<DirectoryErrorCode, 'type_already_registered' | 'alternate_requires_mobile' | 'invalid_phone_format'>;

/**
 * Which Entra rule a new phone method breaks against the user's current ones, if any.
 * Order matters: a taken type is the most useful answer, a bad format the least specific.
 */
export function findRuleViolation(existing: readonly PhoneMethod[], method: NewPhoneMethod): PhoneRuleViolation | undefined {
  if (existing.some((m) => m.phoneType === method.phoneType)) return 'type_already_registered';
  if (method.phoneType === 'alternateMobile' && !existing.some((m) => m.phoneType === 'mobile')) {
    return 'alternate_requires_mobile';
  }
  if (!GRAPH_PHONE_NUMBER_PATTERN.test(method.phoneNumber)) return 'invalid_phone_format';
  return undefined;
}
