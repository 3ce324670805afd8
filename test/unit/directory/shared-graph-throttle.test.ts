import { MemoryStorage } from 'botbuilder';
import type { Agent } from 'undici';
import { GraphPhoneDirectory } from '../../../src/directory/graph-phone-directory';
import { DirectoryError, type PhoneDirectory } from '../../../src/directory/phone-directory';
import { GraphThrottleGate } from '../../../src/graph/graph-throttle-gate';
import type { Scheduler } from '../../../src/time/scheduler';
import { FakeGraphServer } from '../../fakes/fake-graph-server';
import { ManualClock } from '../../fakes/manual-clock';
import { createTestTls, createTrustingAgent, type TestTls } from '../../fakes/test-tls';
import { createCollectingLogger } from './log-sink';

const TOKEN = 'graph-token-shared-throttle';
const JITTER_MS = 1_000;

function userId(n: number): string {
  return `6f1d2a3b-0000-4c5d-9e8f-${n.toString(16).padStart(12, '0')}`;
}

/** Two bot instances that share one storage, as two processes share one Blob container. */
describe('GraphPhoneDirectory instances sharing Graph throttling', () => {
  let tls: TestTls;
  let fake: FakeGraphServer;
  let agent: Agent;
  let clock: ManualClock;
  let storage: MemoryStorage;

  beforeAll(async () => {
    tls = await createTestTls();
  });
  beforeEach(async () => {
    fake = await FakeGraphServer.start({ tls, expectedToken: TOKEN });
    agent = createTrustingAgent(tls.cert);
    clock = new ManualClock();
    storage = new MemoryStorage();
  });
  afterEach(async () => {
    await fake.close();
    await agent.close();
  });

  /** Every wait happens at once in virtual time: the clock moves by the wait, and the wait is noted with what Graph had seen by then. */
  function virtualTime(): { scheduler: Scheduler; waits: Array<{ ms: number; postsBefore: number }> } {
    const waits: Array<{ ms: number; postsBefore: number }> = [];
    const scheduler: Scheduler = {
      schedule(callback, delayMs) {
        waits.push({ ms: delayMs, postsBefore: fake.requestsTo('POST').length });
        clock.advance(delayMs);
        callback();
        return () => undefined;
      },
    };
    return { scheduler, waits };
  }

  function instance(scheduler: Scheduler, maxThrottleWaitMs: number, random: () => number = () => 0.5): GraphPhoneDirectory {
    const { logger } = createCollectingLogger();
    return new GraphPhoneDirectory({
      tokenProvider: { getAccessToken: () => Promise.resolve(TOKEN) },
      baseUrl: fake.baseUrl,
      fetchOptions: { dispatcher: agent },
      logger,
      maxThrottleWaitMs,
      scheduler,
      throttleGate: new GraphThrottleGate({ storage, clock, logger, jitterMs: JITTER_MS, random }),
    });
  }

  it("holds the other instance's write until the Retry-After one instance was given, plus a bounded jitter", async () => {
    const first = virtualTime();
    const second = virtualTime();
    fake.failNext({ method: 'POST', status: 429, retryAfter: 30 });
    const refused = await instance(first.scheduler, 5_000)
      .addPhoneMethod(userId(1), { phoneType: 'mobile', phoneNumber: '+81 9012340001' })
      .catch((error: unknown) => error);
    // Thirty seconds do not fit the first instance's budget: its user is told when to try again.
    expect(refused).toBeInstanceOf(DirectoryError);
    expect(refused).toMatchObject({ code: 'graph_throttled', details: { retryAfterSeconds: 31 } });

    const added = await instance(second.scheduler, 60_000).addPhoneMethod(userId(2), { phoneType: 'mobile', phoneNumber: '+81 9012340002' });
    expect(added.phoneType).toBe('mobile');
    // The second instance never saw a 429 itself, yet waited before its only POST.
    expect(second.waits).toEqual([{ ms: 30_000 + JITTER_MS / 2, postsBefore: 1 }]);
    expect(fake.requestsTo('POST')).toHaveLength(2);
    expect(fake.phonesOf(userId(1))).toEqual([]);
  });

  it('a 30-user burst on two instances and a tiny Graph budget: no phone lost or doubled, everyone registered or told when to retry', async () => {
    fake.throttleAt({ perSecond: 2, burst: 2, now: () => clock.now() });
    const time = virtualTime();
    let draws = 0;
    // A spread of jitters, the same every run.
    const random = (): number => (draws++ * 0.37) % 1;
    const instances: PhoneDirectory[] = [instance(time.scheduler, 10_000, random), instance(time.scheduler, 10_000, random)];
    const told = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const method = { phoneType: 'mobile' as const, phoneNumber: `+81 90123${String(i).padStart(5, '0')}` };
        try {
          await instances[i % 2]!.addPhoneMethod(userId(i), method);
          return { i, told: 'registered' as const, method };
        } catch (error) {
          if (error instanceof DirectoryError && error.code === 'graph_throttled' && (error.details.retryAfterSeconds ?? 0) > 0) {
            return { i, told: 'try again' as const, method };
          }
          throw error;
        }
      }),
    );
    for (const { i, told: outcome, method } of told) {
      const phones = fake.phonesOf(userId(i));
      if (outcome === 'registered') expect(phones).toEqual([expect.objectContaining(method)]);
      else expect(phones).toEqual([]);
    }
    expect(told.filter((t) => t.told === 'registered').length).toBeGreaterThan(0);
    expect(fake.throttled).toBeGreaterThan(0);
    // Every POST Graph accepted is one registered user: none doubled.
    const created = fake.requestsTo('POST').length - fake.throttled;
    expect(created).toBe(told.filter((t) => t.told === 'registered').length);
  });
});
