import { ConnectorClient, ConnectorFactory } from 'botframework-connector';
import { ConnectorClientCache } from '../../../src/server/cached-connector-factory';

/** Counts the clients it builds; can be told to fail once. */
class CountingFactory extends ConnectorFactory {
  built = 0;
  failNext = false;
  async create(serviceUrl: string): Promise<ConnectorClient> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('credentials unavailable');
    }
    this.built += 1;
    return new ConnectorClient({ signRequest: async (r: unknown) => r } as never, { baseUri: serviceUrl });
  }
}

describe('ConnectorClientCache', () => {
  it('builds one client per identity, service URL and audience, and reuses it', async () => {
    const cache = new ConnectorClientCache();
    const inner = new CountingFactory();
    const a = cache.wrap(inner, 'bot-1');
    const first = await a.create('https://smba.example/', 'aud');
    expect(await cache.wrap(inner, 'bot-1').create('https://smba.example/', 'aud')).toBe(first);
    expect(await a.create('https://other.example/', 'aud')).not.toBe(first);
    expect(await cache.wrap(inner, 'bot-2').create('https://smba.example/', 'aud')).not.toBe(first);
    expect(inner.built).toBe(3);
  });

  it('does not keep a failed creation', async () => {
    const cache = new ConnectorClientCache();
    const inner = new CountingFactory();
    inner.failNext = true;
    await expect(cache.wrap(inner, 'bot').create('https://smba.example/')).rejects.toThrow('credentials unavailable');
    await expect(cache.wrap(inner, 'bot').create('https://smba.example/')).resolves.toBeInstanceOf(ConnectorClient);
  });
});
