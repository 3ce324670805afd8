import type { Config } from './config';
import { DeliveryRouteTable } from '../verification/delivery-routes';

type Summary = { readonly [K in keyof Config]-?: Config[K] extends object | undefined ? Record<string, unknown> : Config[K] };

/**
 * One log-safe line about the running configuration. Written with `satisfies` over the whole Config
 * type so a new section cannot be added without deciding here what of it may be shown.
 */
export function summarizeConfig(config: Config): Summary {
  return {
    nodeEnv: config.nodeEnv,
    demoMode: config.demoMode,
    server: { ...config.server },
    log: { ...config.log },
    bot: {
      appId: config.bot.appId || '(none: demo mode)',
      appType: config.bot.appType,
      tenantId: config.bot.tenantId || '(none)',
      appPassword: config.bot.appPassword ? '(set)' : '(not set)',
    },
    graph: { baseUrl: config.graph.baseUrl },
    phone: {
      defaultRegion: config.phone.defaultRegion,
      frequentCountries: config.phone.frequentCountries.join(','),
      allowedCountries: config.phone.allowedCountries.length > 0 ? config.phone.allowedCountries.join(',') : '*',
      allowedTypes: config.phone.allowedTypes.join(','),
    },
    verification: {
      secret: config.verification.secretGenerated ? '(generated for this process)' : '(set)',
      callerIdDisplay: config.verification.callerIdDisplay || '(not set)',
    },
    demo: { ...config.demo },
    helpdesk: { ...config.helpdesk },
    publicBaseUrl: config.publicBaseUrl || '(not set)',
    teamsApp: {
      appId: config.teamsApp.appId || '(not set)',
      catalogAppId: config.teamsApp.catalogAppId || '(not set)',
      serviceUrl: config.teamsApp.serviceUrl,
    },
    acs: config.acs
      ? {
          connection: config.acs.connectionString ? 'connection string (set)' : `managed identity at ${config.acs.endpoint}`,
          smsFrom: config.acs.smsFrom,
          callerId: config.acs.callerId,
          callbackJwt: config.acs.callbackJwtAudience ? 'checked' : 'not checked (callback URL token only)',
          cognitiveServicesEndpoint: config.acs.cognitiveServicesEndpoint ?? '(not set: calls cannot speak)',
          messagingConnect: config.acs.messagingConnect
            ? {
                partner: config.acs.messagingConnect.partner,
                apiKey: '(set)',
                countries: config.acs.messagingConnect.countries.join(','),
                from: config.acs.messagingConnect.from,
              }
            : '(not set)',
        }
      : { delivery: 'demo (console)' },
    twilio: config.twilio
      ? {
          accountSid: config.twilio.accountSid,
          authToken: '(set)',
          apiKey: config.twilio.apiKey ? `${config.twilio.apiKey} (secret set)` : '(not set: the auth token authenticates requests)',
          smsFrom: config.twilio.smsFrom,
          callerId: config.twilio.callerId,
          ...(config.twilio.apiBaseUrl ? { apiBaseUrl: config.twilio.apiBaseUrl } : {}),
        }
      : { delivery: '(not configured)' },
    deliveryRoutes: { routes: config.deliveryRoutes.length > 0 ? new DeliveryRouteTable(config.deliveryRoutes).toString() : '(demo: console)' },
    limits: { ...config.limits },
    storage: config.storage ? { kind: 'Azure Blob Storage', container: config.storage.container } : { kind: 'memory' },
    telephony: { ...config.telephony },
    access: { allowedGroupId: config.access.allowedGroupId || '(everyone in the tenant)', firstPhonePolicy: config.access.firstPhonePolicy },
  } satisfies Summary;
}

/** What an operator reads first when the service starts, small enough for one line; the rest is in `summarizeConfig`. */
export function summarizeStart(config: Config): { readonly mode: string; readonly storage: string; readonly delivery: string } {
  return {
    mode: config.demoMode ? 'demo' : 'production',
    storage: config.storage ? `Azure Blob Storage (${config.storage.container})` : 'memory',
    delivery: config.acs ? 'Azure Communication Services' : 'demo (console)',
  };
}
