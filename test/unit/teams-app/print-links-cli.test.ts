import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { LINK_FILES, runPrintLinks } from '../../../tools/cli/print-links';
import { createQrCodes } from '../../../src/teams-links/qr-codes';
import { tempDir } from './package-fixtures';

const ENV = {
  PUBLIC_BASE_URL: 'https://mfa-bot.contoso.example',
  MICROSOFT_APP_ID: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
  TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  HELPDESK_CONTACT: 'it-help@contoso.example',
};

describe('links command', () => {
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
    runPrintLinks({ env, outputDir: path.join(out.dir, 'build'), print: (l) => lines.push(l), printError: (l) => errors.push(l) });

  it('prints the links and writes the QR images and the bilingual message', async () => {
    expect(await run(ENV)).toBe(0);
    const printed = lines.join('\n');
    expect(printed).toContain(`https://teams.microsoft.com/l/chat/0/0?users=28:${ENV.MICROSOFT_APP_ID}`);
    expect(printed).toContain(`https://teams.microsoft.com/l/app/${ENV.TEAMS_APP_ID}?tenantId=${ENV.MICROSOFT_APP_TENANT_ID}`);
    expect(printed).toContain('https://mfa-bot.contoso.example/start');

    const build = path.join(out.dir, 'build');
    const png = await readFile(path.join(build, LINK_FILES.png));
    const expected = await createQrCodes('https://mfa-bot.contoso.example/start');
    expect(png.equals(expected.png)).toBe(true);
    expect(PNG.sync.read(png).width).toBeGreaterThan(100);
    expect(await readFile(path.join(build, LINK_FILES.svg), 'utf8')).toBe(expected.svg);

    const message = await readFile(path.join(build, LINK_FILES.message), 'utf8');
    expect(message).toContain('https://mfa-bot.contoso.example/start?install=1');
    expect(message).toContain('Questions: it-help@contoso.example');
    expect(message).toContain('お問い合わせ: it-help@contoso.example');
    expect(printed).toContain(message.trim());
  });

  it('uses the catalog app id for the install page when TEAMS_CATALOG_APP_ID is set, and says where to find it when not', async () => {
    const catalogId = '876df28f-2e78-423b-94a5-44181bd0e225';
    expect(await run({ ...ENV, TEAMS_CATALOG_APP_ID: catalogId })).toBe(0);
    const printed = lines.join('\n');
    expect(printed).toContain(`Install page:          https://teams.microsoft.com/l/app/${catalogId}?tenantId=${ENV.MICROSOFT_APP_TENANT_ID}`);
    expect(printed).not.toContain(`l/app/${ENV.TEAMS_APP_ID}`);
    expect(printed).not.toContain('set TEAMS_CATALOG_APP_ID');

    lines.length = 0;
    expect(await run(ENV)).toBe(0);
    expect(lines.join('\n')).toContain('set TEAMS_CATALOG_APP_ID to Teams admin center > Teams apps > Manage apps > the app > App ID');
    expect(await run({ ...ENV, TEAMS_CATALOG_APP_ID: 'catalog-app' })).toBe(1);
    expect(errors.join('\n')).toContain('TEAMS_CATALOG_APP_ID is not a GUID');
  });

  it('says when the install page is not pinned to a tenant', async () => {
    expect(await run({ ...ENV, MICROSOFT_APP_TENANT_ID: undefined })).toBe(0);
    expect(lines.join('\n')).toContain(`https://teams.microsoft.com/l/app/${ENV.TEAMS_APP_ID}\n`);
    expect(lines.join('\n')).toContain('MICROSOFT_APP_TENANT_ID is not set');
  });

  it('exits 1 listing every problem', async () => {
    expect(await run({ PUBLIC_BASE_URL: 'http://bot.contoso.example' })).toBe(1);
    expect(errors.slice(1).map((line) => line.replace(/^ {2}- /, '').split(':')[0])).toEqual([
      'PUBLIC_BASE_URL is not an absolute https URL without query or fragment',
      'MICROSOFT_APP_ID is missing',
      'TEAMS_APP_ID is missing',
    ]);
    expect(lines).toEqual([]);
  });
});
