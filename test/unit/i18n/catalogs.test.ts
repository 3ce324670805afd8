import { en } from '../../../src/i18n/en';
import { ja } from '../../../src/i18n/ja';
import { format, translate } from '../../../src/i18n/messages';
import { resolveLocale } from '../../../src/i18n/locale';

describe('catalogs', () => {
  it('fills every English key in Japanese with a different, non-empty text', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ja[key].trim()).not.toBe('');
    }
    const untranslated = (Object.keys(en) as (keyof typeof en)[]).filter((k) => ja[k] === en[k]);
    expect(untranslated).toEqual([]);
  });

  it('uses the same parameters in both languages', () => {
    const params = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect([key, params(ja[key])]).toEqual([key, params(en[key])]);
    }
  });

  it.each([
    ['ja-JP', 'ja'],
    ['ja', 'ja'],
    ['en-US', 'en'],
    ['fr-FR', 'en'],
    [undefined, 'en'],
  ])('picks %s → %s', (tag, locale) => {
    expect(resolveLocale(tag)).toBe(locale);
  });

  it('formats parameters and leaves unknown ones visible', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(translate('ja', 'codeStep.wrong', { attempts: 3 })).toBe('コードが正しくありません。あと 3 回入力できます。');
  });

  it('gives every message without parameters exactly as formatting it with none would', () => {
    for (const [locale, catalog] of [
      ['en', en],
      ['ja', ja],
    ] as const) {
      for (const key of Object.keys(catalog) as Array<keyof typeof catalog>) expect(translate(locale, key)).toBe(format(catalog[key], {}));
    }
    expect(translate('en', 'codeStep.wrong')).toContain('{attempts}');
  });
});
