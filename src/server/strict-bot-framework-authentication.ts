import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult, type ClaimsIdentity, type ConnectorFactory, type ServiceClientCredentialsFactory, type UserTokenClient } from 'botframework-connector';
import { ConnectorClientCache } from './cached-connector-factory';
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
}

/**
 * Bot Framework authentication in which every bad inbound token is a 401 with a generic body.
 * The stock class lets jsonwebtoken's own errors through (a token signed by another key under a
 * known key id fails with "invalid signature"), and CloudAdapter answers anything that is not an
 * AuthenticationError with a 500 carrying the error message.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly log?: Logger;
  private readonly connectors = new ConnectorClientCache();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(settings: ConfigurationBotFrameworkAuthenticationOptions, options: StrictBotFrameworkAuthenticationOptions = {}) {
    super(settings, options.credentialsFactory);
    this.log = options.logger?.child({ module: 'bot-auth' });
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
      const result = await super.authenticateRequest(activity, authHeader);
      if (!result.connectorFactory) return result;
      return { ...result, connectorFactory: this.connectors.wrap(result.connectorFactory, identityOf(result.claimsIdentity)) };
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof AuthenticationError || TOKEN_ERROR_NAMES.has(name)) {
        this.log?.warn({ reason, errorName: name, channelId: activity?.channelId }, 'inbound request refused: bad or missing token');
        throw new AuthenticationError(REFUSAL, 401);
      }
      // Not a verdict on the token (e.g. the signing keys could not be fetched): the caller answers 5xx.
      throw error;
    }
  }
}

/** The bot identity a connector client acts as (the audience claim; empty for the anonymous demo). */
function identityOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
}
