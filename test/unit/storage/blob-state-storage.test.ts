import { BlobsStorage } from 'botbuilder-azure-blobs';
import pino from 'pino';
import { BlobStateStorage } from '../../../src/storage/blob-state-storage';
import { isETagConflict } from '../../../src/storage/state-storage';
import { azuriteConnectionString } from '../../support/azurite';
import { uniqueContainer } from '../../support/shared-deployment';

const silent = pino({ level: 'silent' });

function blobState(container: string): BlobStateStorage {
  return new BlobStateStorage({ connectionString: azuriteConnectionString(), container, logger: silent });
}

/** The reader every other part of botbuilder uses: what `createItem` writes must read back through it unchanged. */
function botbuilderBlobs(container: string): BlobsStorage {
  return new BlobsStorage(azuriteConnectionString(), container);
}

/** Settles every promise and says which were refused with an eTag conflict (anything else fails the test). */
async function outcomes(work: readonly Promise<void>[]): Promise<Array<'written' | 'conflict'>> {
  const settled = await Promise.allSettled(work);
  return settled.map((result) => {
    if (result.status === 'fulfilled') return 'written';
    if (isETagConflict(result.reason)) return 'conflict';
    throw result.reason;
  });
}

describe('BlobStateStorage on Azurite', () => {
  let container: string;

  beforeEach(() => {
    container = uniqueContainer();
  });

  it('creates an item when absent once; a second create is an eTag conflict and changes nothing', async () => {
    const storage = blobState(container);
    await storage.createItem('counter/one', { count: 1 });
    const second = storage.createItem('counter/one', { count: 2 });
    await expect(second).rejects.toThrow('Storage: error writing "counter/one" due to eTag conflict.');
    expect((await storage.read(['counter/one']))['counter/one']).toMatchObject({ count: 1 });
  });

  it('lets exactly one of five storage clients create a record they all create at the same moment', async () => {
    const clients = Array.from({ length: 5 }, () => blobState(container));
    await Promise.all(clients.map((client) => client.prepare()));
    for (let round = 1; round <= 10; round += 1) {
      const key = `race/${round}`;
      const results = await outcomes(clients.map((client, i) => client.createItem(key, { winner: i })));
      expect(results.filter((r) => r === 'written')).toHaveLength(1);
      const stored = (await clients[0]!.read([key]))[key];
      expect(stored).toMatchObject({ winner: results.indexOf('written') });
    }
  });

  it('refuses to create over an item that botbuilder BlobsStorage wrote', async () => {
    const blobs = botbuilderBlobs(container);
    await blobs.write({ 'claims/x': { nonces: ['a'], eTag: '*' } });
    await expect(blobState(container).createItem('claims/x', { nonces: ['b'] })).rejects.toThrow(/eTag conflict/);
    expect((await blobs.read(['claims/x']))['claims/x']).toMatchObject({ nonces: ['a'] });
  });

  it('creates again once the item was deleted', async () => {
    const storage = blobState(container);
    await storage.createItem('pending-call/1', { at: 1 });
    await storage.delete(['pending-call/1']);
    await storage.createItem('pending-call/1', { at: 2 });
    expect((await storage.read(['pending-call/1']))['pending-call/1']).toMatchObject({ at: 2 });
  });

  it('writes JSON that BlobsStorage reads back as it was, with an eTag its conditional writes accept', async () => {
    const item = { text: 'ＳＭＳ 認証コード送信済み', nested: { list: [1, 'two', null, true] }, empty: {} };
    await blobState(container).createItem('conversations/ja', { ...item, eTag: 'ignored' });
    const blobs = botbuilderBlobs(container);
    const read = (await blobs.read(['conversations/ja']))['conversations/ja'] as Record<string, unknown>;
    const { eTag, ...content } = read;
    expect(content).toEqual(item);
    expect(typeof eTag).toBe('string');

    await blobs.write({ 'conversations/ja': { ...item, text: 'changed', eTag } });
    await expect(blobs.write({ 'conversations/ja': { ...item, text: 'stale', eTag } })).rejects.toThrow(/eTag conflict/);
    expect((await blobs.read(['conversations/ja']))['conversations/ja']).toMatchObject({ text: 'changed' });
  });

  it.each([
    ['a conversation key', 'msteams/conversations/a:1xYz-conv_id;messageid=17000/'],
    ['empty path segments', '/leading//double///slashes/'],
    ['characters URI-encoding changes', 'spaces and ünïcödé/日本/+81 key?#&%'],
    ['more than 254 slashes', `deep/${'s/'.repeat(300)}end`],
    ['more than 1,024 characters', `long-${'x'.repeat(1100)}`],
  ])('names the blob of a key with %s as BlobsStorage does', async (_label, key) => {
    await blobState(container).createItem(key, { key: 'created' });
    const blobs = botbuilderBlobs(container);
    expect((await blobs.read([key]))[key]).toMatchObject({ key: 'created' });
    await blobs.delete([key]);
    expect(await blobs.read([key])).toEqual({});
  });
});
