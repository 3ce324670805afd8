import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Agent } from 'undici';
import { GraphPhoneDirectory } from '../../../src/directory/graph-phone-directory';
import { GraphTokenProvider } from '../../../src/directory/graph-token-provider';
import { DirectoryError } from '../../../src/directory/phone-directory';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent } from '../../fakes/test-tls';
import { createCollectingLogger } from './log-sink';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '9a3c1d0e-1111-4222-8333-444455556666';
const SECRET = 'client-secret-value-Qx7~';
const ISSUED_TOKEN = 'eyJ0eXAiOiJKV1QifQ.app-only-graph-token.sig';

interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Stands in for Entra's token endpoint at MSAL's network seam. */
class FakeEntraNetwork implements INetworkModule {
  readonly posts: { url: URL; body: URLSearchParams }[] = [];
  readonly gets: string[] = [];
  constructor(private readonly answer: TokenAnswer | Error) {}

  async sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
    this.gets.push(url);
    return { status: 404, headers: {}, body: JSON.parse('{}') };
  }

  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const parsed = new URL(url);
    this.posts.push({ url: parsed, body: new URLSearchParams(options?.body ?? '') });
    if (this.answer instanceof Error) throw this.answer;
    // Match on the pathname: the URL carries a client-request-id query string.
    if (parsed.pathname !== `/${TENANT}/oauth2/v2.0/token`) {
      return { status: 400, headers: {}, body: JSON.parse('{"error":"invalid_request"}') };
    }
    // MSAL wants the parsed JSON object; a JSON round trip gives it without naming T.
    return { status: this.answer.status, headers: {}, body: JSON.parse(JSON.stringify(this.answer.body)) };
  }
}

const GOOD: TokenAnswer = { status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: ISSUED_TOKEN } };

function provider(network: INetworkModule) {
  const log = createCollectingLogger();
  const tokens = new GraphTokenProvider({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    tenantId: TENANT,
    logger: log.logger,
    networkClient: network,
  });
  return { tokens, log };
}

async function rejectionOf(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DirectoryError) return error;
    throw error;
  }
  throw new Error('expected a DirectoryError, but the call succeeded');
}

describe('GraphTokenProvider', () => {
  it('gets an app-only Graph token by client credentials and caches it', async () => {
    const network = new FakeEntraNetwork(GOOD);
    const { tokens } = provider(network);

    const first = await tokens.getAccessToken();
    const second = await tokens.getAccessToken();

    expect(first).toBe(ISSUED_TOKEN);
    expect(second).toBe(ISSUED_TOKEN);
    expect(network.posts).toHaveLength(1);
    const [post] = network.posts;
    expect(post?.url.origin).toBe('https://login.microsoftonline.com');
    expect(post?.url.pathname).toBe(`/${TENANT}/oauth2/v2.0/token`);
    expect(post?.body.get('grant_type')).toBe('client_credentials');
    expect(post?.body.get('client_id')).toBe(CLIENT_ID);
    expect(post?.body.get('client_secret')).toBe(SECRET);
    expect(post?.body.get('scope')).toBe('https://graph.microsoft.com/.default');
  });

  it('uses the configured authority host', async () => {
    const network = new FakeEntraNetwork(GOOD);
    const log = createCollectingLogger();
    const tokens = new GraphTokenProvider({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      tenantId: TENANT,
      logger: log.logger,
      networkClient: network,
      authorityHost: 'https://login.microsoftonline.us/',
    });
    await tokens.getAccessToken();
    expect(network.posts.at(-1)?.url.origin).toBe('https://login.microsoftonline.us');
  });

  it('turns invalid_client into permission_denied without logging the secret', async () => {
    const network = new FakeEntraNetwork({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
        error_codes: [7000215],
      },
    });
    const { tokens, log } = provider(network);
    const error = await rejectionOf(tokens.getAccessToken());
    expect(error.code).toBe('permission_denied');
    expect(error.message).toBe('Token request failed: invalid_client');
    expect(log.lines.join('\n')).toContain('invalid_client');
    expect(log.lines.join('\n')).not.toContain(SECRET);
  });

  it('refuses an empty token instead of handing it to Graph', async () => {
    const { tokens } = provider(new FakeEntraNetwork({ status: 404, body: {} }));
    const error = await rejectionOf(tokens.getAccessToken());
    expect(error.code).toBe('graph_error');
  });

  it('reports a network failure as graph_error', async () => {
    const { tokens } = provider(new FakeEntraNetwork(new Error('getaddrinfo ENOTFOUND login.microsoftonline.com')));
    const error = await rejectionOf(tokens.getAccessToken());
    expect(error.code).toBe('graph_error');
  });

  it("puts MSAL's token on the Graph requests", async () => {
    const tls = await createTestTls();
    const fake = await FakeGraphServer.start({ tls, expectedToken: ISSUED_TOKEN });
    const agent: Agent = createTrustingAgent(tls.cert);
    try {
      const { tokens, log } = provider(new FakeEntraNetwork(GOOD));
      const directory = new GraphPhoneDirectory({
        tokenProvider: tokens,
        baseUrl: fake.baseUrl,
        fetchOptions: { dispatcher: agent },
        logger: log.logger,
      });
      await directory.addPhoneMethod('u1', { phoneType: 'mobile', phoneNumber: '+1 2065555555' });
      expect(await directory.listPhoneMethods('u1')).toHaveLength(1);
      expect(fake.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${ISSUED_TOKEN}`, `Bearer ${ISSUED_TOKEN}`]);
      expect(log.lines.join('\n')).not.toContain(ISSUED_TOKEN);
    } finally {
      await fake.close();
      await agent.close();
    }
  });
});
