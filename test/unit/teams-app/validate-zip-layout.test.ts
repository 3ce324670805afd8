import JSZip from 'jszip';
import { validateZipLayout } from '../../../tools/teams-app/validate-zip-layout';

async function zipOf(names: readonly string[]): Promise<Buffer> {
  const zip = new JSZip();
  for (const name of names) zip.file(name, 'x');
  return zip.generateAsync({ type: 'nodebuffer' });
}

const EXPECTED = ['manifest.json', 'color.png', 'outline.png'];

describe('validateZipLayout', () => {
  it('accepts exactly the expected files at the root', async () => {
    expect(await validateZipLayout(await zipOf(EXPECTED), EXPECTED)).toEqual([]);
  });

  it('rejects files in folders, strays and missing files', async () => {
    const problems = await validateZipLayout(await zipOf(['app/manifest.json', 'color.png', 'outline.png', 'notes.txt']), EXPECTED);
    expect(problems).toEqual([
      'the app package contains app/, which is not a file at the zip root',
      'the app package contains app/manifest.json, which is not a file at the zip root',
      'the app package contains the unexpected file notes.txt',
      'the app package is missing manifest.json at its root',
    ]);
  });

  it('rejects bytes that are not a zip', async () => {
    expect(await validateZipLayout(Buffer.from('not a zip'), EXPECTED)).toEqual([expect.stringMatching(/^the app package is not a readable zip/)]);
  });
});
