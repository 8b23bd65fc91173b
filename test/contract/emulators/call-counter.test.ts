import { Storage, type GetFilesResponse } from '@google-cloud/storage';
import { countStorageCalls } from '../../../emulators/call-counter';
import { startStorageEmulator, type StorageEmulator } from '../../../emulators/storage/storage-emulator';

/** Storage calls counted on the wire, by JSON API method, while the official client talks to the emulator. */
describe('countStorageCalls', () => {
  let emulator: StorageEmulator;
  let storage: Storage;

  beforeAll(async () => {
    emulator = await startStorageEmulator({ projectId: 'p' });
    emulator.createBucket('bkt');
    storage = new Storage({ apiEndpoint: emulator.url, projectId: 'p' });
  });
  afterAll(() => emulator.stop());

  it('counts each method, and the pages a listing takes apart from the listing', async () => {
    const counter = countStorageCalls(emulator.port);
    try {
      for (const name of ['a', 'b', 'c']) await storage.bucket('bkt').file(name).save(name, { resumable: false });
      await storage.bucket('bkt').getFiles();
      // One object per page: a listing of three objects takes three calls.
      let names: string[] = [];
      type Query = { maxResults: number; autoPaginate: false; pageToken?: string };
      let query: Query | undefined = { maxResults: 1, autoPaginate: false };
      while (query) {
        const response: GetFilesResponse = await storage.bucket('bkt').getFiles(query);
        names = [...names, ...response[0].map((f) => f.name)];
        query = (response[1] as Query | null) ?? undefined;
      }
      expect(names).toEqual(['a', 'b', 'c']);
      const counts = counter.counts();
      expect(counts['objects.insert']).toBe(3);
      expect(counts['objects.list']).toBe(4);
      expect(counts['objects.list:next-page']).toBe(2);
      counter.reset();
      expect(counter.counts()).toEqual({});
    } finally {
      counter.close();
    }
    await storage.bucket('bkt').file('a').download();
    // Closed: nothing counted any more.
    expect(counter.counts()).toEqual({});
  });
});
