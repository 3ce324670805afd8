import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { buildAppPackage } from '../../../tools/teams-app/build-app-package';
import { validateLocalizationText } from '../../../tools/teams-app/manifest-schemas';
import { MANIFEST_DIR, VALID_CONFIG, copyManifestDir, editJson, tempDir } from './package-fixtures';

// The validator requires strip-bom 5, an ES module Jest cannot load; validation never calls it.
jest.mock('strip-bom', () => ({ __esModule: true, default: (text: string) => text.replace(/^\uFEFF/, '') }));

describe('buildAppPackage', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    out = await tempDir();
  });
  afterEach(async () => {
    await out.dispose();
  });

  it('writes a zip holding exactly manifest.json, the icons and ja-jp.json at its root, filled from config', async () => {
    const outputFile = path.join(out.dir, 'build', 'appPackage.zip');
    const result = await buildAppPackage({ manifestDir: MANIFEST_DIR, outputFile, config: VALID_CONFIG });
    expect(result).toMatchObject({ ok: true, outputFile });

    const zip = await JSZip.loadAsync(await readFile(outputFile));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'ja-jp.json', 'manifest.json', 'outline.png']);
    expect(Object.values(zip.files).some((entry) => entry.dir)).toBe(false);

    const manifestText = await zip.file('manifest.json')!.async('string');
    const manifest = JSON.parse(manifestText);
    expect(manifest.id).toBe(VALID_CONFIG.teamsAppId);
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.bots).toEqual([expect.objectContaining({ botId: VALID_CONFIG.botAppId, scopes: ['personal'], supportsFiles: false })]);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(['add phone', 'my phones', 'help']);
    expect(manifest.validDomains).toEqual(['mfa-bot.contoso.example']);
    expect(manifest.developer).toEqual({
      name: 'Contoso "IT" \\ Helpdesk',
      websiteUrl: 'https://contoso.example/it-help',
      privacyUrl: 'https://contoso.example/privacy',
      termsOfUseUrl: 'https://contoso.example/terms',
    });
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en-us',
      additionalLanguages: [{ languageTag: 'ja-jp', file: 'ja-jp.json' }],
    });
    expect(manifestText).not.toContain('{{');

    // The official validator, with the schema the manifest names (bundled in the package, so no network).
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
    const ja = await zip.file('ja-jp.json')!.async('string');
    expect(await validateLocalizationText('ja-jp.json', ja, '1.17')).toEqual([]);
    expect(JSON.parse(ja)['bots[0].commandLists[0].commands[0].title']).toBe('電話を追加');

    const color = PNG.sync.read(await zip.file('color.png')!.async('nodebuffer'));
    const outline = PNG.sync.read(await zip.file('outline.png')!.async('nodebuffer'));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
  });

  it('gives the same bytes for the same inputs', async () => {
    const first = path.join(out.dir, 'a.zip');
    const second = path.join(out.dir, 'b.zip');
    await buildAppPackage({ manifestDir: MANIFEST_DIR, outputFile: first, config: VALID_CONFIG });
    await buildAppPackage({ manifestDir: MANIFEST_DIR, outputFile: second, config: VALID_CONFIG });
    expect((await readFile(first)).equals(await readFile(second))).toBe(true);
  });

  describe('with problems', () => {
    let copy: Awaited<ReturnType<typeof copyManifestDir>>;
    beforeEach(async () => {
      copy = await copyManifestDir();
    });
    afterEach(async () => {
      await copy.dispose();
    });

    it('lists every problem at once and writes nothing', async () => {
      const outputFile = path.join(out.dir, 'appPackage.zip');
      // Five independent faults: schema (developer name too long), localization schema, icon size,
      // outline transparency and an unknown placeholder.
      const config = { ...VALID_CONFIG, developerName: 'A developer name that is far too long for Teams' };
      await editJson(path.join(copy.dir, 'ja-jp.template.json'), (json) => {
        json['name.short'] = 'とても長い名前'.repeat(6);
      });
      await editJson(path.join(copy.dir, 'manifest.template.json'), (json) => {
        json.accentColor = '{{ACCENT}}';
      });
      const small = new PNG({ width: 100, height: 100 });
      await writeFile(path.join(copy.dir, 'color.png'), PNG.sync.write(small));
      const opaque = new PNG({ width: 32, height: 32 });
      opaque.data.fill(255);
      await writeFile(path.join(copy.dir, 'outline.png'), PNG.sync.write(opaque));

      const result = await buildAppPackage({ manifestDir: copy.dir, outputFile, config });
      if (result.ok) throw new Error('expected problems');
      const text = result.problems.join('\n');
      expect(text).toMatch(/\/developer\/name must NOT have more than 32 characters/);
      expect(text).toMatch(/ja-jp\.json does not match the v1\.17 localization schema: \/name\.short/);
      expect(text).toMatch(/color\.png is 100×100: it must be 192×192/);
      expect(text).toMatch(/outline\.png has no transparent pixels/);
      expect(text).toMatch(/\{\{ACCENT\}\}, which has no value/);
      expect(existsSync(outputFile)).toBe(false);
    });

    it('reports missing icons and a missing localization template', async () => {
      await rm(path.join(copy.dir, 'outline.png'));
      await rm(path.join(copy.dir, 'ja-jp.template.json'));
      const result = await buildAppPackage({ manifestDir: copy.dir, outputFile: path.join(out.dir, 'x.zip'), config: VALID_CONFIG });
      expect(result).toEqual({
        ok: false,
        problems: expect.arrayContaining([
          'manifest/outline.png is missing: run npm run icons',
          expect.stringContaining('manifest/ja-jp.template.json is missing'),
          'manifest.json lists the localization file ja-jp.json, which is not in the package',
        ]),
      });
    });

    it('refuses a template that no longer uses the configured ids and domain', async () => {
      await editJson(path.join(copy.dir, 'manifest.template.json'), (json) => {
        json.id = '00000000-0000-4000-8000-000000000000';
        json.validDomains = ['example.org'];
      });
      const result = await buildAppPackage({ manifestDir: copy.dir, outputFile: path.join(out.dir, 'x.zip'), config: VALID_CONFIG });
      expect(result).toEqual({
        ok: false,
        problems: [
          'manifest.json id is not TEAMS_APP_ID: use "{{TEAMS_APP_ID}}" in the template',
          'manifest.json validDomains does not list mfa-bot.contoso.example: use "{{PUBLIC_HOST}}" in the template',
        ],
      });
    });
  });
});
