/** Languages the bot speaks. */
export type Locale = 'en' | 'ja';

export const LOCALES: readonly Locale[] = ['en', 'ja'];

/** Picks the bot language from an activity locale such as `ja-JP` or `en-US`; English otherwise. */
export function resolveLocale(activityLocale: unknown): Locale {
  // The locale comes from the wire: anything but a string means English.
  return typeof activityLocale === 'string' && activityLocale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** BCP 47 tag used for Intl APIs and voice prompts. */
export function localeTag(locale: Locale): string {
  return locale === 'ja' ? 'ja-JP' : 'en-US';
}
