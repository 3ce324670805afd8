import { PNG } from 'pngjs';
import { renderColorIcon, renderOutlineIcon } from '../../../tools/teams-app/generate-icons';
import { validateIcons } from '../../../tools/teams-app/validate-icons';

function png(width: number, height: number, paint: (x: number, y: number) => [number, number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) image.data.set(paint(x, y), (y * width + x) * 4);
  }
  return PNG.sync.write(image);
}

const whiteSquareOnClear = (x: number, y: number): [number, number, number, number] =>
  x > 8 && x < 24 && y > 8 && y < 24 ? [255, 255, 255, 255] : [0, 0, 0, 0];

describe('validateIcons', () => {
  const color = renderColorIcon();
  const outline = renderOutlineIcon();

  it('accepts the generated icons and a hand-made white-on-clear outline', () => {
    expect(validateIcons({ color, outline })).toEqual([]);
    expect(validateIcons({ color, outline: png(32, 32, whiteSquareOnClear) })).toEqual([]);
  });

  it.each<[string, Partial<{ color: Buffer; outline: Buffer }>, RegExp]>([
    ['colour icon of the wrong size', { color: png(96, 96, () => [1, 2, 3, 255]) }, /color\.png is 96×96: it must be 192×192/],
    ['outline of the wrong size', { outline: png(48, 32, whiteSquareOnClear) }, /outline\.png is 48×32: it must be 32×32/],
    [
      'outline with a grey pixel',
      { outline: png(32, 32, (x, y) => (x === 16 && y === 16 ? [128, 128, 128, 255] : whiteSquareOnClear(x, y))) },
      /outline\.png has 1 visible pixel\(s\) that are not white/,
    ],
    [
      'outline with a half-transparent blue edge',
      { outline: png(32, 32, (x, y) => (x === 8 && y === 8 ? [0, 0, 255, 128] : whiteSquareOnClear(x, y))) },
      /not white/,
    ],
    ['outline without transparency', { outline: png(32, 32, () => [255, 255, 255, 255]) }, /outline\.png has no transparent pixels/],
    ['empty outline', { outline: png(32, 32, () => [255, 255, 255, 0]) }, /outline\.png is fully transparent/],
    ['colour icon that is not a PNG', { color: Buffer.from('GIF89a') }, /color\.png is not a readable PNG/],
  ])('rejects %s', (_name, override, expected) => {
    const problems = validateIcons({ color, outline, ...override });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('reports problems in both icons at once', () => {
    expect(validateIcons({ color: png(10, 10, () => [0, 0, 0, 255]), outline: png(32, 32, () => [0, 0, 0, 255]) })).toHaveLength(3);
  });
});
