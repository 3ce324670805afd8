import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { runPackageApp } from '../../../tools/cli/package-app';
import { ROOT_DIR, VALID_ENV, tempDir } from './package-fixtures';

// The validator requires strip-bom 5, an ES module Jest cannot load; validation never calls it.
jest.mock('strip-bom', () => ({ __esModule: true, default: (text: string) => text.replace(/^\uFEFF/, '') }));

describe('package command', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let lines: string[];
  let errors: string[];
  beforeEach(async () => {
    out = await tempDir();
    lines = [];
    errors = [];
  });
  afterEach(async () => {
    await out.dispose();
  });

  const run = (env: Record<string, string | undefined>) =>
    runPackageApp({
      env,
      rootDir: ROOT_DIR,
      outputFile: path.join(out.dir, 'appPackage.zip'),
      print: (line) => lines.push(line),
      printError: (line) => errors.push(line),
    });

  it('writes the package from the environment, versioned from package.json by default', async () => {
    expect(await run({ ...VALID_ENV, APP_VERSION: undefined })).toBe(0);
    expect(errors).toEqual([]);
    expect(lines[0]).toMatch(/^Wrote .*appPackage\.zip \(app version \d+\.\d+\.\d+\)$/);
    const zip = await JSZip.loadAsync(await readFile(path.join(out.dir, 'appPackage.zip')));
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    const packageVersion = JSON.parse(await readFile(path.join(ROOT_DIR, 'package.json'), 'utf8')).version;
    expect(manifest.version).toBe(packageVersion);
  });

  it('exits 1 listing every configuration problem, and writes nothing', async () => {
    expect(await run({ TEAMS_APP_ID: 'abc', PUBLIC_BASE_URL: 'https://localhost' })).toBe(1);
    expect(errors[0]).toBe('The app package needs these settings (in .env or the environment):');
    expect(errors.slice(1).map((line) => line.replace(/^ {2}- /, '').split(':')[0])).toEqual([
      'TEAMS_APP_ID is not a GUID',
      'MICROSOFT_APP_ID is missing',
      'PUBLIC_BASE_URL points to this machine, which Teams cannot reach',
      'PRIVACY_URL is missing',
      'TERMS_URL is missing',
      'APP_DEVELOPER_NAME is missing',
      'APP_WEBSITE_URL is missing',
    ]);
    expect(errors[1]).toContain('node -e "console.log(crypto.randomUUID())"');
    expect(existsSync(path.join(out.dir, 'appPackage.zip'))).toBe(false);
  });
});
