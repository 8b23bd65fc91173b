import { Storage } from '@google-cloud/storage';
import { GcsDocuments } from '../../../../../functions/adapters/gcs/gcs-documents';
import { GcsObjectReader } from '../../../../../functions/adapters/gcs/gcs-object-reader';
import { startStorageEmulator, type StorageEmulator } from '../../../../../emulators/storage/storage-emulator';

/** Create-only writes and compare-and-set through @google-cloud/storage against the Storage emulator. */
describe('GcsDocuments and GcsObjectReader', () => {
  let emulator: StorageEmulator;
  let storage: Storage;

  beforeAll(async () => {
    emulator = await startStorageEmulator();
    emulator.createBucket('state');
    storage = new Storage({ apiEndpoint: emulator.url, projectId: 'p' });
  });
  afterAll(() => emulator.stop());

  it('creates once, then only the holder of the current generation may update', async () => {
    const docs = new GcsDocuments(() => storage, 'state', 'runs/');
    expect(await docs.create('a.json', { n: 1 })).toBe(true);
    expect(await docs.create('a.json', { n: 2 })).toBe(false);
    const first = await docs.get<{ n: number }>('a.json');
    expect(first?.value).toEqual({ n: 1 });
    const written = await docs.update('a.json', { n: 3 }, first?.generation ?? '');
    expect(written).toMatch(/^\d+$/);
    expect(await docs.update('a.json', { n: 4 }, first?.generation ?? '')).toBeUndefined();
    // The generation returned is the one stored: the writer can compare-and-set again without a read.
    expect(await docs.get<{ n: number }>('a.json')).toEqual({ value: { n: 3 }, generation: written });
    expect(await docs.update('a.json', { n: 5 }, written ?? '')).toBeDefined();
    expect((await docs.get<{ n: number }>('a.json'))?.value).toEqual({ n: 5 });
    expect(await docs.list('')).toEqual([{ n: 5 }]);
    await docs.delete('a.json');
    await docs.delete('a.json');
    expect(await docs.get('a.json')).toBeUndefined();
  });

  it('lists from the generations it has read: only new and changed documents are downloaded again', async () => {
    // Every media download the client sends (alt=media), counted as it leaves.
    const counting = new Storage({ apiEndpoint: emulator.url, projectId: 'p' });
    let downloads = 0;
    counting.interceptors.push({
      request: (options) => {
        if (JSON.stringify(options).includes('media')) downloads += 1;
        return options as typeof options & { uri: string };
      },
    });
    const writer = new GcsDocuments(() => storage, 'state', 'listed/');
    for (let n = 0; n < 40; n += 1) await writer.create(`run-${String(n).padStart(2, '0')}.json`, { n });
    const docs = new GcsDocuments(() => counting, 'state', 'listed/');
    const first = await docs.list<{ n: number }>('');
    expect(first.map((d) => d.n)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect(downloads).toBe(40);

    downloads = 0;
    expect(await docs.list('')).toEqual(first);
    expect(downloads).toBe(0);

    // One replaced, one deleted, one new: one download each for the two that changed.
    const seven = await writer.get('run-07.json');
    await writer.update('run-07.json', { n: 7, promoted: true }, seven?.generation ?? '');
    await writer.delete('run-08.json');
    await writer.create('run-40.json', { n: 40 });
    downloads = 0;
    const after = await docs.list<{ n: number; promoted?: boolean }>('');
    expect(downloads).toBe(2);
    expect(after).toHaveLength(40);
    expect(after.find((d) => d.n === 7)).toEqual({ n: 7, promoted: true });
    expect(after.map((d) => d.n)).not.toContain(8);
    expect(after.map((d) => d.n)).toContain(40);
    // What a caller does to a listed value does not change the next listing.
    after[0].promoted = true;
    expect((await docs.list<{ n: number; promoted?: boolean }>(''))[0]).toEqual({ n: 0 });
  });

  it.each([
    ['cut short', '{"runId": "r", "state": "prom'],
    ['not JSON at all', 'hello'],
    ['empty', ''],
  ])('names a listed document that is %s, every time it is listed', async (_name, text) => {
    const docs = new GcsDocuments(() => storage, 'state', 'broken/');
    await storage.bucket('state').file('broken/run.json').save(text);
    for (let i = 0; i < 2; i += 1)
      await expect(docs.list('')).rejects.toThrow(/^gs:\/\/state\/broken\/run\.json: not a JSON document \(/);
    await storage.bucket('state').file('broken/run.json').delete();
    expect(await docs.list('')).toEqual([]);
  });

  it('deletes only the generation it was given, so a lease taken over since is left alone', async () => {
    const docs = new GcsDocuments(() => storage, 'state');
    await docs.create('lease.json', { runId: 'a' });
    const read = (await docs.get('lease.json'))?.generation ?? '';
    const taken = await docs.update('lease.json', { runId: 'b' }, read);
    await docs.delete('lease.json', read);
    expect((await docs.get('lease.json'))?.value).toEqual({ runId: 'b' });
    await docs.delete('lease.json', taken);
    expect(await docs.get('lease.json')).toBeUndefined();
    await docs.delete('lease.json', taken);
  });

  it('reads a value and a generation that belong together while the document is replaced under it', async () => {
    const docs = new GcsDocuments(() => storage, 'state');
    await docs.create('busy.json', { n: 0 });
    const written = new Map<string, unknown>([[(await docs.get('busy.json'))?.generation ?? '', { n: 0 }]]);
    const reads: Array<Promise<{ value: unknown; generation: string } | undefined>> = [];
    for (let n = 1; n <= 20; n += 1) {
      reads.push(docs.get('busy.json'), docs.get('busy.json'));
      const current = await docs.get<{ n: number }>('busy.json');
      const generation = await docs.update('busy.json', { n }, current?.generation ?? '');
      if (generation) written.set(generation, { n });
    }
    for (const read of await Promise.all(reads)) {
      expect(read).toBeDefined(); // never reported missing while it is being replaced
      expect(read?.value).toEqual(written.get(read?.generation ?? ''));
    }
  });

  it('lets exactly one of many concurrent updates win', async () => {
    const docs = new GcsDocuments(() => storage, 'state');
    await docs.create('race.json', { winner: null });
    const { generation } = (await docs.get('race.json')) ?? { generation: '' };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => docs.update('race.json', { winner: i }, generation)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lists across pages, stats, reads, and names missing objects', async () => {
    const reader = new GcsObjectReader(() => storage);
    for (let i = 0; i < 1005; i += 1)
      await storage
        .bucket('state')
        .file(`many/${String(i).padStart(4, '0')}`)
        .save('x', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    expect(await reader.list('state', 'many/')).toHaveLength(1005);
    expect(await reader.stat('state', 'many/0001')).toMatchObject({ name: 'many/0001', size: 1 });
    expect(await reader.stat('state', 'nope')).toBeUndefined();
    expect(new TextDecoder().decode(await reader.read('state', 'many/0001'))).toBe('x');
    await expect(reader.read('state', 'nope')).rejects.toThrow('gs://state/nope: not found');
  }, 60_000);
});
