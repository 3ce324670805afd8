import { getExampleNumber, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';

/** Examples already formatted, by region: formatting one costs more than the rest of the number card's data. */
const formatted = new Map<string, string>();

/** A realistic mobile number for the region in national form, for input placeholders (e.g. `090-1234-5678`). */
export function exampleNumber(region: string): string {
  let example = formatted.get(region);
  if (example === undefined) {
    // Only supported regions are kept, so the map holds at most one entry per region libphonenumber knows.
    if (!isSupportedCountry(region)) return '';
    example = getExampleNumber(region as CountryCode, mobileExamples)?.formatNational() ?? '';
    formatted.set(region, example);
  }
  return example;
}
