import { BlobServiceClient } from '@azure/storage-blob';
import { checkStorage } from '../../../tools/doctor/storage-check';
import { AZURITE_KEY, LocalAzurite } from '../../support/azurite';

describe('checkStorage', () => {
  let azurite: LocalAzurite;

  beforeAll(async () => {
    azurite = await LocalAzurite.start();
  });

  afterAll(async () => {
    // Undefined only when the emulator failed to start (that failure is reported by beforeAll).
    await azurite?.stop();
  });

  it('warns that state is in memory when no storage is configured', async () => {
    const [result, ...rest] = await checkStorage({ storage: undefined });
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe('warn');
    expect(result?.title).toMatch(/^Storage: in memory/);
    expect(result?.title).toContain('only one instance');
  });

  it('creates the container, writes, reads and deletes a probe blob', async () => {
    const results = await checkStorage({ storage: { connectionString: azurite.connectionString(), container: 'doctor-new' } });
    expect(results.map((r) => `${r.status} ${r.title}`)).toEqual([
      'ok Storage: wrote, read and deleted a probe blob in container doctor-new of account devstoreaccount1',
      'ok Storage: created container doctor-new of account devstoreaccount1 (the bot would have created it on first use)',
    ]);
    // The probe cleans up after itself.
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString()).getContainerClient('doctor-new');
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    expect(names).toEqual([]);
  });

  it('uses an existing container without saying it created it', async () => {
    await BlobServiceClient.fromConnectionString(azurite.connectionString()).getContainerClient('existing').create();
    const results = await checkStorage({ storage: { connectionString: azurite.connectionString(), container: 'existing' } });
    expect(results.map((r) => r.status)).toEqual(['ok']);
  });

  it('reports a wrong account key as refused, without printing the key', async () => {
    const wrongKey = Buffer.from('not-the-account-key-0123456789').toString('base64');
    const results = await checkStorage({ storage: { connectionString: azurite.connectionString(wrongKey), container: 'state' } });
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('fail');
    expect(results[0]?.title).toContain('access to container state of account devstoreaccount1 refused (403');
    expect(JSON.stringify(results)).not.toContain(wrongKey);
    expect(JSON.stringify(results)).not.toContain(AZURITE_KEY);
  });

  it('reports an account that does not answer', async () => {
    const closed = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;`;
    const results = await checkStorage({ storage: { connectionString: closed, container: 'state' } });
    expect(results[0]?.status).toBe('fail');
    expect(results[0]?.title).toContain('could not be reached');
  });

  it('fails on a connection string that does not parse, without echoing it', async () => {
    const results = await checkStorage({ storage: { connectionString: 'AccountKey=c2VjcmV0LWtleQ==;nonsense', container: 'state' } });
    expect(results).toEqual([expect.objectContaining({ status: 'fail', title: 'Storage: STORAGE_CONNECTION_STRING does not parse' })]);
    expect(JSON.stringify(results)).not.toContain('c2VjcmV0LWtleQ');
  });

  it('fails when @azure/storage-blob cannot be loaded', async () => {
    const missing = Object.assign(new Error("Cannot find module '@azure/storage-blob'"), { code: 'MODULE_NOT_FOUND' });
    const results = await checkStorage({
      storage: { connectionString: azurite.connectionString(), container: 'state' },
      loadBlobModule: () => Promise.reject(missing),
    });
    expect(results).toEqual([expect.objectContaining({ status: 'fail', title: 'Storage: the @azure/storage-blob package cannot be loaded' })]);
  });

  it('loads @azure/storage-blob from the installed dependencies by default', () => {
    // It comes with botbuilder-azure-blobs; the doctor relies on it being resolvable from the app.
    expect(() => require.resolve('@azure/storage-blob')).not.toThrow();
  });
});
