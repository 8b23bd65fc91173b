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

  describe('staged rollout entry (RolloutManifest)', () => {
    const staged = (version: string, runId: string, percent: number) => {
      const r = { ...release(version), runId };
      return {
        release: r,
        rollout: {
          runId,
          parameter: 'flowers_model',
          seed: `seed-${runId}`,
          percent,
          candidate: {
            version,
            object: `models/flowers/${version}/model.tflite`,
            sha256: r.sha256,
            sizeBytes: r.bytes.byteLength,
            tags: r.tags,
            firebaseMlModel: `flowers_v${version}`,
          },
        },
      };
    };

    it('stages a candidate without moving the current version, widens, then completes', async () => {
      const before = await manifest();
      const { release: r, rollout } = staged('10', 'run-10', 5);
      expect(await channel.stage(r, rollout)).toMatch(/rollout entry offers it to 5 %/);
      await channel.stage(r, rollout); // a retry changes nothing
      expect(await manifest()).toEqual({ ...before, rollout });
      const [stored] = await storage.bucket('mobile').file('models/flowers/10/model.tflite').download();
      expect(stored.toString()).toBe('model 10');
      await channel.widen('flowers', 'run-10', 25);
      await channel.widen('flowers', 'other-run', 50); // another run's call is ignored
      expect((await manifest()).rollout.percent).toBe(25);
      await channel.complete('flowers', 'run-10');
      await channel.complete('flowers', 'run-10');
      const after = await manifest();
      expect(after).toMatchObject({
        version: '10',
        sha256: r.sha256,
        object: 'models/flowers/10/model.tflite',
        runId: 'run-10',
      });
      expect(after.rollout).toBeUndefined();
      const { rollout: _none, ...beforeWithoutRollout } = before;
      expect(after.previous).toEqual(beforeWithoutRollout);
      // ferry rollback: the version the rollout replaced is current again; twice changes nothing.
      expect(await channel.revert('flowers', 'other-run')).toMatch(/was not changed by run other-run/);
      expect(await channel.revert('flowers', 'run-10')).toMatch(
        new RegExp(`points at version ${before.version} again`),
      );
      expect(await manifest()).toEqual(beforeWithoutRollout);
      await channel.revert('flowers', 'run-10');
      expect(await manifest()).toEqual(beforeWithoutRollout);
    });

    it('clear takes only its own rollout entry away and keeps the current version', async () => {
      const before = await manifest();
      const { release: r, rollout } = staged('11', 'run-11', 5);
      await channel.stage(r, rollout);
      await channel.clear('flowers', 'another-run');
      expect((await manifest()).rollout).toEqual(rollout);
      await channel.clear('flowers', 'run-11');
      expect(await manifest()).toEqual(before);
    });

    it('stages the first release of a model as a manifest with the rollout entry only', async () => {
      const r = { ...release('1'), modelName: 'fresh', runId: 'run-fresh' };
      const rollout = { ...staged('1', 'run-fresh', 5).rollout };
      rollout.candidate = { ...rollout.candidate, object: 'models/fresh/1/model.tflite' };
      await channel.stage(r, rollout);
      const [read] = await storage.bucket('mobile').file('models/fresh/manifest.json').download();
      expect(JSON.parse(read.toString())).toEqual({ modelName: 'fresh', rollout });
      await channel.complete('fresh', 'run-fresh');
      const [done] = await storage.bucket('mobile').file('models/fresh/manifest.json').download();
      expect(JSON.parse(done.toString())).toMatchObject({ modelName: 'fresh', version: '1' });
    });
  });
});
