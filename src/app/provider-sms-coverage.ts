import type { Config } from '../config/config';
import { acsSmsCoverage } from '../verification/acs/acs-sms-coverage';
import { DeliveryRouteTable, routeTableSmsCoverage, type DeliveryProvider } from '../verification/delivery-routes';
import { TEXTS_EVERY_COUNTRY, type SmsCoverage } from '../verification/sms-coverage';

/** Which countries each configured provider can text. Twilio texts wherever its geo permissions allow (the admin's console setting). */
export function providerSmsCoverage(config: Pick<Config, 'acs' | 'twilio'>): Partial<Record<DeliveryProvider, SmsCoverage>> {
  return {
    ...(config.acs ? { acs: acsSmsCoverage(config.acs.messagingConnect?.countries ?? []) } : {}),
    ...(config.twilio ? { twilio: TEXTS_EVERY_COUNTRY } : {}),
  };
}

/** The route table's SMS coverage; undefined in demo mode (no routes: the console texts every country). */
export function configuredSmsCoverage(config: Pick<Config, 'acs' | 'twilio' | 'deliveryRoutes'>): SmsCoverage | undefined {
  if (config.deliveryRoutes.length === 0) return undefined;
  return routeTableSmsCoverage(new DeliveryRouteTable(config.deliveryRoutes), providerSmsCoverage(config));
}
