import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logging/logger';
import { KeysUnavailableError } from '../../../src/server/keys-unavailable-error';
import { SigningKeySource, type KeyTiming } from '../../../src/server/signing-key-source';
import { FakeIdentityProvider, newSigningKey } from '../../fakes/fake-identity-provider';
import { ManualClock } from '../../fakes/manual-clock';
import { ManualScheduler } from '../../fakes/manual-scheduler';

const TIMING: KeyTiming = {
  fetchTimeoutMs: 4_000,
  refreshAfterMs: 60 * 60_000,
  unknownKidRefreshMs: 5 * 60_000,
  backoff: { firstMs: 1_000, maxMs: 8_000 },
};

/** Waits for background work (a refresh) to show its effect; the deadline only stops a broken test. */
async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('SigningKeySource against a local OpenID metadata host', () => {
  let idp: FakeIdentityProvider;
  let clock: ManualClock;
  let scheduler: ManualScheduler;
  let log: string[];
  let source: SigningKeySource;

  beforeEach(async () => {
    idp = await FakeIdentityProvider.start();
    clock = new ManualClock();
    scheduler = new ManualScheduler();
    log = [];
    const logger = createLogger({
      level: 'debug',
      pretty: false,
      destination: new Writable({
        write: (chunk, _enc, done) => {
          log.push(String(chunk));
          done();
        },
      }),
    });
    source = new SigningKeySource({ metadataUrl: idp.metadataUrl, timing: TIMING, clock, scheduler, logger });
  });
  afterEach(async () => {
    await idp.close();
  });

  const warnings = (): string[] => log.filter((line) => line.includes('signing keys unavailable'));

  it('fetches the metadata and the keys once for many concurrent lookups, then answers from memory', async () => {
    const found = await Promise.all(Array.from({ length: 20 }, () => source.lookup(idp.key.kid)));
    expect(found.every((key) => key?.kid === idp.key.kid && key.endorsements?.includes('msteams'))).toBe(true);
    expect(idp.requests).toEqual(['/v1/.well-known/openidconfiguration', '/v1/.well-known/keys']);
    await source.lookup(idp.key.kid);
    expect(idp.requests).toHaveLength(2);
    expect(scheduler.armed).toBe(0);
  });

  it('does not fetch for every unknown key id: at most once per unknownKidRefreshMs while the host answers', async () => {
    await source.lookup(idp.key.kid);
    expect(await source.lookup('made-up-1')).toBeUndefined();
    expect(await source.lookup('made-up-2')).toBeUndefined();
    expect(idp.requests).toHaveLength(2);
    // A new key appears at the host: found on the next allowed fetch.
    const rotated = newSigningKey();
    idp.published = [idp.key, rotated];
    clock.advance(TIMING.unknownKidRefreshMs);
    expect((await source.lookup(rotated.kid))?.kid).toBe(rotated.kid);
    expect(idp.requests).toHaveLength(4);
  });

  it('refreshes stale keys in the background, and drops a key the host no longer publishes', async () => {
    await source.lookup(idp.key.kid);
    const replacement = newSigningKey();
    idp.published = [replacement];
    clock.advance(TIMING.refreshAfterMs);
    // Answered at once with the key it has; the refresh runs behind.
    expect((await source.lookup(idp.key.kid))?.kid).toBe(idp.key.kid);
    await eventually(async () => (await source.lookup(idp.key.kid)) === undefined, 'the refreshed key set');
    expect(idp.requests).toHaveLength(4);
    expect((await source.lookup(replacement.kid))?.kid).toBe(replacement.kid);
  });

  it('after a failure backs off, doubling up to the ceiling, with Retry-After to match; one warning per outage, one line on recovery', async () => {
    idp.mode = 'unavailable';
    const retryAfters: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const error = await source.lookup(idp.key.kid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeysUnavailableError);
      retryAfters.push((error as KeysUnavailableError).retryAfterSeconds);
      // Inside the back-off: refused without asking the host.
      const before = idp.requests.length;
      await expect(source.lookup(idp.key.kid)).rejects.toBeInstanceOf(KeysUnavailableError);
      expect(idp.requests).toHaveLength(before);
      clock.advance(retryAfters[attempt]! * 1000);
    }
    expect(retryAfters).toEqual([1, 2, 4, 8, 8, 8]);
    expect(idp.requests).toHaveLength(6);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('metadata answered 503');

    idp.mode = 'ok';
    expect((await source.lookup(idp.key.kid))?.kid).toBe(idp.key.kid);
    expect(log.filter((line) => line.includes('available again'))).toHaveLength(1);
    // The back-off is over with the outage.
    idp.mode = 'unavailable';
    clock.advance(TIMING.unknownKidRefreshMs);
    const error = await source.lookup('other').catch((e: unknown) => e);
    expect((error as KeysUnavailableError).retryAfterSeconds).toBe(1);
    expect(warnings()).toHaveLength(2);
  });

  it('gives up on a host that never answers when the time limit fires, and keeps the keys it had', async () => {
    await source.lookup(idp.key.kid);
    idp.mode = 'hang';
    clock.advance(TIMING.unknownKidRefreshMs);
    const waiting = source.lookup('new-kid').catch((e: unknown) => e);
    await eventually(() => idp.requests.length === 3, 'the fetch to reach the host');
    expect(scheduler.fireAll()).toBe(1);
    expect(await waiting).toBeInstanceOf(KeysUnavailableError);
    expect(warnings()[0]).toContain('no answer within 4000 ms');
    expect((await source.lookup(idp.key.kid))?.kid).toBe(idp.key.kid);
  });

  it('treats a key set with no usable key as a failed fetch', async () => {
    idp.published = [];
    await expect(source.lookup(idp.key.kid)).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(warnings()[0]).toContain('no usable RSA key');
  });
});
