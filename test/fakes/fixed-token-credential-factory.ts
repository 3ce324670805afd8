import { PasswordServiceClientCredentialFactory, type ServiceClientCredentialsFactory } from 'botframework-connector';

type ServiceClientCredentials = Awaited<ReturnType<ServiceClientCredentialsFactory['createCredentials']>>;

/**
 * Outbound credentials that sign every reply with a fixed bearer token instead of asking Entra ID
 * for one, so a bot with authentication on can answer a local connector without any network.
 */
export class FixedTokenCredentialFactory extends PasswordServiceClientCredentialFactory {
  constructor(
    appId: string,
    tenantId: string,
    private readonly token: string,
  ) {
    super(appId, 'not-used', tenantId);
  }

  override async createCredentials(): Promise<ServiceClientCredentials> {
    return {
      signRequest: async (request) => {
        request.headers.set('Authorization', `Bearer ${this.token}`);
        return request;
      },
    };
  }
}
