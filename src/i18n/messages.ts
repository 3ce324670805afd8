import { en, type Catalog, type MessageKey } from './en';
import { ja } from './ja';
import type { Locale } from './locale';

const CATALOGS: { readonly [L in Locale]: Catalog } = { en, ja };

export type MessageParams = Readonly<Record<string, string | number>>;

/** Fills `{name}` parameters; unknown parameters are left visible so a missing value is noticed in review. */
export function format(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Looks up a message in the user's language. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  // Without parameters every `{name}` stays as it is: the message is the catalog's text (most texts of a card).
  return params === undefined ? CATALOGS[locale][key] : format(CATALOGS[locale][key], params);
}

/** A translator bound to one locale, kept for a whole dialog. */
export type Translator = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translator {
  return (key, params) => translate(locale, key, params);
}

export type { MessageKey };
