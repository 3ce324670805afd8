import type { TokenCredential } from '@azure/identity';
import { GRAPH_SCOPE } from '../graph/graph-scope';
import type { Logger } from '../logging/logger';
import { DirectoryError } from './phone-directory';

/**
 * Graph tokens from an Azure credential: the user-assigned managed identity of the bot
 * (MICROSOFT_APP_TYPE=UserAssignedMSI), where there is no client secret for msal-node to use.
 * The credential caches and refreshes its tokens itself.
 */
export class CredentialTokenProvider {
  private readonly logger: Logger;

  constructor(
    private readonly credential: TokenCredential,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'credential-token-provider' });
  }

  /** A Graph access token; throws {@link DirectoryError} when the identity cannot get one. */
  async getAccessToken(): Promise<string> {
    let token: string | undefined;
    try {
      token = (await this.credential.getToken(GRAPH_SCOPE))?.token;
    } catch (error) {
      this.logger.error({ errorName: error instanceof Error ? error.name : typeof error }, 'managed identity token request failed');
      throw new DirectoryError('graph_error', 'Managed identity token request failed');
    }
    if (!token) throw new DirectoryError('graph_error', 'The managed identity returned no token');
    return token;
  }
}
