import type { TurnContext } from 'botbuilder';
import { z } from 'zod/v4';
import type { Locale } from '../i18n/locale';
import { translator } from '../i18n/messages';

/**
 * What a card submit may carry. Anything else (wrong types, unknown shapes, huge strings) is not a
 * submit the dialogs act on: they answer with a hint instead of failing.
 */
const submitSchema = z.object({
  action: z.string().min(1).max(40),
  nonce: z.string().min(1).max(64),
  phoneType: z.string().max(40).optional(),
  region: z.string().max(8).optional(),
  number: z.string().max(200).optional(),
  extension: z.string().max(40).optional(),
  code: z.string().max(64).optional(),
  methodId: z.string().max(64).optional(),
});

export type SubmitValue = z.infer<typeof submitSchema>;

/** Reads an Action.Submit value, or undefined when the activity carries none that is well-formed. */
export function readSubmitValue(value: unknown): SubmitValue | undefined {
  // A typed message has no value: answered before the schema, which would build an error to say so.
  if (value === undefined || value === null) return undefined;
  const parsed = submitSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The submit of the dialog's active card, or undefined after telling the user why not: a message
 * that is not a well-formed submit gets the "use the card" hint, a submit of an older card gets
 * "no longer active".
 */
export async function readActiveSubmit(context: TurnContext, activeNonce: string, locale: Locale): Promise<SubmitValue | undefined> {
  const t = translator(locale);
  const submit = readSubmitValue(context.activity.value);
  if (!submit) {
    await context.sendActivity(t('common.useCard'));
    return undefined;
  }
  if (submit.nonce !== activeNonce) {
    await context.sendActivity(t('common.staleCard'));
    return undefined;
  }
  return submit;
}
