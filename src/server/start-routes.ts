import { createHash } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../logging/logger';
import { chatDeepLink, installAppId, installDeepLink, startUrl } from '../teams-links/deep-links';
import { type QrCodes, createQrCodes } from '../teams-links/qr-codes';

/** Settings of the helpdesk link routes; any of the ids may be absent in demo mode. */
export interface StartRoutesOptions {
  readonly publicBaseUrl?: string;
  readonly botAppId?: string;
  readonly teamsAppId?: string;
  /** The id the organization's catalog gave the uploaded app; the install link uses it instead of the manifest id. */
  readonly catalogAppId?: string;
  readonly tenantId?: string;
  readonly logger: Pick<Logger, 'info' | 'error'>;
  /** Replaces the QR encoder, e.g. to count calls in a test. */
  readonly createQrCodes?: (url: string) => Promise<QrCodes>;
}

interface ServedImage {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

interface ServedQrCodes {
  readonly png: ServedImage;
  readonly svg: ServedImage;
}

// The QR encodes a URL that only changes with the deployment, so clients may keep it for a day.
const QR_CACHE_CONTROL = 'public, max-age=86400';
const NO_STORE = 'no-store';

/**
 * Registers the short links the helpdesk hands out: `GET /start` redirects to the bot's chat,
 * `GET /start?install=1` to the app's install page, and `/start/qr.png` / `/start/qr.svg` serve a QR code
 * of the start URL. Without the ids (demo mode) these answer 404 with a short page naming the missing settings.
 */
export function registerStartRoutes(server: Server, options: StartRoutesOptions): void {
  const { publicBaseUrl, botAppId, teamsAppId, catalogAppId, tenantId, logger } = options;
  const encode = options.createQrCodes ?? createQrCodes;
  let qrCodes: Promise<ServedQrCodes> | undefined;

  // Built on first use and kept for the life of the process; a failure is not cached so a later request retries.
  const servedQrCodes = (url: string): Promise<ServedQrCodes> => {
    qrCodes ??= encode(url).then(toServed, (error: unknown) => {
      qrCodes = undefined;
      throw error;
    });
    return qrCodes;
  };

  server.get('/start', async (req: Request, res: Response): Promise<void> => {
    const install = new URLSearchParams(req.getQuery()).get('install') === '1';
    if (install) {
      if (!teamsAppId && !catalogAppId) return notConfigured(res, ['TEAMS_APP_ID', 'TEAMS_CATALOG_APP_ID']);
      return redirect(res, installDeepLink(installAppId({ teamsAppId: teamsAppId ?? '', ...(catalogAppId ? { catalogAppId } : {}) }), tenantId));
    }
    if (!botAppId) return notConfigured(res, ['MICROSOFT_APP_ID']);
    return redirect(res, chatDeepLink(botAppId));
  });

  const qrRoute =
    (format: keyof ServedQrCodes) =>
    async (req: Request, res: Response): Promise<void> => {
      const missing = [...(botAppId ? [] : ['MICROSOFT_APP_ID']), ...(publicBaseUrl ? [] : ['PUBLIC_BASE_URL'])];
      if (!publicBaseUrl || missing.length > 0) return notConfigured(res, missing);
      let image: ServedImage;
      try {
        image = (await servedQrCodes(startUrl(publicBaseUrl)))[format];
      } catch (error) {
        logger.error({ err: error, format }, 'could not generate the start-link QR code');
        res.sendRaw(500, 'Internal Server Error', { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': NO_STORE });
        return;
      }
      const headers = {
        'Content-Type': image.contentType,
        'Cache-Control': QR_CACHE_CONTROL,
        ETag: image.etag,
        'X-Content-Type-Options': 'nosniff',
        // The SVG is served from the bot's own origin: forbid scripts in case anything ever lands in it.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      };
      // Restify logs a warning for any value an async handler resolves with, so nothing is returned.
      if (req.header('If-None-Match') === image.etag) res.sendRaw(304, '', headers);
      else res.sendRaw(200, image.body, headers);
    };
  server.get('/start/qr.png', qrRoute('png'));
  server.get('/start/qr.svg', qrRoute('svg'));

  logger.info(
    {
      chatLink: Boolean(botAppId),
      installLink: Boolean(teamsAppId || catalogAppId),
      installId: catalogAppId ? 'catalog' : 'manifest',
      qrCode: Boolean(botAppId && publicBaseUrl),
    },
    'start links registered',
  );
}

function toServed(codes: QrCodes): ServedQrCodes {
  const svg = Buffer.from(codes.svg, 'utf8');
  return {
    png: { body: codes.png, contentType: 'image/png', etag: etagOf(codes.png) },
    svg: { body: svg, contentType: 'image/svg+xml; charset=utf-8', etag: etagOf(svg) },
  };
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

function redirect(res: Response, location: string): void {
  // no-store: the target follows configuration, and a cached redirect would outlive a change of app id.
  res.sendRaw(302, '', { Location: location, 'Cache-Control': NO_STORE });
}

function notConfigured(res: Response, missing: readonly string[]): void {
  const names = missing.map((name) => `<code>${name}</code>`).join(', ');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Link not set up</title></head><body style="font-family: sans-serif; max-width: 40em; margin: 2em auto;">',
    '<h1>This link is not set up yet</h1>',
    `<p>The bot is running without its Teams app settings (${names}), so it cannot open Teams for you. Ask your helpdesk for the current link.</p>`,
    '<h1 lang="ja">このリンクはまだ設定されていません</h1>',
    `<p lang="ja">ボットに Teams アプリの設定 (${names}) がないため、Teams を開けません。最新のリンクをヘルプデスクにお問い合わせください。</p>`,
    '</body></html>',
  ].join('\n');
  res.sendRaw(404, html, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': NO_STORE,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
}
