import { AuthenticationError } from 'botframework-connector';
import { KeysUnavailableError } from '../../../src/server/keys-unavailable-error';
import { ValidationLane } from '../../../src/server/validation-lane';
import { ManualClock } from '../../fakes/manual-clock';
import { ManualScheduler } from '../../fakes/manual-scheduler';

/** botbuilder's validation as the lane sees it: a call that ends as the test decides. */
class FakeValidation {
  calls = 0;
  private pending: { resolve: (v: string) => void; reject: (e: unknown) => void }[] = [];
  readonly validate = (): Promise<string> => {
    this.calls += 1;
    return new Promise<string>((resolve, reject) => this.pending.push({ resolve, reject }));
  };
  succeedAll(): void {
    this.pending.splice(0).forEach((p) => p.resolve('identity'));
  }
  failAll(error: unknown): void {
    this.pending.splice(0).forEach((p) => p.reject(error));
  }
}

/** Lets promise callbacks run (no timers involved). */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe("ValidationLane: botbuilder's own key loads, one at a time and time-limited", () => {
  let clock: ManualClock;
  let scheduler: ManualScheduler;
  let lane: ValidationLane;
  let validation: FakeValidation;

  beforeEach(() => {
    clock = new ManualClock();
    scheduler = new ManualScheduler();
    lane = new ValidationLane({ timeoutMs: 4_000, backoff: { firstMs: 1_000, maxMs: 60_000 }, clock, scheduler });
    validation = new FakeValidation();
  });

  it('lets one call through for a key id botbuilder has not used; the others follow once it has the key', async () => {
    const results = Promise.all(Array.from({ length: 20 }, () => lane.run('kid-1', validation.validate)));
    await flush();
    expect(validation.calls).toBe(1);
    validation.succeedAll();
    await flush();
    expect(validation.calls).toBe(20);
    validation.succeedAll();
    expect(await results).toEqual(Array(20).fill('identity'));
    expect(scheduler.armed).toBe(0);
  });

  it.each<[string, unknown]>([
    ['the time limit', undefined],
    ['botbuilder\'s "Failed to load openID config: 503"', new AuthenticationError('Failed to load openID config: 503', 500)],
    ['a node-fetch FetchError', Object.assign(new Error('request to http://127.0.0.1:1/ failed, reason: connect ECONNREFUSED'), { name: 'FetchError' })],
  ])('%s: 503 for the caller and for those waiting, no further call during the back-off', async (_name, failure) => {
    const results = Array.from({ length: 20 }, () => lane.run('kid-1', validation.validate).catch((e: unknown) => e));
    await flush();
    if (failure === undefined) expect(scheduler.fireAll()).toBe(1);
    else validation.failAll(failure);
    const errors = await Promise.all(results);
    expect(errors.every((e) => e instanceof KeysUnavailableError && e.retryAfterSeconds === 1)).toBe(true);
    expect(validation.calls).toBe(1);

    clock.advance(1_000);
    const retried = lane.run('kid-1', validation.validate);
    await flush();
    validation.succeedAll();
    expect(await retried).toBe('identity');
    expect(validation.calls).toBe(2);
  });

  it('passes a verdict on the token through unchanged (the endpoint answers 401)', async () => {
    const refused = new AuthenticationError('Unauthorized. Invalid AppId passed on token: x', 401);
    const result = lane.run('kid-1', validation.validate).catch((e: unknown) => e);
    await flush();
    validation.failAll(refused);
    expect(await result).toBe(refused);
  });

  it('keeps validating key ids botbuilder already holds while loads of a new one fail', async () => {
    const first = lane.run('kid-1', validation.validate);
    await flush();
    validation.succeedAll();
    await first;
    const fresh = lane.run('kid-2', validation.validate).catch((e: unknown) => e);
    await flush();
    validation.failAll(new AuthenticationError('Failed to load Keys: 503', 500));
    expect(await fresh).toBeInstanceOf(KeysUnavailableError);

    const known = lane.run('kid-1', validation.validate);
    await expect(lane.run('kid-2', validation.validate)).rejects.toBeInstanceOf(KeysUnavailableError);
    await flush();
    validation.succeedAll();
    expect(await known).toBe('identity');
  });
});
