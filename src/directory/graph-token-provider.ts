import { AuthError, ConfidentialClientApplication, LogLevel, type INetworkModule } from '@azure/msal-node';
import { GRAPH_SCOPE } from '../graph/graph-scope';
import type { Logger } from '../logging/logger';
import { stripTrailing } from '../text/strip-trailing';
import { DirectoryError } from './phone-directory';

/** Options for {@link GraphTokenProvider}. */
export interface GraphTokenProviderOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
  readonly logger: Logger;
  /** Sign-in host; defaults to `https://login.microsoftonline.com` (national clouds use their own). */
  readonly authorityHost?: string;
  /** Replaces MSAL's HTTP client; tests answer token requests with it. */
  readonly networkClient?: INetworkModule;
}

const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Entra answers that mean the app's identity or grant is wrong, not that the service is down. */
const CREDENTIAL_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_scope', 'invalid_request', 'invalid_resource']);

/** App-only Graph tokens by client credentials; one MSAL app per instance so its token cache is reused. */
export class GraphTokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly logger: Logger;

  constructor(options: GraphTokenProviderOptions) {
    this.logger = options.logger.child({ module: 'graph-token-provider' });
    const host = stripTrailing(options.authorityHost ?? DEFAULT_AUTHORITY_HOST, '/');
    this.app = new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        authority: `${host}/${encodeURIComponent(options.tenantId)}`,
      },
      system: {
        ...(options.networkClient ? { networkClient: options.networkClient } : {}),
        loggerOptions: {
          logLevel: LogLevel.Warning,
          piiLoggingEnabled: false,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii) return;
            if (level <= LogLevel.Error) this.logger.error({ msal: message }, 'msal');
            else this.logger.debug({ msal: message }, 'msal');
          },
        },
      },
    });
  }

  /** A Graph access token, from MSAL's cache while it is fresh. Throws {@link DirectoryError} on failure. */
  async getAccessToken(): Promise<string> {
    let accessToken: string | undefined;
    try {
      const result = await this.app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
      accessToken = result?.accessToken;
    } catch (error) {
      throw this.toDirectoryError(error);
    }
    // MSAL resolves with an empty token when the token endpoint answers something it cannot read.
    if (!accessToken) {
      this.logger.error('token endpoint answered without an access token');
      throw new DirectoryError('graph_error', 'The token endpoint answered without an access token');
    }
    return accessToken;
  }

  private toDirectoryError(error: unknown): DirectoryError {
    if (error instanceof AuthError) {
      // errorMessage (Entra's description) names the app and the failing check, never the secret.
      this.logger.error(
        { errorCode: error.errorCode, subError: error.subError, correlationId: error.correlationId, detail: error.errorMessage },
        'token request failed',
      );
      const code = CREDENTIAL_ERRORS.has(error.errorCode) ? 'permission_denied' : 'graph_error';
      return new DirectoryError(code, `Token request failed: ${error.errorCode}`);
    }
    this.logger.error({ detail: error instanceof Error ? error.message : String(error) }, 'token request failed');
    return new DirectoryError('graph_error', 'Token request failed');
  }
}
