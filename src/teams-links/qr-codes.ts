import QRCode from 'qrcode';

/** A QR code of one URL, as PNG bytes and as SVG text. */
export interface QrCodes {
  readonly png: Buffer;
  readonly svg: string;
}

/** Pixel width of the PNG: large enough to print on a poster without blurring. */
export const QR_PNG_WIDTH = 512;

// Medium error correction survives a smudged poster; the 4-module margin is the quiet zone scanners need.
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** Encodes the URL as a QR code; the same URL always gives the same bytes. */
export async function createQrCodes(url: string): Promise<QrCodes> {
  const [png, svg] = await Promise.all([
    QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', width: QR_PNG_WIDTH }),
    QRCode.toString(url, { ...QR_OPTIONS, type: 'svg' }),
  ]);
  return { png, svg };
}
