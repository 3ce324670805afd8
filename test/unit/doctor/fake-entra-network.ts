import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** An unsigned JWT whose payload holds the given claims: what the doctor reads, not what Graph checks. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ typ: 'JWT', alg: 'none' })}.${encode(claims)}.`;
}

/** What the token endpoint answers. */
export type TokenEndpointAnswer =
  { readonly status: number; readonly body: Record<string, unknown> } | { readonly networkError: string } | { readonly hang: true };

/** Stands in for Entra's token endpoint at MSAL's network seam. */
export class FakeEntraNetwork implements INetworkModule {
  readonly posts: URL[] = [];
  constructor(
    private readonly tenantId: string,
    private readonly answer: TokenEndpointAnswer,
  ) {}

  /** A token endpoint that issues `accessToken`. */
  static issuing(tenantId: string, accessToken: string): FakeEntraNetwork {
    return new FakeEntraNetwork(tenantId, { status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: accessToken } });
  }

  async sendGetRequestAsync<T>(): Promise<NetworkResponse<T>> {
    return { status: 404, headers: {}, body: JSON.parse('{}') };
  }

  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    void options;
    const parsed = new URL(url);
    this.posts.push(parsed);
    if ('networkError' in this.answer) throw new Error(this.answer.networkError);
    if ('hang' in this.answer) return new Promise<NetworkResponse<T>>(() => undefined);
    // Match on the pathname: the URL carries a client-request-id query string.
    if (parsed.pathname !== `/${this.tenantId}/oauth2/v2.0/token`) {
      return { status: 400, headers: {}, body: JSON.parse('{"error":"invalid_request"}') };
    }
    // MSAL wants the parsed JSON object; a JSON round trip gives it without naming T.
    return { status: this.answer.status, headers: {}, body: JSON.parse(JSON.stringify(this.answer.body)) };
  }
}
