import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { z } from 'zod';
import { fillTemplate } from './fill-template';
import { ICON_FILES } from './generate-icons';
import { parseJson } from './manifest-schemas';
import type { PackageConfig } from './package-config';
import { validateIcons } from './validate-icons';
import { type LocalizationFile, validateManifest } from './validate-manifest';
import { validateZipLayout } from './validate-zip-layout';

/** Where the package builder reads from and writes to. */
export interface BuildAppPackageOptions {
  /** Folder holding manifest.template.json, one `<file>.template.json` per localization file, and the icons. */
  readonly manifestDir: string;
  /** The zip to write, e.g. build/appPackage.zip. */
  readonly outputFile: string;
  readonly config: PackageConfig;
}

/** The written package, or every problem that stopped it. */
export type BuildAppPackageResult =
  | { readonly ok: true; readonly outputFile: string; readonly entries: readonly string[]; readonly manifest: string }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The manifest template's file name inside the manifest folder. */
const MANIFEST_TEMPLATE = 'manifest.template.json';

// A fixed timestamp makes the same inputs give the same zip bytes, so a rebuilt package is comparable.
const ZIP_DATE = new Date(Date.UTC(2024, 0, 1));

const localizationList = z.object({
  localizationInfo: z.object({ additionalLanguages: z.array(z.object({ file: z.string() })).default([]) }).optional(),
});

/**
 * Fills the manifest templates from config, validates the manifest, localization files and icons, and
 * only then writes the zip (files at its root) and reads it back. Every problem is reported at once.
 */
export async function buildAppPackage(options: BuildAppPackageOptions): Promise<BuildAppPackageResult> {
  const { manifestDir, config } = options;
  const problems: string[] = [];
  const shown = (file: string): string => path.join(path.basename(manifestDir), file);
  const read = async (file: string, fix: string): Promise<Buffer | undefined> => {
    const filePath = path.join(manifestDir, file);
    if (existsSync(filePath)) return readFile(filePath);
    problems.push(`${shown(file)} is missing: ${fix}`);
    return undefined;
  };

  const values = templateValues(config);
  const manifestTemplate = await read(MANIFEST_TEMPLATE, 'restore it from version control');
  const color = await read(ICON_FILES.color, 'run npm run icons');
  const outline = await read(ICON_FILES.outline, 'run npm run icons');
  if (color && outline) problems.push(...validateIcons({ color, outline }));
  if (!manifestTemplate) return { ok: false, problems };

  const manifest = fillTemplate(shown(MANIFEST_TEMPLATE), manifestTemplate.toString('utf8'), values);
  problems.push(...manifest.problems);

  const localizations: LocalizationFile[] = [];
  for (const fileName of localizationFileNames(manifest.text)) {
    if (path.basename(fileName) !== fileName || !fileName.endsWith('.json')) {
      problems.push(`manifest.json lists the localization file "${fileName}": use a plain file name ending in .json, at the package root`);
      continue;
    }
    const templateName = fileName.replace(/\.json$/, '.template.json');
    const template = await read(templateName, `add it next to ${MANIFEST_TEMPLATE} or remove ${fileName} from localizationInfo`);
    if (!template) continue;
    const filled = fillTemplate(shown(templateName), template.toString('utf8'), values);
    problems.push(...filled.problems);
    localizations.push({ fileName, text: filled.text });
  }

  problems.push(
    ...(await validateManifest(manifest.text, localizations, {
      teamsAppId: config.teamsAppId,
      botAppId: config.botAppId,
      validDomain: publicHost(config),
      iconFiles: ICON_FILES,
    })),
  );
  if (problems.length > 0 || !color || !outline) return { ok: false, problems };

  const files: ReadonlyArray<readonly [string, string | Buffer]> = [
    ['manifest.json', manifest.text],
    [ICON_FILES.color, color],
    [ICON_FILES.outline, outline],
    ...localizations.map((file) => [file.fileName, file.text] as const),
  ];
  const zip = new JSZip();
  for (const [name, content] of files) zip.file(name, content, { date: ZIP_DATE, createFolders: false });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'DOS' });
  await mkdir(path.dirname(options.outputFile), { recursive: true });
  await writeFile(options.outputFile, bytes);

  const entries = files.map(([name]) => name);
  const layoutProblems = await validateZipLayout(await readFile(options.outputFile), entries);
  if (layoutProblems.length > 0) {
    // A package that failed its own read-back must not be left where someone could upload it.
    await rm(options.outputFile, { force: true });
    return { ok: false, problems: layoutProblems };
  }
  return { ok: true, outputFile: options.outputFile, entries, manifest: manifest.text };
}

/** The `{{NAME}}` values the templates may use. */
export function templateValues(config: PackageConfig): Record<string, string> {
  return {
    TEAMS_APP_ID: config.teamsAppId,
    MICROSOFT_APP_ID: config.botAppId,
    PUBLIC_HOST: publicHost(config),
    PRIVACY_URL: config.privacyUrl,
    TERMS_URL: config.termsUrl,
    APP_DEVELOPER_NAME: config.developerName,
    APP_WEBSITE_URL: config.websiteUrl,
    APP_VERSION: config.version,
  };
}

function publicHost(config: PackageConfig): string {
  return new URL(config.publicBaseUrl).hostname;
}

function localizationFileNames(manifestText: string): string[] {
  const parsed = parseJson('manifest.json', manifestText);
  if (!parsed.ok) return [];
  const list = localizationList.safeParse(parsed.value);
  return list.success ? (list.data.localizationInfo?.additionalLanguages ?? []).map((language) => language.file) : [];
}
