import type { Logger } from '../logging/logger';
import { maskE164 } from '../phone/mask-phone';
import { regionOfE164 } from '../phone/region-of-number';
import { DELIVERY_PROVIDERS, type DeliveryChannel, type DeliveryProvider, type DeliveryRouteTable } from './delivery-routes';
import type { CallRequest, DeliveryResult, PhoneDelivery, SmsRequest } from './phone-delivery';
import { TEXTS_EVERY_COUNTRY, type SmsCoverage } from './sms-coverage';

/** One configured provider: how it sends, and which countries it can text. */
interface RoutedProvider {
  readonly delivery: PhoneDelivery;
  /** Default: every country. */
  readonly smsCoverage?: SmsCoverage;
  /**
   * Whether a failure left nothing sent, so another provider may try. Default: the result's
   * `nothingSent`. (ACS's deliveries answer `failed` for everything that may have gone out, and
   * `rejected` / `unavailable` only for refusals: see acsRefusedBeforeSending.)
   */
  readonly refusedBeforeSending?: (result: Extract<DeliveryResult, { ok: false }>) => boolean;
}

/** ACS's SMS and voice deliveries: `rejected` (4xx) and `unavailable` (401/403) are refusals; `failed` covers timeouts and 5xx. */
export function acsRefusedBeforeSending(result: Extract<DeliveryResult, { ok: false }>): boolean {
  return result.reason !== 'failed';
}

export interface ProviderRoutingDeliveryOptions {
  readonly routes: DeliveryRouteTable;
  readonly providers: Readonly<Partial<Record<DeliveryProvider, RoutedProvider>>>;
  readonly logger: Logger;
}

/**
 * Picks the provider for each text or call from the route table (by the number's country and the
 * channel), and fails over to the other configured provider only when the first refused before
 * anything was sent (`nothingSent`). An ambiguous failure is never sent again anywhere: the person
 * may already have the code. Caps, allow-list and guards run before this, in the dialog.
 */
export class ProviderRoutingDelivery implements PhoneDelivery {
  private readonly logger: Logger;

  constructor(private readonly options: ProviderRoutingDeliveryOptions) {
    this.logger = options.logger.child({ module: 'delivery-routing' });
  }

  sendSms(request: SmsRequest): Promise<DeliveryResult> {
    return this.deliver('sms', request.to, (delivery) => delivery.sendSms(request));
  }

  startCall(request: CallRequest): Promise<DeliveryResult> {
    return this.deliver('voice', request.to, (delivery) => delivery.startCall(request));
  }

  private async deliver(channel: DeliveryChannel, to: string, send: (delivery: PhoneDelivery) => Promise<DeliveryResult>): Promise<DeliveryResult> {
    const region = regionOfE164(to) ?? '';
    const masked = maskE164(to);
    const first = this.options.routes.providerFor(region, channel);
    const primary = first !== undefined ? this.options.providers[first] : undefined;
    if (first === undefined || primary === undefined) {
      this.logger.error({ to: masked, channel, region }, 'No configured provider has a route for this destination');
      return { ok: false, reason: 'unavailable' };
    }
    const result = await send(primary.delivery);
    this.logger.info(
      { audit: true, action: 'delivery_attempt', to: masked, channel, provider: first, ok: result.ok, ...(result.ok ? {} : { reason: result.reason }) },
      'Delivery attempted',
    );
    if (result.ok || !(primary.refusedBeforeSending ?? sentNothing)(result)) return result;

    const second = this.fallbackFor(first, channel, region);
    if (second === undefined) return result;
    this.logger.warn({ to: masked, channel, from: first, provider: second }, 'Provider refused before sending: failing over');
    const retried = await send(this.options.providers[second]!.delivery);
    this.logger.info(
      { audit: true, action: 'delivery_attempt', to: masked, channel, provider: second, ok: retried.ok, ...(retried.ok ? {} : { reason: retried.reason }) },
      'Delivery attempted',
    );
    // The first provider's refusal says nothing about the second's; a second refusal ends here.
    return retried.ok ? retried : { ok: false, reason: retried.reason };
  }

  /** The other configured provider, if it can serve this destination. */
  private fallbackFor(first: DeliveryProvider, channel: DeliveryChannel, region: string): DeliveryProvider | undefined {
    for (const candidate of DELIVERY_PROVIDERS) {
      if (candidate === first || this.options.providers[candidate] === undefined) continue;
      if (channel === 'sms' && !this.canText(candidate, region)) continue;
      return candidate;
    }
    return undefined;
  }

  private canText(provider: DeliveryProvider, region: string): boolean {
    const configured = this.options.providers[provider];
    return configured !== undefined && (configured.smsCoverage ?? TEXTS_EVERY_COUNTRY).canText(region);
  }
}

function sentNothing(result: Extract<DeliveryResult, { ok: false }>): boolean {
  return result.nothingSent === true;
}
