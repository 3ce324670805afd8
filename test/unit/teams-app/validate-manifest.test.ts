import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { templateValues } from '../../../tools/teams-app/build-app-package';
import { fillTemplate } from '../../../tools/teams-app/fill-template';
import { type ManifestExpectations, validateManifest } from '../../../tools/teams-app/validate-manifest';
import { MANIFEST_DIR, VALID_CONFIG } from './package-fixtures';

// The validator requires strip-bom 5, an ES module Jest cannot load; validation never calls it.
jest.mock('strip-bom', () => ({ __esModule: true, default: (text: string) => text.replace(/^\uFEFF/, '') }));

const EXPECTED: ManifestExpectations = {
  teamsAppId: VALID_CONFIG.teamsAppId,
  botAppId: VALID_CONFIG.botAppId,
  validDomain: 'mfa-bot.contoso.example',
  iconFiles: { color: 'color.png', outline: 'outline.png' },
};

async function filled(file: string): Promise<Record<string, unknown>> {
  const template = await readFile(path.join(MANIFEST_DIR, file), 'utf8');
  return JSON.parse(fillTemplate(file, template, templateValues(VALID_CONFIG)).text);
}

describe('validateManifest', () => {
  let manifest: Record<string, unknown>;
  let ja: Record<string, unknown>;
  beforeEach(async () => {
    manifest = await filled('manifest.template.json');
    ja = await filled('ja-jp.template.json');
  });

  const run = (m: unknown, localizations = [{ fileName: 'ja-jp.json', text: JSON.stringify(ja) }]) =>
    validateManifest(JSON.stringify(m), localizations, EXPECTED);

  it('accepts the filled templates', async () => {
    expect(await run(manifest)).toEqual([]);
  });

  it('insists on one personal-scope bot with the configured id and no files', async () => {
    const bots = [
      {
        ...(Array.isArray(manifest.bots) ? manifest.bots[0] : {}),
        botId: '00000000-0000-4000-8000-000000000000',
        scopes: ['personal', 'team'],
        supportsFiles: true,
      },
    ];
    expect(await run({ ...manifest, bots })).toEqual([
      'manifest.json bots[0].botId is not MICROSOFT_APP_ID: use "{{MICROSOFT_APP_ID}}" in the template',
      'manifest.json bots[0].scopes must be ["personal"]: the bot works in 1:1 chats only',
      'manifest.json bots[0].supportsFiles must be false: the bot never takes files',
    ]);
    expect(await run({ ...manifest, bots: [] })).toContain('manifest.json must declare exactly one bot: restore bots[0] in the template');
  });

  it('insists on the packaged icon names', async () => {
    expect(await run({ ...manifest, icons: { color: 'icons/color.png', outline: 'outline.png' } })).toEqual([
      'manifest.json icons must be "color.png" and "outline.png" at the package root',
    ]);
  });

  it('matches the listed localization files with the packaged ones', async () => {
    const extra = { fileName: 'fr-fr.json', text: JSON.stringify(ja) };
    expect(await run(manifest, [{ fileName: 'ja-jp.json', text: JSON.stringify(ja) }, extra])).toEqual([
      'fr-fr.json is packaged but not listed in manifest.json localizationInfo.additionalLanguages',
    ]);
  });

  it('refuses a translation of a text the manifest does not have', async () => {
    const localizations = [{ fileName: 'ja-jp.json', text: JSON.stringify({ ...ja, 'bots[0].commandLists[0].commands[5].title': '削除' }) }];
    expect(await run(manifest, localizations)).toEqual([
      'ja-jp.json translates "bots[0].commandLists[0].commands[5].title", which is not a text in manifest.json',
    ]);
  });
});
