import type { FetchOptions } from '@microsoft/microsoft-graph-client';
import { GraphHttp } from '../../src/graph/graph-http';
import { successResponse } from '../../src/graph/graph-outcome';
import { decodeJwtPayload } from './decode-jwt-payload';
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
/** Longest wait for the catalog lookup, as for the doctor's other Graph reads. */
const LOOKUP_TIMEOUT_MS = 10_000;

type CatalogApp = { readonly id: string; readonly distributionMethod: string };

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

  const lookup = await lookUp(options, manifestId);
  if (!lookup.read) return [warn(`Teams app catalog not read${lookup.status}`, `set TEAMS_CATALOG_APP_ID by hand (${WHERE})`)];
  const found = lookup.found;
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
    return [
      warn(
        `Your organization's catalog holds the app as ${found.id}, but TEAMS_CATALOG_APP_ID is not set`,
        `set TEAMS_CATALOG_APP_ID=${found.id} so install links open it`,
      ),
    ];
  }
  if (catalogAppId.toLowerCase() !== found.id.toLowerCase()) {
    return [fail(`TEAMS_CATALOG_APP_ID ${catalogAppId} is not the catalog id of the app (${found.id})`, `set TEAMS_CATALOG_APP_ID=${found.id}`)];
  }
  return [ok(`TEAMS_CATALOG_APP_ID matches your organization's catalog (manifest id ${manifestId})`)];
}

async function lookUp(
  options: TeamsCatalogCheckOptions,
  manifestId: string,
): Promise<{ readonly read: true; readonly found?: CatalogApp } | { readonly read: false; readonly status: string }> {
  const graph = new GraphHttp({
    baseUrl: options.graphBaseUrl,
    timeoutMs: LOOKUP_TIMEOUT_MS,
    ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
  });
  // A GUID was checked by the config loader; quotes are doubled anyway, as OData string literals want.
  const literal = manifestId.replace(/'/g, "''");
  const outcome = await graph.send({ method: 'GET', path: `/appCatalogs/teamsApps?$filter=externalId eq '${literal}'`, token: options.token ?? '' });
  const answer = successResponse(outcome);
  if (!answer) {
    const status = outcome.kind === 'response' ? ` (${outcome.status}${outcome.graphCode ? ` ${outcome.graphCode}` : ''})` : '';
    return { read: false, status };
  }
  const found = firstApp(answer.body);
  return found ? { read: true, found } : { read: true };
}

function firstApp(body: unknown): CatalogApp | undefined {
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
