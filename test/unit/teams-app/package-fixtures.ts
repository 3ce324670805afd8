import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PackageConfig } from '../../../tools/teams-app/package-config';

/** The repository root, so tests read the real manifest/ folder. */
export const ROOT_DIR = path.resolve(__dirname, '..', '..', '..');
export const MANIFEST_DIR = path.join(ROOT_DIR, 'manifest');

/** A complete, valid environment for the package command. */
export const VALID_ENV = {
  TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  MICROSOFT_APP_ID: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
  PUBLIC_BASE_URL: 'https://mfa-bot.contoso.example/',
  PRIVACY_URL: 'https://contoso.example/privacy',
  TERMS_URL: 'https://contoso.example/terms',
  APP_DEVELOPER_NAME: 'Contoso "IT" \\ Helpdesk',
  APP_WEBSITE_URL: 'https://contoso.example/it-help',
  APP_VERSION: '1.2.3',
} as const;

/** The config VALID_ENV parses to. */
export const VALID_CONFIG: PackageConfig = {
  teamsAppId: VALID_ENV.TEAMS_APP_ID,
  botAppId: VALID_ENV.MICROSOFT_APP_ID,
  publicBaseUrl: VALID_ENV.PUBLIC_BASE_URL,
  privacyUrl: VALID_ENV.PRIVACY_URL,
  termsUrl: VALID_ENV.TERMS_URL,
  developerName: VALID_ENV.APP_DEVELOPER_NAME,
  websiteUrl: VALID_ENV.APP_WEBSITE_URL,
  version: VALID_ENV.APP_VERSION,
};

/** A scratch copy of manifest/ that a test may break; `dispose` removes it. */
export async function copyManifestDir(): Promise<{ dir: string; root: string; dispose: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'teams-app-'));
  const dir = path.join(root, 'manifest');
  await cp(MANIFEST_DIR, dir, { recursive: true });
  return { dir, root, dispose: () => rm(root, { recursive: true, force: true }) };
}

/** Rewrites a JSON file in place. */
export async function editJson(file: string, edit: (json: Record<string, unknown>) => void): Promise<void> {
  const json: Record<string, unknown> = JSON.parse(await readFile(file, 'utf8'));
  edit(json);
  await writeFile(file, JSON.stringify(json, null, 2));
}

/** A fresh temporary folder; `dispose` removes it. */
export async function tempDir(): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'teams-app-out-'));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
