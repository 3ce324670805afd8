import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { isOnPhoneShieldGlyph } from './phone-shield-glyph';

/** Pixel sizes Teams requires for the two app icons. */
export const ICON_SIZES = { color: 192, outline: 32 } as const;

/** File names of the icons, in manifest/ and at the root of the app package. */
export const ICON_FILES = { color: 'color.png', outline: 'outline.png' } as const;

/** Background of the colour icon; also the manifest's accent colour. */
export const ICON_BACKGROUND = '#2A5CAA';

// Samples per pixel side: smooth edges on the colour icon without any drawing library.
const SUPERSAMPLE = 4;

interface GlyphBox {
  readonly offset: number;
  readonly size: number;
}

/** Renders the 192 × 192 colour icon: white glyph on an opaque coloured square. */
export function renderColorIcon(): Buffer {
  const size = ICON_SIZES.color;
  const png = new PNG({ width: size, height: size });
  const background = parseHexColor(ICON_BACKGROUND);
  // Teams crops and rounds the colour icon, so the glyph keeps a generous margin.
  const box = { offset: size * 0.2, size: size * 0.6 };
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const coverage = glyphCoverage(x, y, box);
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(background.r + (255 - background.r) * coverage);
      png.data[i + 1] = Math.round(background.g + (255 - background.g) * coverage);
      png.data[i + 2] = Math.round(background.b + (255 - background.b) * coverage);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/** Renders the 32 × 32 outline icon: white glyph, every other pixel fully transparent (alpha 0 or 255 only). */
export function renderOutlineIcon(): Buffer {
  const size = ICON_SIZES.outline;
  const png = new PNG({ width: size, height: size });
  const box = { offset: 1, size: size - 2 };
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const i = (y * size + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      // Binary alpha: Teams tints the outline icon, and half-transparent edges look muddy there.
      png.data[i + 3] = glyphCoverage(x, y, box) >= 0.5 ? 255 : 0;
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/** Writes color.png and outline.png into the given folder and returns their paths. */
export async function generateIcons(outputDir: string): Promise<{ color: string; outline: string }> {
  await mkdir(outputDir, { recursive: true });
  const color = path.join(outputDir, ICON_FILES.color);
  const outline = path.join(outputDir, ICON_FILES.outline);
  await writeFile(color, renderColorIcon());
  await writeFile(outline, renderOutlineIcon());
  return { color, outline };
}

function glyphCoverage(px: number, py: number, box: GlyphBox): number {
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
    for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
      const x = (px + (sx + 0.5) / SUPERSAMPLE - box.offset) / box.size;
      const y = (py + (sy + 0.5) / SUPERSAMPLE - box.offset) / box.size;
      if (isOnPhoneShieldGlyph(x, y)) hits += 1;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

function parseHexColor(hex: string): { r: number; g: number; b: number } {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: (value >> 16) & 0xff, g: (value >> 8) & 0xff, b: value & 0xff };
}
