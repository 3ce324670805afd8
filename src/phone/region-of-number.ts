import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** The ISO region an E.164 number belongs to (`+819012345678` → `JP`), or undefined when none. */
export function regionOfE164(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
