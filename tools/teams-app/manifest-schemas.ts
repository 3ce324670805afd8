import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { z } from 'zod';

/** Manifest versions whose schemas the offline validator bundles (it has none for 1.18). */
const RECOMMENDED_MANIFEST_VERSIONS = '1.17 or 1.19 and later';

const versionOnly = z.object({ manifestVersion: z.string() });

/**
 * Validates manifest.json text against the official schema of its `manifestVersion`. The schema is
 * loaded from the validator package and passed in, so validation never goes to the network.
 */
export async function validateManifestText(manifestText: string): Promise<string[]> {
  const parsed = parseJson('manifest.json', manifestText);
  if (!parsed.ok) return [parsed.problem];
  const version = versionOnly.safeParse(parsed.value);
  if (!version.success) return ['manifest.json has no manifestVersion: set it to 1.17'];
  const schemaText = await readBundledSchema(version.data.manifestVersion, 'MicrosoftTeams.schema.json');
  if (schemaText === undefined) return [noSchemaProblem(version.data.manifestVersion)];
  const errors = await AppManifestUtils.validateAgainstSchema(JSON.parse(manifestText), JSON.parse(schemaText, repairPattern));
  return errors.map((error) => `manifest.json does not match the v${version.data.manifestVersion} schema: ${error.trim()}`);
}

/** Validates a localization file's text against the localization schema of the same manifest version. */
export async function validateLocalizationText(fileName: string, text: string, manifestVersion: string): Promise<string[]> {
  const parsed = parseJson(fileName, text);
  if (!parsed.ok) return [parsed.problem];
  const schemaText = await readBundledSchema(manifestVersion, 'MicrosoftTeams.Localization.schema.json');
  if (schemaText === undefined) return [noSchemaProblem(manifestVersion)];
  const errors = await AppManifestUtils.validateAgainstSchema(JSON.parse(text), JSON.parse(schemaText, repairPattern));
  return errors.map((error) => `${fileName} does not match the v${manifestVersion} localization schema: ${error.trim()}`);
}

/** Parses JSON, turning a syntax error into a problem line. */
export function parseJson(fileName: string, text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, problem: `${fileName} is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

function noSchemaProblem(version: string): string {
  return `manifest version ${version} has no schema bundled with the offline validator: use ${RECOMMENDED_MANIFEST_VERSIONS}`;
}

/**
 * The published localization schemas contain patterns such as `activityTypes\[\b(…)\b]` with a lone `]`.
 * That is a literal `]` in a plain JavaScript RegExp, but the validator compiles patterns in unicode mode,
 * where it is a syntax error and the whole schema fails to compile. Escaping every `]` that does not close
 * a character class keeps the meaning and makes the pattern valid in both modes.
 */
export function escapeLoneBrackets(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i];
    if (char === '\\') {
      out += pattern.slice(i, i + 2);
      i += 1;
    } else if (char === '[' && !inClass) {
      inClass = true;
      out += char;
    } else if (char === ']') {
      out += inClass ? char : '\\]';
      inClass = false;
    } else {
      out += char;
    }
  }
  return out;
}

/** JSON.parse reviver: applies escapeLoneBrackets to every `pattern` value and `patternProperties` key. */
function repairPattern(key: string, value: unknown): unknown {
  if (key === 'pattern' && typeof value === 'string') return escapeLoneBrackets(value);
  if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([pattern, schema]) => [escapeLoneBrackets(pattern), schema]));
  }
  return value;
}

async function readBundledSchema(version: string, fileName: string): Promise<string | undefined> {
  // The version comes from a file we build, but keep it from walking out of the schema folder.
  if (!/^\d+\.\d+$/.test(version)) return undefined;
  const packageDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const schemaPath = path.join(packageDir, 'build', 'json-schemas', 'teams', `v${version}`, fileName);
  if (!existsSync(schemaPath)) return undefined;
  // The published schemas contain `\a` and `\v` escapes that JSON does not allow; the validator rewrites them the same way.
  return (await readFile(schemaPath, 'utf8')).replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
}
