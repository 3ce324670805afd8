import type { SmsCoverage } from '../sms-coverage';

/**
 * Destinations ACS's own numbers cannot text; only Messaging Connect (public preview) reaches them.
 * Japan is one (ACS SMS country availability); add others here when ACS says so.
 */
export const MESSAGING_CONNECT_ONLY_COUNTRIES: readonly string[] = ['JP'];

/**
 * What ACS can text: every country, except those only Messaging Connect reaches, unless the admin
 * set Messaging Connect up for them. Offering "Receive a code" there would end in a refused send.
 */
export function acsSmsCoverage(messagingConnectCountries: readonly string[]): SmsCoverage {
  const viaPartner = new Set(messagingConnectCountries.map((r) => r.toUpperCase()));
  return {
    canText: (region) => {
      const upper = region.toUpperCase();
      return viaPartner.has(upper) || !MESSAGING_CONNECT_ONLY_COUNTRIES.includes(upper);
    },
  };
}
