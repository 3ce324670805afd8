import { getCountries } from 'libphonenumber-js/max';
import { CountryList, isKnownRegion, type CountryChoice } from '../../../src/phone/country-list';

const regions = (choices: readonly CountryChoice[]): string[] => choices.map((c) => c.region);

describe('CountryList.choices', () => {
  it.each([
    ['en-US', 'JP', 'Japan', 'Japan (+81)'],
    ['en-US', 'US', 'United States', 'United States (+1)'],
    ['en-US', 'GB', 'United Kingdom', 'United Kingdom (+44)'],
    ['ja-JP', 'JP', '日本', '日本 (+81)'],
    ['ja-JP', 'US', 'アメリカ合衆国', 'アメリカ合衆国 (+1)'],
    ['ja-JP', 'KR', '韓国', '韓国 (+82)'],
  ])('in %s names %s %j with title %j', (locale, region, name, title) => {
    const { all } = new CountryList().choices({ locale, defaultRegion: 'JP', frequent: [] });
    expect(all.find((c) => c.region === region)).toEqual({ region, name, callingCode: title.replace(/^.*\(\+(\d+)\)$/u, '$1'), title });
  });

  it.each([
    ['JP', ['US', 'GB'], ['JP', 'US', 'GB']],
    ['US', ['JP', 'US', 'jp', 'GB'], ['US', 'JP', 'GB']],
    ['jp', ['ZZ', 'CA'], ['JP', 'CA']],
    ['DE', [], ['DE']],
  ])('default %s with frequent %j → %j on top', (defaultRegion, frequent, expected) => {
    const { frequent: top } = new CountryList().choices({ locale: 'en-US', defaultRegion, frequent });
    expect(regions(top)).toEqual(expected);
  });

  it.each(['en-US', 'ja-JP'])('lists every region sorted by its %s name', (locale) => {
    const { all } = new CountryList().choices({ locale, defaultRegion: 'JP', frequent: [] });
    expect(all).toHaveLength(getCountries().length);
    const collator = new Intl.Collator(locale);
    const misordered = all.slice(1).filter((c, i) => collator.compare(all[i]!.name, c.name) > 0);
    expect(misordered).toEqual([]);
  });

  it('sorts by name, not by region code', () => {
    const names = new CountryList().choices({ locale: 'en-US', defaultRegion: 'JP', frequent: [] }).all.map((c) => c.name);
    // By code, Åland Islands (AX) would come after Albania (AL) and Austria (AT).
    expect(names.indexOf('Afghanistan')).toBeLessThan(names.indexOf('Åland Islands'));
    expect(names.indexOf('Åland Islands')).toBeLessThan(names.indexOf('Albania'));
    expect(names.indexOf('Germany')).toBeLessThan(names.indexOf('Japan'));
  });

  it.each([
    ['en-US', ['US', 'JP', 'de'], ['DE', 'JP', 'US']],
    ['ja-JP', ['US', 'JP'], ['US', 'JP']],
  ])('in %s restricts both lists to the allowed %j', (locale, allowed, expectedAll) => {
    const { frequent, all } = new CountryList().choices({ locale, defaultRegion: 'JP', frequent: ['GB', 'US'], allowed });
    expect(regions(all)).toEqual(expectedAll);
    expect(regions(frequent)).toEqual(['JP', 'US']);
  });

  it('builds each combination once per instance', () => {
    const list = new CountryList();
    const options = { locale: 'ja-JP', defaultRegion: 'JP', frequent: ['US'], allowed: [] };
    const first = list.choices(options);
    expect(list.choices({ ...options, frequent: ['US'] })).toBe(first);
    expect(list.choices({ ...options, locale: 'en-US' })).not.toBe(first);
    expect(list.choices({ ...options, allowed: ['JP'] })).not.toBe(first);
    expect(new CountryList().choices(options)).not.toBe(first);
    expect(Object.isFrozen(first.all)).toBe(true);
  });
});

describe('isKnownRegion', () => {
  it.each([
    ['JP', true],
    ['US', true],
    ['GB', true],
    ['XK', true],
    ['jp', false],
    ['ZZ', false],
    ['UK', false],
    ['JPN', false],
    ['', false],
    ['*', false],
  ])('%j → %s', (region, expected) => {
    expect(isKnownRegion(region)).toBe(expected);
  });
});
