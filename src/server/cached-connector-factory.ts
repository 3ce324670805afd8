import { ConnectorFactory, type ConnectorClient } from 'botframework-connector';

/** Distinct service URLs and audiences a bot talks to are few; this bounds the cache all the same. */
const MAX_CLIENTS = 100;

/**
 * Keeps one connector client per bot identity, service URL and audience. CloudAdapter asks for a new
 * client on every turn, and building one (its whole HTTP pipeline) was a large share of a turn's CPU
 * (reusing them took the in-memory benchmark from 0.17× to 0.37× of the echo's turns per second,
 * several ms of CPU per turn, well over 10% of a Blob-bound turn too). The client holds no per-turn
 * state and its credentials cache and refresh their own tokens, so it can be reused, as the older
 * BotFrameworkAdapter did. Built on public API only: a `ConnectorFactory` that hands out the inner
 * factory's clients.
 */
export class ConnectorClientCache {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  /** A factory that serves `inner`'s clients from the cache. */
  wrap(inner: ConnectorFactory, identity: string): ConnectorFactory {
    const get = (key: string, make: () => Promise<ConnectorClient>): Promise<ConnectorClient> => this.get(key, make);
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return get(`${identity}|${serviceUrl}|${audience ?? ''}`, () => inner.create(serviceUrl, audience));
      }
    })();
  }

  private get(key: string, make: () => Promise<ConnectorClient>): Promise<ConnectorClient> {
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
      client = make();
      this.clients.set(key, client);
      // A failed creation (e.g. credentials not reachable) must not stick.
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }
}
