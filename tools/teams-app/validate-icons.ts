import { PNG } from 'pngjs';
import { ICON_FILES, ICON_SIZES } from './generate-icons';

/** The two icon files' bytes, as they will go into the package. */
export interface IconBytes {
  readonly color: Buffer;
  readonly outline: Buffer;
}

/**
 * Reads the icons back as Teams would: both must be PNGs of the required size, and the outline icon
 * must be white on a transparent background (any pixel that is not fully transparent is pure white).
 */
export function validateIcons(icons: IconBytes): string[] {
  const problems: string[] = [];
  const color = readPng(ICON_FILES.color, icons.color, problems);
  if (color) checkSize(ICON_FILES.color, color, ICON_SIZES.color, problems);

  const outline = readPng(ICON_FILES.outline, icons.outline, problems);
  if (outline && checkSize(ICON_FILES.outline, outline, ICON_SIZES.outline, problems)) {
    let transparent = 0;
    let notWhite = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const alpha = outline.data[i + 3];
      if (alpha === 0) {
        transparent += 1;
      } else if (outline.data[i] !== 255 || outline.data[i + 1] !== 255 || outline.data[i + 2] !== 255) {
        notWhite += 1;
      }
    }
    const pixels = outline.width * outline.height;
    if (notWhite > 0) problems.push(`${ICON_FILES.outline} has ${notWhite} visible pixel(s) that are not white: draw the glyph in white (#FFFFFF) only`);
    if (transparent === 0) problems.push(`${ICON_FILES.outline} has no transparent pixels: the background must be transparent`);
    if (transparent === pixels) problems.push(`${ICON_FILES.outline} is fully transparent: it needs a white glyph`);
  }
  return problems;
}

function readPng(fileName: string, bytes: Buffer, problems: string[]): PNG | undefined {
  try {
    return PNG.sync.read(bytes);
  } catch (error) {
    problems.push(`${fileName} is not a readable PNG (${error instanceof Error ? error.message : String(error)}): regenerate it with npm run icons`);
    return undefined;
  }
}

function checkSize(fileName: string, png: PNG, size: number, problems: string[]): boolean {
  if (png.width === size && png.height === size) return true;
  problems.push(`${fileName} is ${png.width}×${png.height}: it must be ${size}×${size} pixels`);
  return false;
}
