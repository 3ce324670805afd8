import { stripTrailing } from '../text/strip-trailing';

const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** The page where a tenant admin grants the app's configured permissions in one step. */
export function adminConsentUrl(options: { readonly tenantId: string; readonly appId: string; readonly authorityHost?: string }): string {
  const host = stripTrailing(options.authorityHost ?? DEFAULT_AUTHORITY_HOST, '/');
  return `${host}/${encodeURIComponent(options.tenantId)}/adminconsent?client_id=${encodeURIComponent(options.appId)}`;
}
