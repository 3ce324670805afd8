import http from 'node:http';
import { Writable } from 'node:stream';
import { PNG } from 'pngjs';
import restify from 'restify';
import { createLogger } from '../../src/logging/logger';
import { type StartRoutesOptions, registerStartRoutes } from '../../src/server/start-routes';
import { type QrCodes, createQrCodes } from '../../src/teams-links/qr-codes';

const BOT = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const APP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const BASE = 'https://mfa-bot.contoso.example';

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A real restify server on a free loopback port with only the start routes, plus what it logged. */
async function startServer(options: Omit<StartRoutesOptions, 'logger'>) {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const server = restify.createServer();
  registerStartRoutes(server, { ...options, logger: createLogger({ level: 'info', pretty: false, destination: sink }) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const get = (path: string, headers: http.OutgoingHttpHeaders = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  return { get, logLines, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('start routes, configured', () => {
  let calls: string[];
  let app: Awaited<ReturnType<typeof startServer>>;
  let expected: QrCodes;
  beforeAll(async () => {
    calls = [];
    expected = await createQrCodes(`${BASE}/start`);
    app = await startServer({
      publicBaseUrl: `${BASE}/`,
      botAppId: BOT,
      teamsAppId: APP,
      tenantId: TENANT,
      createQrCodes: (url) => {
        calls.push(url);
        return createQrCodes(url);
      },
    });
  });
  afterAll(() => app.close());

  it.each([
    ['/start', `https://teams.microsoft.com/l/chat/0/0?users=28:${BOT}`],
    ['/start?install=0', `https://teams.microsoft.com/l/chat/0/0?users=28:${BOT}`],
    ['/start?install=1', `https://teams.microsoft.com/l/app/${APP}?tenantId=${TENANT}`],
    ['/start?utm_source=poster&install=1', `https://teams.microsoft.com/l/app/${APP}?tenantId=${TENANT}`],
  ])('GET %s redirects to the Teams deep link', async (path, location) => {
    const reply = await app.get(path);
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(location);
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('serves the QR code of the start URL as a cacheable PNG', async () => {
    const reply = await app.get('/start/qr.png');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/png');
    expect(reply.headers['cache-control']).toBe('public, max-age=86400');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    const png = PNG.sync.read(reply.body);
    expect(png.width).toBe(png.height);
    expect(png.width).toBeGreaterThanOrEqual(200);
    expect(reply.body.equals(expected.png)).toBe(true);

    const again = await app.get('/start/qr.png', { 'If-None-Match': String(reply.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves the same QR code as SVG', async () => {
    const reply = await app.get('/start/qr.svg');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('public, max-age=86400');
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    const svg = reply.body.toString('utf8');
    expect(svg).toContain('<svg');
    expect(svg).toBe(expected.svg);
  });

  it('generates the QR codes once for the process, not per request', async () => {
    await Promise.all([app.get('/start/qr.png'), app.get('/start/qr.svg'), app.get('/start/qr.png')]);
    expect(calls).toEqual([`${BASE}/start`]);
  });
});

describe('start routes, QR generation failing once', () => {
  it('answers 500 without detail, logs it, and succeeds on the next request', async () => {
    let attempts = 0;
    const app = await startServer({
      publicBaseUrl: BASE,
      botAppId: BOT,
      teamsAppId: APP,
      createQrCodes: (url): Promise<QrCodes> => {
        attempts += 1;
        return attempts === 1 ? Promise.reject(new Error('encoder exploded')) : createQrCodes(url);
      },
    });
    try {
      const failed = await app.get('/start/qr.png');
      expect(failed.status).toBe(500);
      expect(failed.body.toString('utf8')).not.toContain('exploded');
      expect(app.logLines.join('')).toContain('could not generate the start-link QR code');
      expect((await app.get('/start/qr.png')).status).toBe(200);
      expect(attempts).toBe(2);
    } finally {
      await app.close();
    }
  });
});

describe('start routes, demo mode', () => {
  let app: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    app = await startServer({});
  });
  afterAll(() => app.close());

  it.each([
    ['/start', ['MICROSOFT_APP_ID']],
    ['/start?install=1', ['TEAMS_APP_ID']],
    ['/start/qr.png', ['MICROSOFT_APP_ID', 'PUBLIC_BASE_URL']],
    ['/start/qr.svg', ['MICROSOFT_APP_ID', 'PUBLIC_BASE_URL']],
  ])('GET %s answers 404 with a page naming %j', async (path, names) => {
    const reply = await app.get(path);
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    const html = reply.body.toString('utf8');
    expect(html).toContain('This link is not set up yet');
    expect(html).toContain('このリンクはまだ設定されていません');
    for (const name of names) expect(html).toContain(name);
  });
});

describe('start routes, app uploaded to the organization catalog', () => {
  it('sends /start?install=1 to the catalog app id, not the manifest id', async () => {
    const catalogId = '876df28f-2e78-423b-94a5-44181bd0e225';
    const app = await startServer({ publicBaseUrl: BASE, botAppId: BOT, teamsAppId: APP, catalogAppId: catalogId, tenantId: TENANT });
    try {
      const reply = await app.get('/start?install=1');
      expect(reply.status).toBe(302);
      expect(reply.headers.location).toBe(`https://teams.microsoft.com/l/app/${catalogId}?tenantId=${TENANT}`);
      expect(app.logLines.join('')).toContain('"installId":"catalog"');
    } finally {
      await app.close();
    }
  });
});

describe('start routes, bot id without a Teams app id', () => {
  it('still redirects to the chat, but not to the install page', async () => {
    const app = await startServer({ publicBaseUrl: BASE, botAppId: BOT });
    try {
      expect((await app.get('/start')).headers.location).toBe(`https://teams.microsoft.com/l/chat/0/0?users=28:${BOT}`);
      const install = await app.get('/start?install=1');
      expect(install.status).toBe(404);
      expect(install.body.toString('utf8')).toContain('TEAMS_APP_ID');
    } finally {
      await app.close();
    }
  });
});
