import { z } from 'zod';

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
  const parsed = submitSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
