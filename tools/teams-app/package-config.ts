import { z } from 'zod';
import { type Env, NEW_GUID_HINT, issuesToProblems, publicBaseUrl, requiredGuid, requiredHttpsUrl, requiredText } from './env-rules';

/** Everything the app package needs from configuration. */
export interface PackageConfig {
  /** The Teams app's own id (manifest `id`). */
  readonly teamsAppId: string;
  /** The bot's Entra app id (manifest `bots[0].botId`). */
  readonly botAppId: string;
  /** The bot's public https address; its host becomes the manifest's valid domain. */
  readonly publicBaseUrl: string;
  readonly privacyUrl: string;
  readonly termsUrl: string;
  readonly developerName: string;
  readonly websiteUrl: string;
  /** The app version (MAJOR.MINOR.PATCH); Teams needs a higher one for every update. */
  readonly version: string;
}

/** Either the config or every problem found in the environment. */
export type PackageConfigResult = { readonly ok: true; readonly config: PackageConfig } | { readonly ok: false; readonly problems: readonly string[] };

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

const packageEnvSchema = z.object({
  TEAMS_APP_ID: requiredGuid('TEAMS_APP_ID', `set it to a new GUID (e.g. from \`${NEW_GUID_HINT}\`) and keep it for every later version of the app`),
  MICROSOFT_APP_ID: requiredGuid('MICROSOFT_APP_ID', "set it to the Application (client) ID of the bot's Entra app (the Azure Bot's Microsoft App ID)"),
  PUBLIC_BASE_URL: publicBaseUrl('PUBLIC_BASE_URL', "set it to the bot's public https address, e.g. https://bot.example.com"),
  PRIVACY_URL: requiredHttpsUrl('PRIVACY_URL', "set it to your organization's privacy statement, e.g. https://example.com/privacy"),
  TERMS_URL: requiredHttpsUrl('TERMS_URL', "set it to the app's terms of use, e.g. https://example.com/terms"),
  APP_DEVELOPER_NAME: requiredText('APP_DEVELOPER_NAME', 32, 'set it to the name users see as the publisher, e.g. "Contoso IT"'),
  APP_WEBSITE_URL: requiredHttpsUrl('APP_WEBSITE_URL', 'set it to the support page for the app, e.g. https://example.com/it-help'),
  APP_VERSION: requiredText('APP_VERSION', 256, 'set it to MAJOR.MINOR.PATCH, e.g. 1.0.0').refine(
    (value) => typeof value !== 'string' || VERSION.test(value),
    'APP_VERSION is not MAJOR.MINOR.PATCH: use e.g. 1.0.0 and raise it for every update you upload',
  ),
});

/** Reads the package config from the environment; `defaultVersion` is used when APP_VERSION is unset. */
export function parsePackageConfig(env: Env, defaultVersion: string): PackageConfigResult {
  const appVersion = env.APP_VERSION?.trim() ? env.APP_VERSION : defaultVersion;
  const parsed = packageEnvSchema.safeParse({ ...env, APP_VERSION: appVersion });
  if (!parsed.success) return { ok: false, problems: issuesToProblems(parsed.error) };
  const e = parsed.data;
  return {
    ok: true,
    config: {
      teamsAppId: e.TEAMS_APP_ID,
      botAppId: e.MICROSOFT_APP_ID,
      publicBaseUrl: e.PUBLIC_BASE_URL,
      privacyUrl: e.PRIVACY_URL,
      termsUrl: e.TERMS_URL,
      developerName: e.APP_DEVELOPER_NAME,
      websiteUrl: e.APP_WEBSITE_URL,
      version: e.APP_VERSION,
    },
  };
}
