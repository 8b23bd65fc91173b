import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { startWithClient } from './start-client';

describe('persistence in dataDir across an emulator restart', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ferry-gcs-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps buckets, objects, metadata and generations; new generations stay above the old ones', async () => {
    const first = await startWithClient({ dataDir });
    await first.storage.createBucket('state');
    const names = ['runs/r1.json', 'a/../escape', '日本/名前.txt', 'folder/'];
    for (const name of names)
      await first.storage
        .bucket('state')
        .file(name)
        .save(name === 'folder/' ? '' : `content of ${name}`, { resumable: name.length % 2 === 0 });
    await first.storage
      .bucket('state')
      .file('runs/r1.json')
      .setMetadata({ metadata: { state: 'registered' } });
    await first.storage.bucket('state').file('gone.txt').save('x', { resumable: false });
    await first.storage.bucket('state').file('gone.txt').delete();
    const [before] = await first.storage.bucket('state').file('runs/r1.json').getMetadata();
    await first.emulator.stop();

    const second = await startWithClient({ dataDir });
    try {
      const [files] = await second.storage.bucket('state').getFiles();
      expect(files.map((f) => f.name).sort()).toEqual([...names].sort());
      for (const name of names) {
        const [bytes] = await second.storage.bucket('state').file(name).download();
        expect(bytes.toString()).toBe(name === 'folder/' ? '' : `content of ${name}`);
      }
      const [after] = await second.storage.bucket('state').file('runs/r1.json').getMetadata();
      expect(after).toMatchObject({
        generation: before.generation,
        metageneration: '2',
        md5Hash: before.md5Hash,
        metadata: { state: 'registered' },
      });
      await expect(
        second.storage
          .bucket('state')
          .file('runs/r1.json')
          .save('y', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
      ).rejects.toMatchObject({ code: 412 });
      await second.storage.bucket('state').file('new.txt').save('n', { resumable: false });
      const [fresh] = await second.storage.bucket('state').file('new.txt').getMetadata();
      expect(BigInt(fresh.generation as string)).toBeGreaterThan(BigInt(before.generation as string));
    } finally {
      await second.emulator.stop();
    }
    const objectFiles = await readdir(join(dataDir, 'objects', 'state'));
    expect(objectFiles.every((file) => /^[0-9a-f]{64}\.(json|bin)$/.test(file))).toBe(true);
  });

  it('refuses to start on a corrupt record, naming the file and what to do, and leaves it in place', async () => {
    const first = await startWithClient({ dataDir });
    await first.storage.createBucket('state');
    await first.storage.bucket('state').file('x.txt').save('x', { resumable: false });
    await first.emulator.stop();
    const [jsonFile] = (await readdir(join(dataDir, 'objects', 'state'))).filter((f) => f.endsWith('.json'));
    const path = join(dataDir, 'objects', 'state', jsonFile);
    await writeFile(path, '{"name": "x.txt", "generat');
    await expect(startStorageEmulator({ dataDir })).rejects.toThrow(
      new RegExp(`${jsonFile}: not valid JSON.*delete it`),
    );
    await writeFile(path, JSON.stringify({ name: 'x.txt', generation: 1, size: 99, md5Hash: 'x', bucket: 'state' }));
    await expect(startStorageEmulator({ dataDir })).rejects.toThrow(/holds 1 bytes but its metadata says 99/);
    expect(await readdir(join(dataDir, 'objects', 'state'))).toContain(jsonFile);
  });
});
