import { z } from 'zod';
import { parseJson, validateLocalizationText, validateManifestText } from './manifest-schemas';

/** What the built manifest must say, whatever the template looks like. */
export interface ManifestExpectations {
  readonly teamsAppId: string;
  readonly botAppId: string;
  /** The host that must be listed in validDomains. */
  readonly validDomain: string;
  readonly iconFiles: { readonly color: string; readonly outline: string };
}

/** A localization file as it will sit at the root of the package. */
export interface LocalizationFile {
  readonly fileName: string;
  readonly text: string;
}

const manifestShape = z.object({
  manifestVersion: z.string(),
  id: z.string(),
  icons: z.object({ color: z.string(), outline: z.string() }),
  bots: z.array(z.object({ botId: z.string(), scopes: z.array(z.string()), supportsFiles: z.boolean().optional() })).default([]),
  validDomains: z.array(z.string()).default([]),
  localizationInfo: z.object({ additionalLanguages: z.array(z.object({ languageTag: z.string(), file: z.string() })).default([]) }).optional(),
});

const localizationShape = z.record(z.unknown());

/**
 * Checks the manifest and its localization files against the official schemas, then checks what a
 * schema cannot: ids and domain filled from config, personal scope only, icons and localization files
 * named as packaged, and every localized key pointing at a real manifest string.
 */
export async function validateManifest(manifestText: string, localizations: readonly LocalizationFile[], expected: ManifestExpectations): Promise<string[]> {
  const problems = await validateManifestText(manifestText);
  const parsed = parseJson('manifest.json', manifestText);
  if (!parsed.ok) return problems;
  const shape = manifestShape.safeParse(parsed.value);
  if (!shape.success) return [...problems, 'manifest.json lacks id, icons or manifestVersion: restore them in manifest/manifest.template.json'];
  const manifest = shape.data;

  if (manifest.id !== expected.teamsAppId) problems.push('manifest.json id is not TEAMS_APP_ID: use "{{TEAMS_APP_ID}}" in the template');
  const [bot, ...otherBots] = manifest.bots;
  if (!bot || otherBots.length > 0) {
    problems.push('manifest.json must declare exactly one bot: restore bots[0] in the template');
  } else {
    if (bot.botId !== expected.botAppId) problems.push('manifest.json bots[0].botId is not MICROSOFT_APP_ID: use "{{MICROSOFT_APP_ID}}" in the template');
    if (bot.scopes.length !== 1 || bot.scopes[0] !== 'personal')
      problems.push('manifest.json bots[0].scopes must be ["personal"]: the bot works in 1:1 chats only');
    if (bot.supportsFiles !== false) problems.push('manifest.json bots[0].supportsFiles must be false: the bot never takes files');
  }
  if (!manifest.validDomains.includes(expected.validDomain)) {
    problems.push(`manifest.json validDomains does not list ${expected.validDomain}: use "{{PUBLIC_HOST}}" in the template`);
  }
  if (manifest.icons.color !== expected.iconFiles.color || manifest.icons.outline !== expected.iconFiles.outline) {
    problems.push(`manifest.json icons must be "${expected.iconFiles.color}" and "${expected.iconFiles.outline}" at the package root`);
  }

  const listed = (manifest.localizationInfo?.additionalLanguages ?? []).map((language) => language.file);
  const supplied = localizations.map((file) => file.fileName);
  for (const file of listed.filter((name) => !supplied.includes(name))) {
    problems.push(`manifest.json lists the localization file ${file}, which is not in the package`);
  }
  for (const file of supplied.filter((name) => !listed.includes(name))) {
    problems.push(`${file} is packaged but not listed in manifest.json localizationInfo.additionalLanguages`);
  }

  for (const localization of localizations) {
    problems.push(...(await validateLocalizationText(localization.fileName, localization.text, manifest.manifestVersion)));
    problems.push(...unresolvedLocalizationKeys(localization, parsed.value));
  }
  return problems;
}

/** Keys such as `bots[0].commandLists[0].commands[2].title` must name a string in the manifest. */
function unresolvedLocalizationKeys(localization: LocalizationFile, manifest: unknown): string[] {
  const parsed = parseJson(localization.fileName, localization.text);
  if (!parsed.ok) return [];
  const entries = localizationShape.safeParse(parsed.value);
  if (!entries.success) return [];
  return Object.keys(entries.data)
    .filter((key) => key !== '$schema' && typeof resolvePath(manifest, key) !== 'string')
    .map((key) => `${localization.fileName} translates "${key}", which is not a text in manifest.json`);
}

function resolvePath(root: unknown, key: string): unknown {
  let current: unknown = root;
  for (const segment of key.split('.')) {
    const match = /^([A-Za-z0-9$]+)((?:\[\d+\])*)$/.exec(segment);
    if (!match || !match[1]) return undefined;
    current = child(current, match[1]);
    for (const index of (match[2] ?? '').match(/\d+/g) ?? []) current = child(current, Number(index));
  }
  return current;
}

function child(value: unknown, key: string | number): unknown {
  if (typeof key === 'number') return Array.isArray(value) ? value[key] : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.getOwnPropertyDescriptor(value, key)?.value;
}
