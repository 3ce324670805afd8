/**
 * The claims of a JWT, read without checking its signature: for diagnostics on a token we just
 * received from Entra over TLS, never for an access decision. Undefined when it is not a JWT.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch (error) {
    // Not JSON inside: the caller reports an unreadable token; the error itself says nothing more.
    void error;
    return undefined;
  }
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? Object.fromEntries(Object.entries(payload)) : undefined;
}
