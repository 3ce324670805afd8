import { randomUUID } from 'node:crypto';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { ConnectorSink } from '../fakes/connector-sink';
import { FakeAcsServer } from '../fakes/fake-acs-server';
import { FakeIdentityProvider, newSigningKey, type SigningKey, type TokenOptions } from '../fakes/fake-identity-provider';
import { ManualClock } from '../fakes/manual-clock';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { E2E_TENANT, E2E_USER, E2eBot } from '../support/e2e-bot';
import { authLoggingTo } from '../support/e2e-identity';

const APP_ID = '5d1e7c2a-8b3f-4e6d-9a0c-2f4b6d8e0a1c';
const OUTBOUND_TOKEN = 'fixed-outbound-token-7d21';
const TIMING = {
  fetchTimeoutMs: 4_000,
  refreshAfterMs: 60_000,
  unknownKidRefreshMs: 5 * 60_000,
  backoff: { firstMs: 1_000, maxMs: 60_000 },
};
const UNAVAILABLE = /Bot Framework signing keys unavailable/;
const RECOVERED = /Bot Framework signing keys available again/;

type Outage = 'unavailable' | 'refused' | 'hang';

/** A waited-for condition (a fetch reaching the host, a log line); the deadline only stops a broken test. */
async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

/** The service in production configuration, its keys on a fresh local host, time in the test's hands. */
class Harness {
  private counter = 0;

  private constructor(
    readonly idp: FakeIdentityProvider,
    readonly sink: ConnectorSink,
    private readonly acs: FakeAcsServer,
    readonly bot: E2eBot,
    readonly clock: ManualClock,
    readonly scheduler: ManualScheduler,
    readonly authLog: string[],
  ) {}

  static async start(): Promise<Harness> {
    // A fresh host (a fresh URL) per test: botbuilder caches keys per metadata URL for the whole process.
    const idp = await FakeIdentityProvider.start();
    const sink = await ConnectorSink.start();
    const acs = await FakeAcsServer.start();
    const clock = new ManualClock(Date.now());
    const scheduler = new ManualScheduler();
    const authLog: string[] = [];
    const auth = authLoggingTo(idp, APP_ID, OUTBOUND_TOKEN, authLog, { timing: TIMING, clock, scheduler });
    const bot = new E2eBot(
      sink,
      {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'bot-client-secret-not-used-in-tests',
        MICROSOFT_APP_TENANT_ID: E2E_TENANT,
        VERIFICATION_SECRET: 'v'.repeat(24) + 'erification-secret',
        ACS_CONNECTION_STRING: acs.connectionString,
        ACS_SMS_FROM: '+18005550100',
        ACS_CALLER_ID: '+18005550101',
        PUBLIC_BASE_URL: 'https://bot.example.test',
      },
      { directory: new DemoPhoneDirectory(), auth },
    );
    await bot.start();
    return new Harness(idp, sink, acs, bot, clock, scheduler, authLog);
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.idp.close();
    await this.sink.close();
    await this.acs.close();
  }

  token(options: Partial<TokenOptions> = {}): string {
    return this.idp.mintToken(APP_ID, { serviceUrl: this.sink.serviceUrl, ...options });
  }

