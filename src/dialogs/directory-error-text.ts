import type { DirectoryError } from '../directory/phone-directory';
import type { Translator } from '../i18n/messages';
import type { PhoneType } from '../phone/phone-types';

/** The user's text for a directory failure: never the raw error message. */
export function directoryErrorText(t: Translator, error: DirectoryError, phoneType: PhoneType): string {
  return t(`directoryError.${error.code}`, {
    type: t(`type.${phoneType}`),
    seconds: error.details.retryAfterSeconds ?? 60,
  });
}
