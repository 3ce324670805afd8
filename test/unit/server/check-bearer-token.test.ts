import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { checkBearerToken, decodeBearerToken, isBearerHeader } from '../../../src/server/check-bearer-token';
import type { PublishedKey } from '../../../src/server/signing-key-source';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'key-1';
const NOW = Date.UTC(2026, 11, 2, 3, 0, 0);
const nowSeconds = NOW / 1000;
const key: PublishedKey = { kid: KID, publicKey, endorsements: ['msteams'] };

function sign(payload: Record<string, unknown>, options: { algorithm?: jwt.Algorithm; key?: typeof privateKey } = {}): string {
  return jwt.sign({ iss: 'https://api.botframework.com', aud: 'app', ...payload }, options.key ?? privateKey, {
    algorithm: options.algorithm ?? 'RS256',
    keyid: KID,
  });
}

function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}

describe('isBearerHeader: the headers botbuilder would look up a key for', () => {
  it.each([
    ['Bearer a.b.c', true],
    ['Bearer x', true],
    ['', false],
    ['Bearer', false],
    ['Bearer ', false],
    ['bearer a.b.c', false],
    ['Basic dXNlcjpwYXNz', false],
    [' Bearer a.b.c', false],
    ['Bearer  a.b.c', false],
    ['Bearer x Bearer y', false],
  ])('%p → %p', (header, expected) => {
    expect(isBearerHeader(header)).toBe(expected);
  });
});

describe('decodeBearerToken', () => {
  it.each([
    ['Bearer garbage'],
    ['Bearer a.b.c'],
    ['Bearer a.b'],
    [`Bearer ${unsigned({ alg: 'none', kid: KID }, { exp: nowSeconds + 60 })}`],
    [`Bearer ${Buffer.from('[1]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`],
  ])('%p is not a signed JWT', (header) => {
    expect(decodeBearerToken(header)).toBeUndefined();
  });

  it('splits a signed token into its algorithm, key id and claims', () => {
    const decoded = decodeBearerToken(`Bearer ${sign({ serviceurl: 'https://smba.example/' })}`);
    expect(decoded).toMatchObject({ alg: 'RS256', kid: KID, payload: { serviceurl: 'https://smba.example/' } });
  });
});

describe('checkBearerToken: what botbuilder would refuse, refused first and quietly', () => {
  const check = (token: string, channelId = 'msteams', withKey: PublishedKey = key): string | undefined => {
    const decoded = decodeBearerToken(`Bearer ${token}`);
    if (!decoded) throw new Error('test token does not decode');
    return checkBearerToken(decoded, withKey, channelId, NOW);
  };

  it.each<[string, () => string, string | undefined]>([
    ['a good token', () => sign({ exp: nowSeconds + 600 }), undefined],
    ['RS384 and RS512 as botbuilder allows', () => sign({ exp: nowSeconds + 600 }, { algorithm: 'RS512' }), undefined],
    ['a token with no lifetime claims (jsonwebtoken checks none)', () => sign({}), undefined],
    ['expired within the 5-minute skew', () => sign({ exp: nowSeconds - 299 }), undefined],
    ['expired beyond the skew', () => sign({ exp: nowSeconds - 300 }), 'token expired'],
    [
      'an exp that is not a number',
      () => {
        // jsonwebtoken will not sign this, so it is signed by hand.
        const body = unsigned({ alg: 'RS256', kid: KID }, { exp: String(nowSeconds + 600) }).slice(0, -1);
        return `${body}.${rsaSign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
      },
      'token expired',
    ],
    ['valid from within the skew', () => sign({ nbf: nowSeconds + 300, exp: nowSeconds + 900 }), undefined],
    ['valid only later', () => sign({ nbf: nowSeconds + 301, exp: nowSeconds + 900 }), 'token not valid yet'],
    ['signed by another key under the same kid', () => sign({ exp: nowSeconds + 600 }, { key: other.privateKey }), 'invalid signature'],
    ["PS256 (not in botbuilder's list)", () => sign({ exp: nowSeconds + 600 }, { algorithm: 'PS256' }), 'signing algorithm not allowed'],
    [
      'HS256 keyed with the public key',
      () => {
        const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
        const body = unsigned({ alg: 'HS256', kid: KID }, { exp: nowSeconds + 600 }).slice(0, -1);
        return `${body}.${createHmac('sha256', pem).update(body).digest('base64url')}`;
      },
      'signing algorithm not allowed',
    ],
    [
      'a signature of the wrong length',
      () =>
        `${sign({ exp: nowSeconds + 600 })
          .split('.')
          .slice(0, 2)
          .join('.')}.AAAA`,
      'invalid signature',
    ],
  ])('%s', (_name, make, expected) => {
    expect(check(make())).toBe(expected);
  });

  it("refuses a key not endorsed for the activity's channel, and accepts a key with no endorsements", () => {
    const token = sign({ exp: nowSeconds + 600 });
    expect(check(token, 'webchat')).toBe('signing key not endorsed for the channel');
    expect(check(token, 'webchat', { kid: KID, publicKey })).toBeUndefined();
  });
});
