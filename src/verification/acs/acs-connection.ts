import type { TokenCredential } from '@azure/identity';

/**
 * How to reach an Azure Communication Services resource: its connection string
 * (`endpoint=https://….communication.azure.com/;accesskey=…`), or its endpoint plus an Entra
 * credential (for example `DefaultAzureCredential` for a managed identity).
 */
export type AcsConnection = string | { readonly endpoint: string; readonly credential: TokenCredential };

/** The HTTP status of an Azure SDK error, if it carries one. */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number') {
    return error.statusCode;
  }
  return undefined;
}

/** A short, secret-free description of an SDK failure for the log. */
export function describeError(error: unknown): { name: string; statusCode?: number; code?: string } {
  const statusCode = statusCodeOf(error);
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const name = error instanceof Error ? error.name : typeof error;
  return { name, ...(statusCode !== undefined ? { statusCode } : {}), ...(code !== undefined ? { code } : {}) };
}
