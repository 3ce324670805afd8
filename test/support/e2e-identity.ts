import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';
import { StrictBotFrameworkAuthentication } from '../../src/server/strict-bot-framework-authentication';
import type { ConnectorSink } from '../fakes/connector-sink';
import { FakeIdentityProvider } from '../fakes/fake-identity-provider';
import { createTestTls, type TestTls } from '../fakes/test-tls';
import { FixedTokenCredentialFactory } from '../fakes/fixed-token-credential-factory';
import { E2E_TENANT, type E2eBotOptions } from './e2e-bot';

const E2E_APP_ID = '3c9d2a41-7f0e-4b6a-9e21-5d8c7b6a4f30';

/**
 * The bot identity of a production-shaped end-to-end deployment: an app id, its tenant and a secret in
 * the environment; inbound tokens checked against a local Bot Framework token service; replies
 * signed with a fixed token. Demo mode may not reach real delivery, so tests of real delivery run here.
 */
export class E2eIdentity {
  private constructor(private readonly idp: FakeIdentityProvider) {}

  /** One token service per test file: the connector caches its metadata per URL, process-wide. */
  static async start(): Promise<E2eIdentity> {
    return new E2eIdentity(await FakeIdentityProvider.start());
  }

  /** The variables that put the service in production mode (a code-hashing secret included). */
  env(): Record<string, string> {
    return {
      MICROSOFT_APP_ID: E2E_APP_ID,
      MICROSOFT_APP_PASSWORD: 'bot-client-secret-not-used-in-tests',
      MICROSOFT_APP_TENANT_ID: E2E_TENANT,
      VERIFICATION_SECRET: 'e2e-verification-secret-of-forty-characters',
    };
  }

  /** Bot Framework authentication for one instance, pointed at the local token service. */
  auth(): StrictBotFrameworkAuthentication {
    return new StrictBotFrameworkAuthentication(this.idp.botFrameworkSettings(E2E_APP_ID, E2E_TENANT), {
      credentialsFactory: new FixedTokenCredentialFactory(E2E_APP_ID, E2E_TENANT, 'e2e-outbound-token'),
    });
  }

  /** How an E2eBot signs what it posts: a fresh channel token for the sink's service URL each time. */
  botOptions(sink: ConnectorSink): E2eBotOptions {
    return { authorization: () => `Bearer ${this.idp.mintToken(E2E_APP_ID, { serviceUrl: sink.serviceUrl })}` };
  }

  async close(): Promise<void> {
    await this.idp.close();
  }
}

/**
 * Registers the jest hooks that give a test file one TLS certificate (for its https front) and one
 * bot identity, and returns a getter for both.
 */
export function useProductionIdentity(): () => { readonly tls: TestTls; readonly identity: E2eIdentity } {
  let started: { tls: TestTls; identity: E2eIdentity } | undefined;
  beforeAll(async () => {
    started = { tls: await createTestTls(), identity: await E2eIdentity.start() };
  });
  afterAll(async () => {
    await started?.identity.close();
  });
  return () => {
    if (!started) throw new Error('the identity starts before the first test');
    return started;
  };
}

/**
 * Production authentication against the fake identity host, its debug log kept in `lines` (tests read
 * what botbuilder's validation said), outbound calls carrying `outboundToken`.
 */
export function authLoggingTo(
  idp: FakeIdentityProvider,
  appId: string,
  outboundToken: string,
  lines: string[],
  keys?: NonNullable<ConstructorParameters<typeof StrictBotFrameworkAuthentication>[1]>['keys'],
): StrictBotFrameworkAuthentication {
  return new StrictBotFrameworkAuthentication(idp.botFrameworkSettings(appId, E2E_TENANT), {
    credentialsFactory: new FixedTokenCredentialFactory(appId, E2E_TENANT, outboundToken),
    logger: createLogger({
      level: 'debug',
      pretty: false,
      destination: new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    }),
    ...(keys ? { keys } : {}),
  });
}
