import { getExampleNumber, type CountryCode } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { isSupportedCountry } from 'libphonenumber-js/max';

/** A realistic mobile number for the region in national form, for input placeholders (e.g. `090-1234-5678`). */
export function exampleNumber(region: string): string {
  if (!isSupportedCountry(region)) return '';
  const example = getExampleNumber(region as CountryCode, mobileExamples);
  return example ? example.formatNational() : '';
}
