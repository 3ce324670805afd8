import { isKnownRegion } from '../phone/country-list';
import { DELIVERY_CHANNELS, parseDeliveryRoutes, singleProviderRoutes, type DeliveryProvider, type DeliveryRoute } from '../verification/delivery-routes';

const FIX = 'use comma-separated COUNTRY[:sms|voice]=PROVIDER entries, e.g. JP:sms=twilio,JP:voice=acs,*=acs (see docs/admin.md)';

/**
 * The route table from DELIVERY_ROUTES, or its default: the only configured provider, or acs when
 * both are. Checked against what is configured: every provider it names is set up, and every
 * allowed country (every country when `allowed` is empty) has a route for texts and for calls.
 */
export function deliveryRoutesFrom(
  value: string,
  configured: readonly DeliveryProvider[],
  allowed: readonly string[],
): { routes: readonly DeliveryRoute[]; problems: string[] } {
  if (configured.length === 0) return { routes: [], problems: [] };
  if (value.trim() === '') {
    return { routes: singleProviderRoutes(configured.includes('acs') ? 'acs' : configured[0]!).routes, problems: [] };
  }
  const parsed = parseDeliveryRoutes(value);
  if ('problems' in parsed) return { routes: [], problems: parsed.problems.map((p) => `DELIVERY_ROUTES is invalid (${p}): ${FIX}`) };
  const { table } = parsed;
  const problems: string[] = [];
  const unknown = table.routes.map((r) => r.country).filter((c) => c !== '*' && !isKnownRegion(c));
  if (unknown.length > 0) problems.push(`DELIVERY_ROUTES has unknown regions (${unknown.join(', ')}): use ISO 3166 codes such as JP, or *`);
  for (const provider of table.providers()) {
    if (!configured.includes(provider)) {
      const settings = provider === 'acs' ? 'ACS_CONNECTION_STRING (or ACS_ENDPOINT)' : 'TWILIO_ACCOUNT_SID and the other TWILIO_ settings';
      problems.push(
        `DELIVERY_ROUTES sends some numbers through ${provider}, which is not configured: set ${settings}, or route those countries to ${configured.join(' or ')}`,
      );
    }
  }
  const countries = allowed.length > 0 ? allowed : ['*'];
  for (const channel of DELIVERY_CHANNELS) {
    const missing = countries.filter((c) => table.providerFor(c, channel) === undefined);
    if (missing.length > 0) {
      const which = allowed.length > 0 ? missing.join(', ') : 'every country (ALLOWED_COUNTRIES is *)';
      problems.push(
        `DELIVERY_ROUTES has no ${channel === 'sms' ? 'text (sms)' : 'call (voice)'} route for ${which}: add an entry such as ${missing[0]}:${channel}=${configured[0]} or a * entry`,
      );
    }
  }
  return { routes: table.routes, problems };
}
