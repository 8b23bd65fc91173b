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

  it('reads a document replaced between its metadata and its contents again, instead of calling it missing', async () => {
    const docs = new GcsDocuments(() => storage, 'state');
    await docs.create('busy.json', { n: 1 });
    const generation = (await docs.get('busy.json'))?.generation ?? '';
    emulator.faults.addLatency('objects.get', 150);
    try {
      const reading = docs.get<{ n: number }>('busy.json');
      // The metadata is answered at ~150 ms; the contents request then waits its own 150 ms.
      await new Promise((resolve) => setTimeout(resolve, 220));
      expect(await docs.update('busy.json', { n: 2 }, generation)).toBeDefined();
      expect((await reading)?.value).toEqual({ n: 2 });
    } finally {
      emulator.faults.addLatency('objects.get', 0);
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
