import type { TurnContext } from 'botbuilder';
import { z } from 'zod/v4';
import type { Locale } from '../i18n/locale';
import { translator } from '../i18n/messages';

/**
 * No control characters (C0, DEL, C1, U+0000 included) and no lone surrogate halves. No card of the
 * bot has a multi-line input: a choice, a phone number, an extension, a code or an id never holds a
 * tab or a line break, and a value that does was not typed into one of our cards. A lone surrogate is
 * no text at all (a client cannot type one) and breaks encodeURIComponent in storage keys.
 */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}\p{Cs}]*$/u;

/** A submitted text of at most `max` characters, without control characters. */
function submitted(max: number): z.ZodString {
  return z.string().max(max).regex(NO_CONTROL_CHARACTERS);
}

/** What marks a value as a submit of one of the bot's cards: the button's action and the card's nonce. */
const envelopeSchema = z.object({
  action: submitted(40).min(1),
  nonce: submitted(64).min(1),
});

/**
 * What a card submit may carry. Anything else (wrong types, unknown shapes, huge strings, control
 * characters, a region that is no ISO 3166 code) is not a submit the dialogs act on.
 */
const submitSchema = envelopeSchema.extend({
  phoneType: submitted(40).optional(),
  // The country choice sends an ISO 3166-1 alpha-2 code, exactly as the card lists it.
  region: z
    .string()
    .regex(/^[A-Z]{2}$/u)
    .optional(),
  number: submitted(200).optional(),
  extension: submitted(40).optional(),
  code: submitted(64).optional(),
  methodId: submitted(64).optional(),
});

export type SubmitValue = z.infer<typeof submitSchema>;

/**
 * What an activity's value is: no submit (typed text, or a value no card of ours sends), a card's
 * submit whose inputs hold what no input of ours can (refused, and the user told so), or a submit.
 */
export type SubmitReading = { readonly kind: 'none' } | { readonly kind: 'refused' } | { readonly kind: 'submit'; readonly submit: SubmitValue };

/**
 * Readings by the value object they were made from: a turn reads its submit in the bot, in its claim
 * and in the dialog, and the schema runs once. Values are never changed after they arrive.
 */
const readings = new WeakMap<object, SubmitReading>();

/** Reads an Action.Submit value; see SubmitReading. */
export function readSubmit(value: unknown): SubmitReading {
  // A typed message has no value: answered before the schema, which would build an error to say so.
  if (value === undefined || value === null) return { kind: 'none' };
  if (typeof value !== 'object') return parse(value);
  let reading = readings.get(value);
  if (!reading) {
    reading = parse(value);
    readings.set(value, reading);
  }
  return reading;
}

function parse(value: unknown): SubmitReading {
  const parsed = submitSchema.safeParse(value);
  if (parsed.success) return { kind: 'submit', submit: parsed.data };
  return envelopeSchema.safeParse(value).success ? { kind: 'refused' } : { kind: 'none' };
}

/**
 * The submit of the dialog's active card, or undefined after telling the user why not: a message
 * that is not a submit gets the "use the card" hint, a submit with unusable inputs "check what you
 * entered", a submit of an older card "no longer active".
 */
export async function readActiveSubmit(context: TurnContext, activeNonce: string, locale: Locale): Promise<SubmitValue | undefined> {
  const t = translator(locale);
  const reading = readSubmit(context.activity.value);
  if (reading.kind !== 'submit') {
    await context.sendActivity(t(reading.kind === 'refused' ? 'common.unusableInput' : 'common.useCard'));
    return undefined;
  }
  if (reading.submit.nonce !== activeNonce) {
    await context.sendActivity(t('common.staleCard'));
    return undefined;
  }
  return reading.submit;
}
