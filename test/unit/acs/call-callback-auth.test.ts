import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { CallCallbackAuth, hashCallbackToken, newCallbackToken } from '../../../src/verification/acs/call-callback-auth';
import type { CallSession } from '../../../src/verification/acs/call-session-store';

const AUDIENCE = 'acs-resource-id';
const ISSUER = 'https://acscallautomation.communication.azure.com';

describe('CallCallbackAuth', () => {
  const token = newCallbackToken();
  const session: CallSession = {
    callId: 'c1',
    to: '+819012345678',
    locale: 'en',
    tokenHash: hashCallbackToken(token),
    startedAt: 0,
    reprompted: false,
    finished: false,
    seenEventIds: [],
  };
  const sessions = { get: async (id: string) => (id === 'c1' ? session : undefined) };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  let keyRequests = 0;
  let server: http.Server;
  let jwksUrl: string;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      keyRequests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/calling/keys`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function sign(claims: object, options: jwt.SignOptions = {}): string {
    const expiry: jwt.SignOptions = 'exp' in claims ? {} : { expiresIn: 300 };
    return jwt.sign(claims, privateKey, { algorithm: 'RS256', keyid: kid, issuer: ISSUER, audience: AUDIENCE, ...expiry, ...options });
  }

  it('accepts the right token without JWT checks when none are configured', async () => {
    const auth = new CallCallbackAuth({ sessions, clock: { now: () => Date.now() } });
    await expect(auth.authenticate({ callId: 'c1', token })).resolves.toEqual({ ok: true, session });
    await expect(auth.authenticate({ callId: 'c1', token: `${token}x` })).resolves.toEqual({ ok: false, reason: 'bad_token' });
    await expect(auth.authenticate({ callId: 'c1', token: '' })).resolves.toEqual({ ok: false, reason: 'missing_token' });
    await expect(auth.authenticate({ callId: 'c9', token })).resolves.toEqual({ ok: false, reason: 'unknown_call' });
  });

  it.each<[string, () => string | undefined, boolean]>([
    ['a valid token', () => `Bearer ${sign({})}`, true],
    ['no header', () => undefined, false],
    ['another audience', () => `Bearer ${sign({}, { audience: 'someone-else' })}`, false],
    ['another issuer', () => `Bearer ${sign({}, { issuer: 'https://evil.example' })}`, false],
    ['an expired token', () => `Bearer ${sign({ exp: Math.floor(Date.now() / 1000) - 600 })}`, false],
    ['a token not valid yet', () => `Bearer ${sign({}, { notBefore: 3600 })}`, false],
    [
      'HS256 signed with the public key',
      () => `Bearer ${jwt.sign({}, 'secret', { algorithm: 'HS256', keyid: kid, issuer: ISSUER, audience: AUDIENCE, expiresIn: 300 })}`,
      false,
    ],
    [
      'an unsigned token',
      () =>
        `Bearer ${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: 9e9 })).toString('base64url')}.`,
      false,
    ],
    [
      'a tampered payload',
      () => {
        const [h, , s] = sign({}).split('.');
        return `Bearer ${h}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: 9e9 })).toString('base64url')}.${s}`;
      },
      false,
    ],
  ])('with the JWT configured, %s → %p', async (_name, header, ok) => {
    const auth = new CallCallbackAuth({ sessions, clock: { now: () => Date.now() }, jwt: { audience: AUDIENCE, jwksUrl } });
    const authorization = header();
    const result = await auth.authenticate({ callId: 'c1', token, ...(authorization ? { authorization } : {}) });
    expect(result.ok).toBe(ok);
  });

  it('a wrong callback token fails before the JWT is even looked at', async () => {
    const auth = new CallCallbackAuth({ sessions, clock: { now: () => Date.now() }, jwt: { audience: AUDIENCE, jwksUrl } });
    await expect(auth.authenticate({ callId: 'c1', token: newCallbackToken(), authorization: `Bearer ${sign({})}` })).resolves.toEqual({
      ok: false,
      reason: 'bad_token',
    });
  });

  it('caches keys and refetches for an unknown key id at most every 5 minutes', async () => {
    const clock = {
      t: Date.now(),
      now() {
        return this.t;
      },
    };
    const auth = new CallCallbackAuth({ sessions, clock, jwt: { audience: AUDIENCE, jwksUrl } });
    keyRequests = 0;
    await auth.authenticate({ callId: 'c1', token, authorization: `Bearer ${sign({})}` });
    await auth.authenticate({ callId: 'c1', token, authorization: `Bearer ${sign({})}` });
    expect(keyRequests).toBe(1);
    const unknownKid = `Bearer ${sign({}, { keyid: 'rotated' })}`;
    await auth.authenticate({ callId: 'c1', token, authorization: unknownKid });
    expect(keyRequests).toBe(1);
    clock.t += 6 * 60_000;
    await expect(auth.authenticate({ callId: 'c1', token, authorization: unknownKid })).resolves.toMatchObject({ ok: false, reason: 'bad_jwt' });
    expect(keyRequests).toBe(2);
  });
});
