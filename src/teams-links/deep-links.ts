import { stripTrailing } from '../text/strip-trailing';

/** Teams deep link that opens a 1:1 chat with the bot (`28:` marks a bot id). */
export function chatDeepLink(botAppId: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(botAppId)}`;
}

/**
 * The app id an install link needs: for an app uploaded to the organisation's catalog (Teams admin
 * center) the catalog's own id, which differs from the manifest id; for a custom app uploaded directly,
 * the manifest id. https://learn.microsoft.com/graph/api/appcatalogs-list-teamsapps (id vs externalId)
 */
export function installAppId(ids: { readonly teamsAppId: string; readonly catalogAppId?: string }): string {
  return ids.catalogAppId ? ids.catalogAppId : ids.teamsAppId;
}

/** Where the catalog id is shown, for messages that ask for it. */
export const CATALOG_APP_ID_SOURCE = 'Teams admin center > Teams apps > Manage apps > the app > App ID';

/** Teams deep link to the app's install page (pass {@link installAppId}); the tenant pins it to the organization. */
export function installDeepLink(teamsAppId: string, tenantId?: string): string {
  const base = `https://teams.microsoft.com/l/app/${encodeURIComponent(teamsAppId)}`;
  return tenantId ? `${base}?tenantId=${encodeURIComponent(tenantId)}` : base;
}

/** The short link the helpdesk hands out: `/start` on the bot's own host redirects to the chat. */
export function startUrl(publicBaseUrl: string): string {
  return `${stripTrailing(publicBaseUrl, '/')}/start`;
}

/** The short link that redirects to the install page instead of the chat. */
export function startInstallUrl(publicBaseUrl: string): string {
  return `${startUrl(publicBaseUrl)}?install=1`;
}
