import type { PhoneType } from '../phone/phone-types';
import type { DeliveryRoute } from '../verification/delivery-routes';

/** Everything the service needs, validated once at start-up. Nothing below main.ts reads process.env. */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  /** True when no bot identity is configured: anonymous Bot Framework, demo directory and delivery. */
  readonly demoMode: boolean;
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly maxBodyBytes: number;
  };
  readonly log: {
    readonly level: string;
    readonly pretty: boolean;
  };
  readonly bot: {
    readonly appId: string;
    readonly appPassword: string;
    readonly appType: 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId: string;
  };
  readonly graph: {
    readonly baseUrl: string;
  };
  readonly phone: {
    readonly defaultRegion: string;
    readonly frequentCountries: readonly string[];
    /** Empty = every country. */
    readonly allowedCountries: readonly string[];
    readonly allowedTypes: readonly PhoneType[];
  };
  readonly verification: {
    /** HMAC key for code hashes. Generated per process in demo mode. */
    readonly secret: string;
    readonly secretGenerated: boolean;
    /** Number or name the call comes from, shown in the "Call me" card before it rings. */
    readonly callerIdDisplay: string;
  };
  readonly demo: {
    readonly playground: boolean;
    readonly callAnswerDelayMs: number;
  };
  /** The service's public https address (voice callbacks, helpdesk links); empty when not set. */
  readonly publicBaseUrl: string;
  readonly teamsApp: {
    /** The Teams app's own id (manifest id); empty when not set. */
    readonly appId: string;
    /** The id Teams' org catalog gave the uploaded app (install links need it); empty when not set. */
    readonly catalogAppId: string;
    /**
     * Teams' service URL for proactive messages and batch messaging (campaigns): the global
     * commercial endpoint unless the tenant is in a government cloud.
     */
    readonly serviceUrl: string;
  };
  /** Azure Communication Services for real SMS and calls; undefined = demo delivery. */
  readonly acs?: {
    readonly connectionString?: string;
    readonly endpoint?: string;
    readonly smsFrom: string;
    readonly callerId: string;
    readonly callbackJwtAudience?: string;
    readonly callbackJwksUrl?: string;
    /** Azure AI services endpoint for spoken prompts (callIntelligenceOptions.cognitiveServicesEndpoint). */
    readonly cognitiveServicesEndpoint?: string;
    /** Messaging Connect (public preview): texts to these countries go through the partner. */
    readonly messagingConnect?: {
      readonly partner: string;
      /** Secret: never logged, redacted in the summary. */
      readonly apiKey: string;
      /** ISO regions, e.g. ['JP']. */
      readonly countries: readonly string[];
      /** Sender for these countries: the partner's number or sender id (default ACS_SMS_FROM). */
      readonly from: string;
    };
  };
  /** Twilio for real SMS and calls; undefined = not configured. */
  readonly twilio?: {
    readonly accountSid: string;
    /** Secret: signs Twilio's webhooks (and authenticates requests when no API key is set). */
    readonly authToken: string;
    readonly apiKey?: string;
    /** Secret, with apiKey. */
    readonly apiSecret?: string;
    /** A Twilio number in E.164 or a Messaging Service SID (MG…). */
    readonly smsFrom: string;
    readonly callerId: string;
    /** Loopback origin of a local fake (tests only). */
    readonly apiBaseUrl?: string;
  };
  /** Which provider texts and calls each country (DELIVERY_ROUTES); empty in demo mode. */
  readonly deliveryRoutes: readonly DeliveryRoute[];
  readonly limits: {
    readonly userPerHour: number;
    readonly userPerDay: number;
    readonly numberPer10Min: number;
    readonly countryPerDay: number;
    readonly guardMaxFailures: number;
    readonly guardBlockMinutes: number;
  };
  /** Blob Storage for state shared by several instances; undefined = in-memory storage. */
  readonly storage?: {
    readonly connectionString: string;
    readonly container: string;
  };
  readonly telephony: {
    /** True when the tenant routes phone MFA through its own telecom provider (needed after 1 Feb 2027). */
    readonly providerConfigured: boolean;
    /** The day Microsoft stops delivering SMS and voice MFA itself. */
    readonly retirementDate: string;
  };
  readonly helpdesk: {
    /** Where users are sent when the bot cannot help (shown on help and error cards). */
    readonly contact: string;
    readonly portalUrl: string;
  };
  /** Who may use the bot, and where a first MFA method is registered (the bot's own scoping). */
  readonly access: {
    /** Only (transitive) members of this Entra group may use the bot; empty = everyone in the tenant. */
    readonly allowedGroupId: string;
    /** `allow`: a user with no MFA method may add a first phone in the chat; `portal`: they are guided to the portal. */
    readonly firstPhonePolicy: 'allow' | 'portal';
  };
}
