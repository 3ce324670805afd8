import pino from 'pino';
import { BlobStateStorage } from '../../src/storage/blob-state-storage';
import { SendLimiter, type SendReservation } from '../../src/verification/send-limiter';
import { azuriteConnectionString } from '../support/azurite';
import { uniqueContainer } from '../support/shared-deployment';

/*
 * The per-country cap is kept in eight shards (docs/admin.md: at most SEND_LIMIT_COUNTRY_PER_DAY
 * sends to one country in any 24 hours, exactly). Here several instances, each with its own Blob
 * client, count sends for many users of one country at the same moment, past the cap.
 */

const INSTANCES = 4;

function limiters(container: string, perCountryPerDay: number): Promise<SendLimiter[]> {
  const clock = { now: () => Date.UTC(2026, 11, 2, 9, 0, 0) };
  const clients = Array.from(
    { length: INSTANCES },
    () => new BlobStateStorage({ connectionString: azuriteConnectionString(), container, logger: pino({ level: 'silent' }) }),
  );
  return Promise.all(
    clients.map(async (storage) => {
      await storage.prepare();
      return new SendLimiter({ storage, clock, limits: { perCountryPerDay } });
    }),
  );
}

describe('the sharded per-country cap on Azurite, several instances at the same moment', () => {
  it.each([
    [40, 60],
    [5, 20],
  ])('allows exactly the cap of %i among %i users of one country, and refuses the rest as the country scope', async (cap, users) => {
    const container = uniqueContainer();
    const instances = await limiters(container, cap);
    const results: SendReservation[] = await Promise.all(
      Array.from({ length: users }, (_, i) => instances[i % INSTANCES]!.reserve({ userId: `user-${i}`, e164: `+8190${String(20_000_000 + i)}`, region: 'JP' })),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(cap);
    expect(results.filter((r) => !r.allowed && r.scope === 'country')).toHaveLength(users - cap);
    // A fresh instance reading the shards finds the country full too.
    const [late] = await limiters(container, cap);
    await expect(late!.reserve({ userId: 'late', e164: '+819099999999', region: 'JP' })).resolves.toMatchObject({ allowed: false, scope: 'country' });
  });
});
