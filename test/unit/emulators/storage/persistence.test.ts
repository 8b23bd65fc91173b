import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskPersistence } from '../../../../emulators/storage/persistence';
import type { StoredObject } from '../../../../emulators/storage/types';

const OBJECT: StoredObject = {
  bucket: 'bkt',
  name: '../../outside',
  generation: 5,
  metageneration: 1,
  data: Buffer.from('data'),
  md5Hash: 'm',
  crc32c: 'c',
  timeCreated: 't',
  updated: 't',
  fields: { contentType: 'text/plain' },
};

describe('DiskPersistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-gcs-unit-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips buckets and objects without using names as paths', async () => {
    const disk = new DiskPersistence(dir);
    await disk.saveBucket({
      name: 'bkt',
      timeCreated: 't',
      updated: 't',
      metageneration: 1,
      location: 'US',
      storageClass: 'STANDARD',
    });
    await disk.saveObject(OBJECT);
    expect(await readdir(dir)).toEqual(['buckets', 'objects']);
    const loaded = await new DiskPersistence(dir).load();
    expect(loaded.buckets.map((b) => b.name)).toEqual(['bkt']);
    expect(loaded.objects).toEqual([OBJECT]);
    await disk.removeObject('bkt', OBJECT.name);
    expect((await new DiskPersistence(dir).load()).objects).toEqual([]);
  });

  it('starts empty in a fresh directory and ignores leftover temporary files', async () => {
    const disk = new DiskPersistence(dir);
    await disk.saveBucket({
      name: 'bkt',
      timeCreated: 't',
      updated: 't',
      metageneration: 1,
      location: 'US',
      storageClass: 'STANDARD',
    });
    await writeFile(join(dir, 'objects', 'bkt', 'abc.json.1.2.tmp'), 'half written');
    await writeFile(join(dir, 'objects', 'bkt', 'orphan.bin'), 'no metadata');
    expect((await disk.load()).objects).toEqual([]);
  });

  it.each([
    ['a bucket record that is not JSON', 'buckets/bkt.json', '{', /bkt\.json: not valid JSON/],
    [
      'a bucket record under the wrong file name',
      'buckets/other.json',
      '{"name":"bkt"}',
      /other\.json: not a bucket record/,
    ],
    ['an object record with the wrong shape', 'objects/bkt/x.json', '{"name":1}', /x\.json: not an object record/],
    [
      'an object record without its data',
      'objects/bkt/y.json',
      JSON.stringify({ ...OBJECT, data: undefined, size: 4 }),
      /y\.bin: the data file .* is missing/,
    ],
  ])('refuses %s with a message naming the file', async (_label, relative, content, message) => {
    await mkdir(join(dir, 'buckets'), { recursive: true });
    await mkdir(join(dir, 'objects', 'bkt'), { recursive: true });
    await writeFile(join(dir, 'buckets', 'bkt.json'), JSON.stringify({ name: 'bkt' }));
    await writeFile(join(dir, relative), content);
    await expect(new DiskPersistence(dir).load()).rejects.toThrow(message);
  });
});