  async post(authorization: string): Promise<Answer> {
    this.counter += 1;
    const response = await fetch(`${this.bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({
        type: 'message',
        id: `outage-${this.counter}`,
        channelId: 'msteams',
        serviceUrl: this.sink.serviceUrl,
        locale: 'en-US',
        text: 'hi',
        from: { id: '29:outage-user', aadObjectId: E2E_USER },
        recipient: { id: `28:${APP_ID}` },
        conversation: { id: `a:outage-${this.counter}`, conversationType: 'personal', tenantId: E2E_TENANT },
        channelData: { tenant: { id: E2E_TENANT } },
      }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
  }

  async startOutage(outage: Outage): Promise<void> {
    if (outage === 'refused') await this.idp.refuseConnections();
    else this.idp.mode = outage;
  }

  async endOutage(outage: Outage): Promise<void> {
    this.idp.mode = 'ok';
    if (outage === 'refused') await this.idp.resume();
  }

  /** Lines of the auth log that match. */
  logged(pattern: RegExp): string[] {
    return this.authLog.filter((line) => pattern.test(line));
  }
}

function expectDeferred(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number.isInteger(Number(answer.retryAfter))).toBe(true);
  expect(JSON.parse(answer.body)).toEqual({ error: 'service_unavailable' });
}

describe('Bot Framework signing keys on a host that fails (a real HTTP host on loopback)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('tokens anyone can mint with made-up key ids, 20 at once while the host answers: 401, and no fetch for each', async () => {
    // One key pair under many made-up ids (generating a pair per token would stall the test process).
    const spare = newSigningKey();
    const madeUp = (): SigningKey => ({ ...spare, kid: randomUUID() });
    expect((await h.post(`Bearer ${h.token()}`)).status).toBe(200);
    const fetchesBefore = h.idp.requests.length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.post(`Bearer ${h.token({ key: madeUp() })}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(401));
    expect(h.idp.requests).toHaveLength(fetchesBefore);
    // Later, one fetch may look for a newly published key; then the same again.
    h.clock.advance(TIMING.unknownKidRefreshMs);
    const later = await Promise.all(Array.from({ length: 20 }, () => h.post(`Bearer ${h.token({ key: madeUp() })}`)));
    expect(later.map((a) => a.status)).toEqual(Array(20).fill(401));
    expect(h.idp.requests.length - fetchesBefore).toBe(2);
  });

  it.each<Outage>(['unavailable', 'refused', 'hang'])(
    'keys never fetched, host %s: 20 concurrent requests share one fetch, all get 503 with Retry-After, none reaches the bot',
    async (outage) => {
      await h.startOutage(outage);
      const answers = Promise.all(Array.from({ length: 20 }, () => h.post(`Bearer ${h.token()}`)));
      if (outage === 'hang') {
        // The host holds the one fetch; the requests wait only until its time limit.
        await waitUntil(() => h.idp.requests.length === 1 && h.scheduler.armed > 0, 'the fetch to reach the host');
        h.scheduler.fireAll();
      }
      (await answers).forEach(expectDeferred);
      if (outage !== 'refused') expect(h.idp.requests).toHaveLength(1);
      expect(h.sink.calls).toHaveLength(0);
      expect(h.logged(UNAVAILABLE)).toHaveLength(1);
      expect(JSON.parse(h.logged(UNAVAILABLE)[0]!).level).toBe(40);

      // During the back-off nothing is fetched; a malformed token is still refused outright.
      expect((await h.post('Bearer garbage')).status).toBe(401);
      expectDeferred(await h.post(`Bearer ${h.token()}`));
      if (outage !== 'refused') expect(h.idp.requests).toHaveLength(1);

      await h.endOutage(outage);
      h.clock.advance(TIMING.backoff.firstMs);
      expect((await h.post(`Bearer ${h.token()}`)).status).toBe(200);
      expect(h.logged(UNAVAILABLE)).toHaveLength(1);
      expect(h.logged(RECOVERED)).toHaveLength(1);
    },
  );

  it.each<Outage>(['unavailable', 'refused', 'hang'])(
    'keys known before the host went %s keep validating good tokens; bad tokens are still 401; logged once each way',
    async (outage) => {
      expect((await h.post(`Bearer ${h.token()}`)).status).toBe(200);
      const fetchesBefore = h.idp.requests.length;
      await h.startOutage(outage);
      // Old enough to be refreshed, and to allow a fetch for an unknown key id.
      h.clock.advance(TIMING.unknownKidRefreshMs);

      // The refresh starts in the background; the request does not wait for it.
      expect((await h.post(`Bearer ${h.token()}`)).status).toBe(200);
      if (outage === 'hang') {
        await waitUntil(() => h.idp.requests.length > fetchesBefore && h.scheduler.armed > 0, 'the refresh to reach the host');
        h.scheduler.fireAll();
      }
      await waitUntil(() => h.logged(UNAVAILABLE).length === 1, 'the outage to be logged');

      const forged = h.token({ key: newSigningKey(h.idp.key.kid) });
      const stranger = newSigningKey();
      const mixed = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          if (i % 4 === 0) return h.post(`Bearer ${forged}`);
          if (i % 4 === 1) return h.post(`Bearer ${h.token({ expiresInSeconds: -600 })}`);
          if (i % 4 === 2) return h.post(`Bearer ${h.token({ key: { ...stranger, kid: randomUUID() } })}`);
          return h.post(`Bearer ${h.token()}`);
        }),
      );
      mixed.forEach((answer, i) => {
        if (i % 4 === 0 || i % 4 === 1) expect(answer.status).toBe(401);
        // An unknown key id might be a new key the host cannot be asked about now.
        else if (i % 4 === 2) expectDeferred(answer);
        else expect(answer.status).toBe(200);
      });
      // One refresh attempt for the whole outage so far: the back-off holds the rest.
      const attempts = h.idp.requests.length - fetchesBefore;
      if (outage !== 'refused') expect(attempts).toBe(1);
      expect(h.logged(UNAVAILABLE)).toHaveLength(1);

      await h.endOutage(outage);
      h.clock.advance(TIMING.backoff.maxMs);
      expect((await h.post(`Bearer ${h.token()}`)).status).toBe(200);
      await waitUntil(() => h.logged(RECOVERED).length === 1, 'the recovery to be logged');
      expect(h.logged(UNAVAILABLE)).toHaveLength(1);
    },
  );

  it("botbuilder's own fetch stalling after the gate got the keys: one such fetch, 503s after the time limit, then recovery", async () => {
    // The gate's metadata and keys fetches are answered; the next one (botbuilder's) never is.
    h.idp.switchAfter = { requests: 2, mode: 'hang' };
    const answers = Promise.all(Array.from({ length: 20 }, () => h.post(`Bearer ${h.token()}`)));
    await waitUntil(() => h.idp.requests.length === 3 && h.scheduler.armed > 0, "botbuilder's fetch to reach the host");
    h.scheduler.fireAll();
    (await answers).forEach(expectDeferred);
    expect(h.idp.requests).toHaveLength(3);
    expect(h.logged(/botbuilder could not load the signing keys/)).toHaveLength(1);

    h.idp.switchAfter = undefined;
    h.clock.advance(TIMING.backoff.firstMs);
    expect((await h.post(`Bearer ${h.token()}`)).status).toBe(200);
    expect(h.logged(/botbuilder loaded the signing keys again/)).toHaveLength(1);
  });
});
