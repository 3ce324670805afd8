import type { SmsCoverage } from './sms-coverage';

/** The telecom providers a code can go through. */
export const DELIVERY_PROVIDERS = ['acs', 'twilio'] as const;
export type DeliveryProvider = (typeof DELIVERY_PROVIDERS)[number];

export type DeliveryChannel = 'sms' | 'voice';
export const DELIVERY_CHANNELS: readonly DeliveryChannel[] = ['sms', 'voice'];

/** One entry of the route table: a country (or `*` for every other) and channel (or both). */
export interface DeliveryRoute {
  /** ISO 3166 code, upper case, or `*`. */
  readonly country: string;
  /** Undefined = both channels. */
  readonly channel?: DeliveryChannel;
  readonly provider: DeliveryProvider;
}

/**
 * Which provider texts or calls each country. The most specific entry wins: country and channel,
 * then country, then `*` and channel, then `*`.
 */
export class DeliveryRouteTable {
  constructor(readonly routes: readonly DeliveryRoute[]) {}

  /** The provider for a number in `region` on `channel`, or undefined when no entry covers it. */
  providerFor(region: string, channel: DeliveryChannel): DeliveryProvider | undefined {
    const country = region.toUpperCase();
    const find = (c: string, ch: DeliveryChannel | undefined): DeliveryProvider | undefined =>
      this.routes.find((r) => r.country === c && r.channel === ch)?.provider;
    return find(country, channel) ?? find(country, undefined) ?? find('*', channel) ?? find('*', undefined);
  }

  /** Every provider some entry names. */
  providers(): DeliveryProvider[] {
    return DELIVERY_PROVIDERS.filter((p) => this.routes.some((r) => r.provider === p));
  }

  /** `JP:sms=twilio,*=acs`: the form DELIVERY_ROUTES takes, for the log. */
  toString(): string {
    return this.routes.map((r) => `${r.country}${r.channel ? `:${r.channel}` : ''}=${r.provider}`).join(',');
  }
}

/** A route table that sends everything through one provider. */
export function singleProviderRoutes(provider: DeliveryProvider): DeliveryRouteTable {
  return new DeliveryRouteTable([{ country: '*', provider }]);
}

/**
 * Parses `DELIVERY_ROUTES`: comma-separated `COUNTRY[:CHANNEL]=PROVIDER` entries, COUNTRY an ISO
 * code or `*`, CHANNEL `sms` or `voice`, PROVIDER `acs` or `twilio`. Returns the table or the
 * problems found (each naming the entry).
 */
export function parseDeliveryRoutes(value: string): { table: DeliveryRouteTable } | { problems: string[] } {
  const routes: DeliveryRoute[] = [];
  const problems: string[] = [];
  for (const raw of value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0)) {
    const match = /^([A-Za-z]{2}|\*)(?::([A-Za-z]+))?=([A-Za-z]+)$/u.exec(raw);
    if (!match) {
      problems.push(`"${raw}" is not COUNTRY[:sms|voice]=PROVIDER`);
      continue;
    }
    const country = match[1]!.toUpperCase();
    const channel = match[2]?.toLowerCase();
    const provider = match[3]!.toLowerCase();
    if (channel !== undefined && !isChannel(channel)) {
      problems.push(`"${raw}" names channel "${channel}": use sms or voice, or leave it out for both`);
      continue;
    }
    if (!isProvider(provider)) {
      problems.push(`"${raw}" names provider "${provider}": use ${DELIVERY_PROVIDERS.join(' or ')}`);
      continue;
    }
    const route: DeliveryRoute = { country, ...(channel ? { channel } : {}), provider };
    if (routes.some((r) => r.country === route.country && r.channel === route.channel)) {
      problems.push(`"${raw}" repeats an entry for ${country}${channel ? `:${channel}` : ''}`);
      continue;
    }
    routes.push(route);
  }
  if (problems.length === 0 && routes.length === 0) problems.push('it has no entries');
  return problems.length > 0 ? { problems } : { table: new DeliveryRouteTable(routes) };
}

function isChannel(value: string): value is DeliveryChannel {
  return DELIVERY_CHANNELS.some((c) => c === value);
}

/** True for `acs` and `twilio`. */
function isProvider(value: string): value is DeliveryProvider {
  return DELIVERY_PROVIDERS.some((p) => p === value);
}

/**
 * What the route table can text: the country's SMS route names a provider that reaches it (ACS
 * reaches some countries only through Messaging Connect). "Receive a code" is offered only there.
 */
export function routeTableSmsCoverage(routes: DeliveryRouteTable, coverage: Readonly<Partial<Record<DeliveryProvider, SmsCoverage>>>): SmsCoverage {
  return {
    canText: (region) => {
      const provider = routes.providerFor(region, 'sms');
      return provider !== undefined && coverage[provider]?.canText(region) === true;
    },
  };
}
