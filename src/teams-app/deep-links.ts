import { stripTrailing } from '../text/strip-trailing';

/** Teams deep link that opens a 1:1 chat with the bot (`28:` marks a bot id). */
export function chatDeepLink(botAppId: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(botAppId)}`;
}

/** Teams deep link to the app's install page; the tenant pins it to the organization's catalog. */
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
