import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ICON_BACKGROUND, generateIcons, renderColorIcon, renderOutlineIcon } from '../../../tools/teams-app/generate-icons';
import { isOnPhoneShieldGlyph } from '../../../tools/teams-app/phone-shield-glyph';
import { validateIcons } from '../../../tools/teams-app/validate-icons';
import { MANIFEST_DIR, tempDir } from './package-fixtures';

function pixel(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  return [...png.data.subarray(i, i + 4)];
}

describe('generated icons', () => {
  it('draws a 192×192 opaque colour icon: background in the corners, white glyph inside', () => {
    const png = PNG.sync.read(renderColorIcon());
    expect([png.width, png.height]).toEqual([192, 192]);
    const background = [0x2a, 0x5c, 0xaa, 255];
    expect(ICON_BACKGROUND.toLowerCase()).toBe('#2a5caa');
    expect(pixel(png, 0, 0)).toEqual(background);
    expect(pixel(png, 191, 191)).toEqual(background);
    let white = 0;
    let notOpaque = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i + 3] !== 255) notOpaque += 1;
      if (png.data[i] === 255 && png.data[i + 1] === 255 && png.data[i + 2] === 255) white += 1;
    }
    expect(notOpaque).toBe(0);
    // The glyph covers a visible share of the icon, but far from all of it.
    expect(white / (192 * 192)).toBeGreaterThan(0.08);
    expect(white / (192 * 192)).toBeLessThan(0.4);
  });

  it('draws a 32×32 outline icon in white with alpha 0 or 255 only', () => {
    const png = PNG.sync.read(renderOutlineIcon());
    expect([png.width, png.height]).toEqual([32, 32]);
    const alphas = new Set<number>();
    let visibleNotWhite = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      alphas.add(png.data[i + 3]!);
      if (png.data[i + 3] === 255 && (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255)) visibleNotWhite += 1;
    }
    expect([...alphas].sort((a, b) => a - b)).toEqual([0, 255]);
    expect(visibleNotWhite).toBe(0);
    expect(pixel(png, 0, 0)[3]).toBe(0);
  });

  it.each([
    ['phone frame, left edge', 0.14, 0.5, true],
    ['inside the phone screen', 0.34, 0.5, false],
    ['shield body', 0.55, 0.5, true],
    ['check mark cut out of the shield', 0.67, 0.81, false],
    ['outside everything', 0.95, 0.05, false],
  ])('glyph geometry: %s', (_name, x, y, on) => {
    expect(isOnPhoneShieldGlyph(x, y)).toBe(on);
  });

  it('the committed manifest icons are exactly what the generator draws, and pass validation', async () => {
    const color = await readFile(path.join(MANIFEST_DIR, 'color.png'));
    const outline = await readFile(path.join(MANIFEST_DIR, 'outline.png'));
    expect(color.equals(renderColorIcon())).toBe(true);
    expect(outline.equals(renderOutlineIcon())).toBe(true);
    expect(validateIcons({ color, outline })).toEqual([]);
  });

  it('writes both files into the given folder', async () => {
    const out = await tempDir();
    try {
      const written = await generateIcons(path.join(out.dir, 'nested'));
      expect(path.basename(written.color)).toBe('color.png');
      expect(PNG.sync.read(await readFile(written.outline)).width).toBe(32);
    } finally {
      await out.dispose();
    }
  });
});
