/** Anything that hands out a Graph access token (the MSAL-backed provider in production). */
export interface AccessTokenSource {
  getAccessToken(): Promise<string>;
}
