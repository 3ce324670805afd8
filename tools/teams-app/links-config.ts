import { z } from 'zod';
import { type Env, NEW_GUID_HINT, issuesToProblems, optionalGuid, optionalText, publicBaseUrl, requiredGuid } from './env-rules';

/** What the helpdesk links need from configuration. */
interface LinksConfig {
  readonly publicBaseUrl: string;
  readonly botAppId: string;
  readonly teamsAppId: string;
  /** Optional: the id the organization's catalog gave the uploaded app; install links need it instead of the manifest id. */
  readonly catalogAppId?: string;
  /** Optional: pins the install page to the organization's tenant. */
  readonly tenantId?: string;
  /** Optional: who employees contact with questions, quoted in the message. */
  readonly helpdeskContact?: string;
}

/** Either the config or every problem found in the environment. */
export type LinksConfigResult = { readonly ok: true; readonly config: LinksConfig } | { readonly ok: false; readonly problems: readonly string[] };

const linksEnvSchema = z.object({
  PUBLIC_BASE_URL: publicBaseUrl('PUBLIC_BASE_URL', "set it to the bot's public https address, e.g. https://bot.example.com"),
  MICROSOFT_APP_ID: requiredGuid('MICROSOFT_APP_ID', "set it to the Application (client) ID of the bot's Entra app (the Azure Bot's Microsoft App ID)"),
  TEAMS_APP_ID: requiredGuid('TEAMS_APP_ID', `set it to the id in the uploaded app package's manifest (a new app gets one from \`${NEW_GUID_HINT}\`)`),
  TEAMS_CATALOG_APP_ID: optionalGuid(
    'TEAMS_CATALOG_APP_ID',
    'copy the App ID from Teams admin center > Teams apps > Manage apps > the app, or leave it empty for a custom app uploaded directly',
  ),
  MICROSOFT_APP_TENANT_ID: optionalGuid('MICROSOFT_APP_TENANT_ID', 'set it to your Directory (tenant) ID or leave it empty'),
  HELPDESK_CONTACT: optionalText(),
});

/** Reads the links config from the environment, listing every problem at once. */
export function parseLinksConfig(env: Env): LinksConfigResult {
  const parsed = linksEnvSchema.safeParse(env);
  if (!parsed.success) return { ok: false, problems: issuesToProblems(parsed.error) };
  const e = parsed.data;
  return {
    ok: true,
    config: {
      publicBaseUrl: e.PUBLIC_BASE_URL,
      botAppId: e.MICROSOFT_APP_ID,
      teamsAppId: e.TEAMS_APP_ID,
      ...(e.TEAMS_CATALOG_APP_ID ? { catalogAppId: e.TEAMS_CATALOG_APP_ID } : {}),
      ...(e.MICROSOFT_APP_TENANT_ID ? { tenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
      ...(e.HELPDESK_CONTACT ? { helpdeskContact: e.HELPDESK_CONTACT } : {}),
    },
  };
}
