import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import {
  AuthenticationError,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { ConnectorClientCache } from './cached-connector-factory';
import { KeysUnavailableError } from './keys-unavailable-error';
import { BOTBUILDER_KEY_REFRESH_HOURS, metadataUrlsOf, SigningKeyGate, type SigningKeyGateOptions } from './signing-key-gate';
import type { Logger } from '../logging/logger';

/** The errors jsonwebtoken throws for a token that is forged, malformed, expired or not yet valid. */
const TOKEN_ERROR_NAMES: ReadonlySet<string> = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** What every refused request is told; the reason stays in the log. */
const REFUSAL = 'Unauthorized';

export interface StrictBotFrameworkAuthenticationOptions {
  /** Credentials for outbound replies; defaults to the app id and password from the settings. */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
  /** Where the reason for a refused request is logged (the token itself never is). */
  readonly logger?: Logger;
  /** Time limits, back-off, clock and scheduler for fetching the signing keys (tests inject time). */
  readonly keys?: Omit<SigningKeyGateOptions, 'logger'>;
}

/**
 * Bot Framework authentication in which every bad inbound token is a 401 with a generic body, and
 * a token whose signing keys cannot be fetched is a KeysUnavailableError (503 at the endpoint).
 * The stock class lets jsonwebtoken's own errors through (a token signed by another key under a
 * known key id fails with "invalid signature"), and CloudAdapter answers anything that is not an
 * AuthenticationError with a 500 carrying the error message. With an app id, a SigningKeyGate
 * stands in front of botbuilder's validation and fetches the keys with a time limit.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly log?: Logger;
  private readonly connectors = new ConnectorClientCache();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  private readonly gate?: SigningKeyGate;

  constructor(settings: ConfigurationBotFrameworkAuthenticationOptions, options: StrictBotFrameworkAuthenticationOptions = {}) {
    // Without an app id botbuilder checks no token at all (the demo), so there are no keys to fetch.
    const gated = typeof settings.MicrosoftAppId === 'string' && settings.MicrosoftAppId !== '';
    super(settings, options.credentialsFactory, undefined, undefined, gated ? { tokenRefreshInterval: BOTBUILDER_KEY_REFRESH_HOURS } : {});
    this.log = options.logger?.child({ module: 'bot-auth' });
    if (gated) this.gate = new SigningKeyGate(metadataUrlsOf(settings), { ...options.keys, logger: this.log });
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.connectors.wrap(super.createConnectorFactory(claimsIdentity), identityOf(claimsIdentity));
  }

  /**
   * CloudAdapter builds a user token client (with its own HTTP pipeline) on every turn, although this
   * bot never signs users in; one per bot identity is enough, and building it showed in the profile.
   */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const identity = identityOf(claimsIdentity);
    let client = this.userTokenClients.get(identity);
    if (!client) {
      client = super.createUserTokenClient(claimsIdentity);
      this.userTokenClients.set(identity, client);
      client.catch(() => this.userTokenClients.delete(identity));
    }
    return client;
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      const validate = (): Promise<AuthenticateRequestResult> => super.authenticateRequest(activity, authHeader);
      const result = this.gate ? await this.gate.admit(activity, authHeader, validate) : await validate();
      if (!result.connectorFactory) return result;
      return { ...result, connectorFactory: this.connectors.wrap(result.connectorFactory, identityOf(result.claimsIdentity)) };
    } catch (error) {
      if (error instanceof KeysUnavailableError) {
        // The outage itself is logged once by the gate, not once per request.
        this.log?.debug({ retryAfterSeconds: error.retryAfterSeconds, channelId: activity?.channelId }, 'inbound request deferred: signing keys unavailable');
        throw error;
      }
      const name = error instanceof Error ? error.name : typeof error;
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof AuthenticationError || TOKEN_ERROR_NAMES.has(name)) {
        // Debug, not warn: anyone can send a bad token, and a refusal is the service working.
        this.log?.debug({ reason, errorName: name, channelId: activity?.channelId }, 'inbound request refused: bad or missing token');
        throw new AuthenticationError(REFUSAL, 401);
      }
      // Not a verdict on the token but a fault in checking it: the caller answers 500.
      throw error;
    }
  }
}

/** The bot identity a connector client acts as (the audience claim; empty for the anonymous demo). */
function identityOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
}
