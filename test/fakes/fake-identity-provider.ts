import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

// Written out here on purpose: the fake must not borrow constants from the code under test.
const CHANNEL_ISSUER = 'https://api.botframework.com';
const CONFIG_PATH = '/v1/.well-known/openidconfiguration';
const KEYS_PATH = '/v1/.well-known/keys';

/** An RSA signing key with the key id it is published (or forged) under. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** What to put in a channel token; everything defaults to a valid token for the app. */
export interface TokenOptions {
  readonly serviceUrl: string;
  readonly audience?: string;
  readonly issuer?: string;
  /** Seconds from now; negative for a token that has already expired. */
  readonly expiresInSeconds?: number;
  /** Signs with this key instead of the published one (its kid goes in the header). */
  readonly key?: SigningKey;
  readonly algorithm?: jwt.Algorithm;
}

/** A fresh 2048-bit RSA key pair under the given (or a random) key id. */
export function newSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/**
 * How the host behaves: answering, answering 503 (an outage behind a front end), or accepting
 * connections and never answering (a stalled host; requests wait until the client gives up).
 */
export type IdentityProviderMode = 'ok' | 'unavailable' | 'hang';

/**
 * The Bot Framework's token service on loopback http: OpenID configuration and JWKS for one
 * published key, plus minting channel tokens as the Bot Connector sends them to a bot.
 * Shapes from "Authenticate requests with the Bot Connector API", steps 2 and 3 (the metadata's
 * jwks_uri; RSA keys with kid, n, e and the channels in endorsements):
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 * The connector caches metadata per URL for the whole process, so use one instance (one port) per key.
 */
export class FakeIdentityProvider {
  readonly key: SigningKey = newSigningKey();
  /** Paths requested, in order, for assertions on caching. */
  readonly requests: string[] = [];
  /** The keys in the JWKS (the one `key`, unless a test rotates keys). */
  published: SigningKey[] = [this.key];
  /** How the next requests are answered. */
  mode: IdentityProviderMode = 'ok';
  /** When set, requests after the first `requests` are answered in `mode` (e.g. a later fetch hangs). */
  switchAfter?: { readonly requests: number; readonly mode: IdentityProviderMode };

  private constructor(
    private readonly server: Server,
    private readonly port: number,
  ) {}

  static async start(): Promise<FakeIdentityProvider> {
    let idp: FakeIdentityProvider | undefined;
    const server = createServer((req, res) => idp?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    idp = new FakeIdentityProvider(server, (server.address() as AddressInfo).port);
    return idp;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops listening while keeping the port: connections are refused until resume(). */
  async refuseConnections(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again on the same port, answering as `mode` says. */
  async resume(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  get metadataUrl(): string {
    return `${this.baseUrl}${CONFIG_PATH}`;
  }

  /**
   * Settings for ConfigurationBotFrameworkAuthentication that point inbound validation here. Setting
   * any endpoint makes the factory treat all of them as intentional, so every one is set.
   */
  botFrameworkSettings(appId: string, tenantId: string): Record<string, string | boolean> {
    return {
      MicrosoftAppId: appId,
      MicrosoftAppPassword: 'not-used-outbound-is-faked',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: tenantId,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: CHANNEL_ISSUER,
      ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
      OAuthUrl: CHANNEL_ISSUER,
      ToBotFromChannelOpenIdMetadataUrl: this.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: this.metadataUrl,
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    };
  }

  /** A channel token like the Bot Connector's (RS256, iss api.botframework.com, serviceurl claim). */
  mintToken(appId: string, options: TokenOptions): string {
    const key = options.key ?? this.key;
    return jwt.sign({ serviceurl: options.serviceUrl }, key.privateKey, {
      algorithm: options.algorithm ?? 'RS256',
      keyid: key.kid,
      issuer: options.issuer ?? CHANNEL_ISSUER,
      audience: options.audience ?? appId,
      expiresIn: options.expiresInSeconds ?? 600,
    });
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    this.requests.push(path);
    const mode = this.switchAfter && this.requests.length > this.switchAfter.requests ? this.switchAfter.mode : this.mode;
    if (mode === 'hang') return;
    if (mode === 'unavailable') {
      res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '10' });
      res.end('<html><body>Service Unavailable</body></html>');
      return;
    }
    if (req.method !== 'GET') return this.answer(res, 405, { error: 'method_not_allowed' });
    if (path === CONFIG_PATH) {
      return this.answer(res, 200, {
        issuer: CHANNEL_ISSUER,
        authorization_endpoint: `${this.baseUrl}/v1/authorize`,
        jwks_uri: `${this.baseUrl}${KEYS_PATH}`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (path === KEYS_PATH) {
      const keys = this.published.map((key) => {
        const jwk = key.publicKey.export({ format: 'jwk' });
        return { kty: 'RSA', use: 'sig', kid: key.kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] };
      });
      return this.answer(res, 200, { keys });
    }
    this.answer(res, 404, { error: 'not_found' });
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
