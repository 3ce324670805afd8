import { Client, GraphError, RetryHandlerOptions, type FetchOptions } from '@microsoft/microsoft-graph-client';
import { decodeJwtPayload } from './decode-jwt-payload';
import { stripTrailing } from '../../src/text/strip-trailing';
import { fail, ok, warn, type CheckResult } from './check-result';

/** Options for {@link checkTeamsCatalog}. */
export interface TeamsCatalogCheckOptions {
  /** The manifest id (TEAMS_APP_ID); empty when not set. */
  readonly manifestId: string;
  /** TEAMS_CATALOG_APP_ID; empty when not set. */
  readonly catalogAppId: string;
  /** A Graph token, when the doctor has one. */
  readonly token?: string;
  /** Graph root without version. */
  readonly graphBaseUrl: string;
  readonly fetchOptions?: FetchOptions;
}

const WHERE = 'Teams admin center > Teams apps > Manage apps > the app > App ID';
const CATALOG_ROLES = ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All'];

/**
 * Checks the id install links use. An app uploaded to the organisation's catalog is installed by its
 * catalog id, not the manifest id; with AppCatalog.Read.All the doctor looks it up
 * (`GET /appCatalogs/teamsApps?$filter=externalId eq '{manifest id}'`,
 * https://learn.microsoft.com/graph/api/appcatalogs-list-teamsapps) and compares it with TEAMS_CATALOG_APP_ID.
 */
export async function checkTeamsCatalog(options: TeamsCatalogCheckOptions): Promise<CheckResult[]> {
  const { manifestId, catalogAppId } = options;
  if (!manifestId) {
    return [warn('Install link not checked: TEAMS_APP_ID is not set', 'set it to the id in the app package (docs/admin.md §8)')];
  }
  const roles = rolesOf(options.token);
  if (!roles.some((role) => CATALOG_ROLES.includes(role))) {
    return [
      catalogAppId
        ? ok(`Install links use TEAMS_CATALOG_APP_ID ${catalogAppId} (not looked up: AppCatalog.Read.All is not granted)`)
        : warn(
            `Install links use the manifest id ${manifestId}, which opens only a custom app uploaded directly, not one in your organization's catalog`,
            `set TEAMS_CATALOG_APP_ID to the catalog's App ID (${WHERE}), or grant AppCatalog.Read.All and run the doctor again to look it up`,
          ),
    ];
  }

  let found: { readonly id: string; readonly distributionMethod: string } | undefined;
  try {
    found = await lookUp(options, manifestId);
  } catch (error) {
    const status = error instanceof GraphError && error.statusCode > 0 ? ` (${error.statusCode}${error.code ? ` ${error.code}` : ''})` : '';
    return [warn(`Teams app catalog not read${status}`, `set TEAMS_CATALOG_APP_ID by hand (${WHERE})`)];
  }
  if (!found) {
    return [
      warn(
        `No app with manifest id ${manifestId} in the Teams app catalog`,
        'upload build/appPackage.zip in the Teams admin center (docs/admin.md §8); a new upload can take a day or two to be listed',
      ),
    ];
  }
  if (found.distributionMethod !== 'organization') {
    return [ok(`Teams app catalog: the app is listed as ${found.distributionMethod}; install links use its id ${found.id}`)];
  }
  if (!catalogAppId) {
    return [warn(`Your organization's catalog holds the app as ${found.id}, but TEAMS_CATALOG_APP_ID is not set`, `set TEAMS_CATALOG_APP_ID=${found.id} so install links open it`)];
  }
  if (catalogAppId.toLowerCase() !== found.id.toLowerCase()) {
    return [fail(`TEAMS_CATALOG_APP_ID ${catalogAppId} is not the catalog id of the app (${found.id})`, `set TEAMS_CATALOG_APP_ID=${found.id}`)];
  }
  return [ok(`TEAMS_CATALOG_APP_ID matches your organization's catalog (manifest id ${manifestId})`)];
}

async function lookUp(options: TeamsCatalogCheckOptions, manifestId: string): Promise<{ id: string; distributionMethod: string } | undefined> {
  const baseUrl = stripTrailing(options.graphBaseUrl, '/');
  const token = options.token ?? '';
  const client = Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => token },
    baseUrl,
    // The client attaches the bearer token only to Graph hosts and these (hostnames, no port).
    customHosts: new Set([new URL(baseUrl).hostname]),
    ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
  });
  // A GUID was checked by the config loader; quotes are doubled anyway, as OData string literals want.
  const literal = manifestId.replace(/'/g, "''");
  const body: unknown = await client
    .api('/appCatalogs/teamsApps')
    .filter(`externalId eq '${literal}'`)
    .middlewareOptions([new RetryHandlerOptions(0, 0, () => false)])
    .get();
  const value = typeof body === 'object' && body !== null ? Reflect.get(body, 'value') : undefined;
  if (!Array.isArray(value)) return undefined;
  for (const app of value) {
    if (typeof app !== 'object' || app === null) continue;
    const id: unknown = Reflect.get(app, 'id');
    const distributionMethod: unknown = Reflect.get(app, 'distributionMethod');
    if (typeof id === 'string') return { id, distributionMethod: typeof distributionMethod === 'string' ? distributionMethod : 'unknown' };
  }
  return undefined;
}

function rolesOf(token: string | undefined): string[] {
  const claims = token ? decodeJwtPayload(token) : undefined;
  return Array.isArray(claims?.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
}
