import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type NumberType,
  type PhoneNumber,
  type ValidatePhoneNumberLengthResult,
} from 'libphonenumber-js/max';
import type { ParsedPhone, ParsePhoneInput, ParsePhoneResult, PhoneRejection } from './phone-types';

/** Number types that are never registered: they cost the tenant money, reach no one person, or are not PSTN authenticators. */
const REFUSED_TYPES: Readonly<Partial<Record<NonNullable<NumberType>, PhoneRejection>>> = {
  PREMIUM_RATE: 'premium_rate',
  SHARED_COST: 'shared_cost',
  VOIP: 'voip',
  TOLL_FREE: 'toll_free',
  UAN: 'uan',
  PAGER: 'pager',
  VOICEMAIL: 'voicemail',
  PERSONAL_NUMBER: 'personal_number',
};

const LENGTH_REJECTIONS: Readonly<Record<ValidatePhoneNumberLengthResult, PhoneRejection>> = {
  NOT_A_NUMBER: 'not_a_number',
  INVALID_COUNTRY: 'invalid_country',
  TOO_SHORT: 'too_short',
  TOO_LONG: 'too_long',
  // Between the region's shortest and longest lengths, but not a length any of its numbers has.
  INVALID_LENGTH: 'invalid_for_region',
};

/** Types that can receive a text message; NANP numbers (US, CA…) cannot be told apart and count as mobile. */
const SMS_TYPES: ReadonlySet<NumberType> = new Set<NumberType>(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Longer input is not a phone number (15 digits at most, plus separators and an extension); the cap
 * keeps the regular expressions below and libphonenumber-js cheap.
 */
const MAX_INPUT_LENGTH = 100;

/**
 * Typed text longer than this is refused before it is normalized, so junk costs nothing. NFKC can make
 * text shorter (a digit outside the BMP such as 𝟘 is two UTF-16 units and becomes one), so a number
 * typed that way may be up to twice {@link MAX_INPUT_LENGTH} before normalizing.
 */
const MAX_TYPED_LENGTH = 2 * MAX_INPUT_LENGTH;

/** Same idea for the extension field: up to 10 digits, perhaps after `extension:` and spaces. */
const MAX_TYPED_EXTENSION_LENGTH = 40;

/** Dashes people type between digit groups that Unicode normalization leaves alone (ー is common in Japanese input). */
const DASH_LIKE = /[\u2010-\u2015\u2212\u30FC\uFF70\uFE58\uFE63]/gu;

/** The first extension marker: `;ext=`, `ext.`, `extn`, `extension`, `x`, `#`, `,` or `内線`. */
const EXTENSION_MARKER = /;\s*ext\s*=|ext(?:ension|n)?\.?|[x#,]|内線/iu;

/** What may appear in the number part besides digits: plus, spaces and the usual group separators. */
const NUMBER_CHARACTERS = /^[+\p{Nd}\s\-.()/]+$/u;

const EXTENSION_DIGITS = /^\d{1,10}$/u;

/**
 * Parses, validates and normalizes a typed phone number to Graph's `+81 9012345678[x123]` form.
 *
 * Checks run in this order, so the user sees the most useful problem first: empty → not a number →
 * unknown region → length → valid for its region → organization allow-list (before the type, so a
 * foreign premium number says "country not allowed", the rule the user cannot change) → refused number
 * types → extension (refused for a new number; for a registered one: allowed for the phone type, then its
 * format). A number typed in international form
 * belongs to its own country whatever region was chosen.
 */
export function parsePhone(input: ParsePhoneInput): ParsePhoneResult {
  if (input.number.length > MAX_TYPED_LENGTH) return reject('too_long');
  const text = normalizeText(input.number);
  if (text === '') return reject('empty');
  if (text.length > MAX_INPUT_LENGTH) return reject('too_long');

  const { numberPart, typedExtension } = splitExtension(text);
  if (!NUMBER_CHARACTERS.test(numberPart) || !/\p{Nd}/u.test(numberPart)) return reject('not_a_number');

  const region = input.region.trim().toUpperCase();
  const options = isSupportedCountry(region) ? { defaultCountry: region } : {};
  const lengthProblem = validatePhoneNumberLength(numberPart, options);
  if (lengthProblem !== undefined) return reject(LENGTH_REJECTIONS[lengthProblem]);

  const parsed = parsePhoneNumberFromString(numberPart, { ...options, extract: false });
  if (parsed === undefined) return reject('not_a_number');
  if (!parsed.isValid()) return reject('invalid_for_region');

  const allowed = (input.allowedCountries ?? []).map((r) => r.toUpperCase());
  if (allowed.length > 0 && (parsed.country === undefined || !allowed.includes(parsed.country))) {
    return reject('country_not_allowed');
  }

  const type = parsed.getType();
  const refused = type === undefined ? undefined : REFUSED_TYPES[type];
  if (refused !== undefined) return reject(refused);
  // Non-geographic numbers (+881 satellite phones and the like) have no region and are a classic
  // toll-fraud destination; Graph users are people in countries.
  if (parsed.country === undefined) return reject('invalid_country');

  const fieldExtension = readExtensionField(input.extension);
  const extension = pickExtension(typedExtension, fieldExtension);
  // Sign-in calls drop the extension ("Security info doesn't support using phone extensions… the
  // extensions are removed before the call is placed", Microsoft Support, "Set up a phone call as
  // your verification method"): promising one would register a number that never reaches the user.
  if (extension !== undefined && input.acceptExtension !== true) return reject('extension_not_dialed');
  if (extension !== undefined && input.phoneType !== 'office') return reject('extension_not_allowed');
  if (extension === null || (extension !== undefined && !EXTENSION_DIGITS.test(extension))) return reject('invalid_extension');

  return { ok: true, phone: toParsedPhone(parsed, parsed.country, extension, type) };
}

function reject(error: PhoneRejection): ParsePhoneResult {
  return { ok: false, error };
}

/** Full-width digits, plus and brackets become ASCII (NFKC); dash look-alikes become `-`. */
function normalizeText(value: string): string {
  return value.normalize('NFKC').replace(DASH_LIKE, '-').trim();
}

function splitExtension(text: string): { numberPart: string; typedExtension: string | undefined } {
  const marker = EXTENSION_MARKER.exec(text);
  if (marker === null) return { numberPart: text, typedExtension: undefined };
  return {
    numberPart: text.slice(0, marker.index).trim(),
    typedExtension: text
      .slice(marker.index + marker[0].length)
      .replace(/^[\s:.]+/u, '')
      .trim(),
  };
}

/** The extension field as typed, normalized; too long to be one is kept as typed, which fails the digit check. */
function readExtensionField(typed: string | undefined): string | undefined {
  if (typed === undefined) return undefined;
  return typed.length > MAX_TYPED_EXTENSION_LENGTH ? typed : stripExtensionMarker(normalizeText(typed));
}

/** People type `x12` or `ext. 12` in the extension field too. */
function stripExtensionMarker(value: string): string {
  return value.replace(/^(?:ext(?:ension|n)?\.?|[x#]|内線)[\s:.]*/iu, '').trim();
}

/**
 * The one extension the user meant: typed after the number or in its own field. `undefined` = none;
 * `null` = two different ones, which cannot both be right. An empty string (a marker with nothing
 * after it) is kept so it is reported as malformed rather than silently dropped.
 */
function pickExtension(typed: string | undefined, field: string | undefined): string | undefined | null {
  const fromField = field === '' ? undefined : field;
  if (typed !== undefined && fromField !== undefined) return typed === fromField ? typed : null;
  return typed ?? fromField;
}

function toParsedPhone(parsed: PhoneNumber, region: string, extension: string | undefined, type: NumberType): ParsedPhone {
  const countryCallingCode = String(parsed.countryCallingCode);
  const nationalNumber = String(parsed.nationalNumber);
  const base = `+${countryCallingCode} ${nationalNumber}`;
  return {
    graphNumber: extension === undefined ? base : `${base}x${extension}`,
    e164: String(parsed.number),
    region,
    countryCallingCode,
    nationalNumber,
    ...(extension === undefined ? {} : { extension }),
    canReceiveSms: type !== undefined && SMS_TYPES.has(type),
  };
}
