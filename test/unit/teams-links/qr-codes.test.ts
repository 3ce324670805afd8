import { PNG } from 'pngjs';
import { QR_PNG_WIDTH, createQrCodes } from '../../../src/teams-links/qr-codes';

describe('createQrCodes', () => {
  it('gives a square PNG and an SVG', async () => {
    const codes = await createQrCodes('https://bot.contoso.example/start');
    const png = PNG.sync.read(codes.png);
    expect([png.width, png.height]).toEqual([QR_PNG_WIDTH, QR_PNG_WIDTH]);
    expect(codes.svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it('is deterministic for one URL and differs between URLs', async () => {
    const [a, again, b] = await Promise.all([
      createQrCodes('https://bot.contoso.example/start'),
      createQrCodes('https://bot.contoso.example/start'),
      createQrCodes('https://bot.fabrikam.example/start'),
    ]);
    expect(a.png.equals(again.png)).toBe(true);
    expect(a.svg).toBe(again.svg);
    expect(a.png.equals(b.png)).toBe(false);
    expect(a.svg).not.toBe(b.svg);
  });
});
