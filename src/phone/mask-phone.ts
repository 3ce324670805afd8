import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Digits of the national number left visible, as Entra shows them. */
const VISIBLE_DIGITS = 4;

/** What is shown for input with no digits at all: still looks like a hidden number in a card. */
const NOTHING_TO_SHOW = 'XXXX';

/** More digits than any number has (E.164 allows 15): such text is not handed to libphonenumber-js. */
const MAX_PARSED_DIGITS = 20;

/** Graph's own form after the extension is cut off: `+81 9012345678`. */
const GRAPH_FORM = /^\+(\d{1,3}) (\d+)$/u;

/**
 * Masks a number the way Entra's Security info page does: country code and the last four digits of the
 * national number, e.g. `+81 9012345678` → `+81 XXXXXX5678`; the extension is dropped. Anything
 * unexpected (E.164, stray spaces, garbage) still shows at most the last four digits, and never more
 * than half of them, so a log line or card can never carry a whole number.
 */
export function maskPhone(graphNumber: string): string {
  const number = withoutExtension(graphNumber.normalize('NFKC')).trim();
  const graphForm = GRAPH_FORM.exec(number);
  if (graphForm) return `+${graphForm[1]} ${hideAllButLast(graphForm[2] ?? '')}`;

  const digits = number.replace(/\D/gu, '');
  if (digits.length === 0) return NOTHING_TO_SHOW;
  if (number.startsWith('+') && digits.length <= MAX_PARSED_DIGITS) {
    // The country code is public information and makes the masked form recognizable.
    const parsed = parsePhoneNumberFromString(`+${digits}`);
    if (parsed) return `+${parsed.countryCallingCode} ${hideAllButLast(String(parsed.nationalNumber))}`;
  }
  return hideAllButLast(digits);
}

/** Masks an E.164 number (`+819012345678` → `+81 XXXXXX5678`); same rules as {@link maskPhone}. */
export function maskE164(e164: string): string {
  return maskPhone(e164);
}

/** Cuts at Graph's `x`, or a typed `ext`, `#`, `,` or `;`, so extension digits are never shown. */
function withoutExtension(number: string): string {
  const cut = /ext|[x#,;]/iu.exec(number);
  return cut === null ? number : number.slice(0, cut.index);
}

function hideAllButLast(digits: string): string {
  const visible = Math.min(VISIBLE_DIGITS, Math.max(0, digits.length - VISIBLE_DIGITS));
  return 'X'.repeat(digits.length - visible) + digits.slice(digits.length - visible);
}
