import { getCountries, getCountryCallingCode, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

/** A country/region as offered in the number card. */
export interface CountryChoice {
  /** ISO 3166-1 alpha-2, e.g. `JP`. */
  readonly region: string;
  /** Localized name, e.g. `Japan` or `日本`. */
  readonly name: string;
  /** Country calling code without the plus, e.g. `81`. */
  readonly callingCode: string;
  /** What the list shows, e.g. `Japan (+81)` or `日本 (+81)`. */
  readonly title: string;
}

/** What decides a country list: language, the organization's default, frequent and allowed regions. */
export interface CountryChoicesOptions {
  /** BCP 47 tag for names and sorting, e.g. `ja-JP`. */
  readonly locale: string;
  readonly defaultRegion: string;
  readonly frequent: readonly string[];
  /** Empty or absent: every region. */
  readonly allowed?: readonly string[];
}

/** The lists a number card offers. */
export interface CountryChoices {
  /** The default region first, then the admin's frequent list: on top, because long lists are hard on phones. */
  readonly frequent: readonly CountryChoice[];
  /** Every offered region, sorted by its localized name. */
  readonly all: readonly CountryChoice[];
}

/** Locales come from chat clients; a bound keeps an odd client from growing the cache without end. */
const MAX_CACHED_LISTS = 32;

/** True for an upper-case ISO 3166 region that has a phone numbering plan, e.g. `JP`. */
export function isKnownRegion(region: string): boolean {
  return /^[A-Z]{2}$/u.test(region) && isSupportedCountry(region);
}

/**
 * Localized, sorted country lists. Building one costs a few milliseconds (Intl names and collation for
 * ~245 regions), so each combination of options is built once per instance and kept.
 */
export class CountryList {
  private readonly cache = new Map<string, CountryChoices>();

  /** The frequent and full lists for these options, localized and sorted. */
  choices(options: CountryChoicesOptions): CountryChoices {
    const defaultRegion = options.defaultRegion.toUpperCase();
    const frequent = options.frequent.map((r) => r.toUpperCase());
    const allowed = (options.allowed ?? []).map((r) => r.toUpperCase());
    const key = JSON.stringify([options.locale, defaultRegion, frequent, allowed]);
    const cached = this.cache.get(key);
    if (cached) return cached;

    const built = buildChoices(options.locale, [defaultRegion, ...frequent], allowed);
    if (this.cache.size >= MAX_CACHED_LISTS) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, built);
    return built;
  }
}

function buildChoices(locale: string, frequentRegions: readonly string[], allowed: readonly string[]): CountryChoices {
  // fallback 'none': a region Intl cannot name is left out rather than shown as a bare code.
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
  const collator = new Intl.Collator(locale);
  const offered = (region: string): boolean => allowed.length === 0 || allowed.includes(region);
  const choice = (region: CountryCode): CountryChoice | undefined => {
    const name = names.of(region);
    if (name === undefined || name === '') return undefined;
    const callingCode = String(getCountryCallingCode(region));
    return Object.freeze({ region, name, callingCode, title: `${name} (+${callingCode})` });
  };

  const all = getCountries()
    .filter(offered)
    .map(choice)
    .filter((c): c is CountryChoice => c !== undefined)
    .sort((a, b) => collator.compare(a.name, b.name) || a.region.localeCompare(b.region));
  const byRegion = new Map(all.map((c) => [c.region, c]));
  const frequent: CountryChoice[] = [];
  for (const region of frequentRegions) {
    const found = byRegion.get(region);
    if (found !== undefined && !frequent.includes(found)) frequent.push(found);
  }
  // Frozen: the lists are shared by every caller through the cache.
  return Object.freeze({ frequent: Object.freeze(frequent), all: Object.freeze(all) });
}
