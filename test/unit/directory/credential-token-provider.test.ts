import type { AccessToken, TokenCredential } from '@azure/identity';
import { Writable } from 'node:stream';
import { CredentialTokenProvider } from '../../../src/directory/credential-token-provider';
import { DirectoryError } from '../../../src/directory/phone-directory';
import { createLogger } from '../../../src/logging/logger';

const logger = createLogger({ level: 'silent', pretty: false, destination: new Writable({ write: (_c, _e, done) => done() }) });

/** A credential that answers like a managed identity endpoint would. */
class FakeCredential implements TokenCredential {
  scopes: string[] = [];
  constructor(private readonly answer: () => Promise<AccessToken | null>) {}
  getToken(scopes: string | string[]): Promise<AccessToken | null> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return this.answer();
  }
}

describe('CredentialTokenProvider (managed identity)', () => {
  it('asks for a Graph token and returns it', async () => {
    const credential = new FakeCredential(async () => ({ token: 'msi-graph-token-value', expiresOnTimestamp: Date.now() + 3600_000 }));
    await expect(new CredentialTokenProvider(credential, logger).getAccessToken()).resolves.toBe('msi-graph-token-value');
    expect(credential.scopes).toEqual(['https://graph.microsoft.com/.default']);
  });

  it.each([
    [
      'fails',
      async () => {
        throw new Error('ManagedIdentityCredential: no endpoint');
      },
    ],
    ['answers nothing', async () => null],
  ])('turns a credential that %s into a directory error', async (_name, answer) => {
    const error = await new CredentialTokenProvider(new FakeCredential(answer), logger).getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('graph_error');
  });
});
