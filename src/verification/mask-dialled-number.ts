import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Masks a dialled number the way Entra shows it: country code kept, last four digits kept
 * (`+819012345678` → `+81 XXXXXX5678`). Unparseable input keeps only its last four digits.
 */
export function maskDialledNumber(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed) return `+${parsed.countryCallingCode} ${maskDigits(String(parsed.nationalNumber))}`;
  return maskDigits(e164.replace(/\D/gu, ''));
}

function maskDigits(digits: string): string {
  const visible = Math.min(4, Math.max(0, digits.length - 2));
  return 'X'.repeat(digits.length - visible) + digits.slice(digits.length - visible);
}
