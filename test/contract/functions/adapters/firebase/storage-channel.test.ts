import { createHash } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { FirebaseStorageChannel } from '../../../../../functions/adapters/firebase/storage-channel';
import type { MobileRelease } from '../../../../../functions/pipeline/ports';
import { startStorageEmulator, type StorageEmulator } from '../../../../../emulators/storage/storage-emulator';

/** The Cloud Storage for Firebase channel through @google-cloud/storage against the Storage emulator. */
describe('FirebaseStorageChannel', () => {
  let emulator: StorageEmulator;
  let storage: Storage;
  let channel: FirebaseStorageChannel;

  beforeAll(async () => {
    emulator = await startStorageEmulator();
    emulator.createBucket('mobile');
    storage = new Storage({ apiEndpoint: emulator.url, projectId: 'p' });
    channel = new FirebaseStorageChannel(() => storage, 'mobile');
  });
  afterAll(() => emulator.stop());

  const release = (version: string, contents = `model ${version}`): MobileRelease => {
    const bytes = new TextEncoder().encode(contents);
    return {
      runId: `run-${version}-${contents.length}`,
      modelName: 'flowers',
      version,
      tags: ['vision', `v${version}`],
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      gcsUri: 'gs://a/b',
    };
  };
  const manifest = async () =>
    JSON.parse((await storage.bucket('mobile').file('models/flowers/manifest.json').download())[0].toString());

  it('writes the version once and points the manifest at it; publishing again changes nothing', async () => {
    const v1 = release('1');
    await channel.publish(v1);
    const first = await manifest();
    expect(first).toMatchObject({
      version: '1',
      sha256: v1.sha256,
      sizeBytes: v1.bytes.byteLength,
      object: 'models/flowers/1/model.tflite',
      tags: ['vision', 'v1'],
    });
    expect(await channel.publish(v1)).toMatch(/manifest already points at it/);
    expect(await manifest()).toEqual(first);
    const [stored] = await storage.bucket('mobile').file('models/flowers/1/model.tflite').download();
    expect(stored.toString()).toBe('model 1');
  });

  it('never moves the manifest back to an older version that finished later', async () => {
    await channel.publish(release('3'));
    expect(await channel.publish(release('2'))).toMatch(/keeps the newer version 3/);
    expect((await manifest()).version).toBe('3');
  });

  it('refuses a different file under a version that exists (versions are immutable)', async () => {
    await expect(channel.publish(release('1', 'a different model'))).rejects.toThrow(
      /already holds a different model for version 1/,
    );
  });
});
