import { acsSmsCoverage } from '../../../src/verification/acs/acs-sms-coverage';

describe('acsSmsCoverage', () => {
  it.each<[string, readonly string[], string, boolean]>([
    ['Japan without Messaging Connect', [], 'JP', false],
    ['Japan with Messaging Connect for Japan', ['JP'], 'JP', true],
    ['Japan with Messaging Connect listed in lower case', ['jp'], 'jp', true],
    ['Japan with Messaging Connect for another country only', ['KR'], 'JP', false],
    ['the United States without Messaging Connect', [], 'US', true],
    ['Germany with Messaging Connect for Japan', ['JP'], 'DE', true],
  ])('%s → can text: %s', (_name, countries, region, expected) => {
    expect(acsSmsCoverage(countries).canText(region)).toBe(expected);
  });
});
