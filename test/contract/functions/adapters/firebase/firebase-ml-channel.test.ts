import { createHash } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { deleteApp, type App } from 'firebase-admin/app';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import {
  startFirebaseMlEmulator,
  type FirebaseMlEmulator,
} from '../../../../../emulators/firebase-ml/firebase-ml-emulator';
import { firebaseMlEmulatorApp } from '../../../../../emulators/firebase-ml/sdk-app';
import { FirebaseMlChannel } from '../../../../../functions/adapters/firebase/firebase-ml-channel';
import { writeExampleTflite } from '../../../../../functions/artifacts/tflite/write-example-tflite';
import type { MobileRelease } from '../../../../../functions/pipeline/ports';
import { classifyError } from '../../../../../functions/core/errors';
import { startStorageEmulator, type StorageEmulator } from '../../../../../emulators/storage/storage-emulator';

/**
 * The Firebase ML channel through the unmodified firebase-admin against the Firebase ML emulator,
 * which reads model files (the latest generation, as Firebase ML does) from the Storage emulator.
 */
describe('FirebaseMlChannel', () => {
  let emulator: FirebaseMlEmulator;
  let gcs: StorageEmulator;
  let storage: Storage;
  let app: App;
  let channel: FirebaseMlChannel;
  const good = writeExampleTflite({ a: 0.5, b: 2 });
  const files: Record<string, Uint8Array> = {
    'gs://ferry-models/good.tflite': good,
    'gs://ferry-models/other.tflite': writeExampleTflite({ a: 0.5, b: 3 }),
    'gs://ferry-models/junk.tflite': new Uint8Array(64).fill(7),
  };

  const write = (uri: string, bytes: Uint8Array) => {
    const [, bucket, name] = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri) as RegExpExecArray;
    return storage.bucket(bucket).file(name).save(Buffer.from(bytes), { resumable: false });
  };

  beforeAll(async () => {
    gcs = await startStorageEmulator();
    gcs.createBucket('ferry-models');
    gcs.createBucket('ferry-state');
    storage = new Storage({ apiEndpoint: gcs.url, projectId: 'ferry-channel' });
    for (const [uri, bytes] of Object.entries(files)) await write(uri, bytes);
    emulator = await startFirebaseMlEmulator({
      projectId: 'ferry-channel',
      readObject: async (uri) => {
        const [, bucket, name] = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri) as RegExpExecArray;
        return (await storage.bucket(bucket).file(name).download())[0];
      },
      validationDelayMs: 300,
    });
    app = firebaseMlEmulatorApp({ ...emulator.env });
    channel = new FirebaseMlChannel(
      () => app,
      () => storage,
      'ferry-state',
    );
  });
  afterAll(async () => {
    await deleteApp(app);
    await emulator.stop();
    await gcs.stop();
  });

  const release = (modelName: string, version: string, gcsUri: string): MobileRelease => {
    const bytes = files[gcsUri];
    return {
      runId: `run-${modelName}-${version}`,
      modelName,
      version,
      tags: ['vision', `v${version}`],
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      gcsUri,
    };
  };

  it('creates, waits for validation, publishes; the same release again changes nothing', async () => {
    expect(await channel.publish(release('flowers', '1', 'gs://ferry-models/good.tflite'))).toMatch(
      /published with tags vision, v1/,
    );
    const { models } = await getMachineLearning(app).listModels({ filter: 'display_name = flowers' });
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ published: true, tags: ['vision', 'v1'] });
    expect(await channel.publish(release('flowers', '1', 'gs://ferry-models/good.tflite'))).toMatch(
      /already publishes v1/,
    );
  });

  it('publishes exactly the validated bytes, even when the candidate object is overwritten after validation', async () => {
    const validated = release('pinned', '1', 'gs://ferry-models/good.tflite');
    await write('gs://ferry-models/good.tflite', files['gs://ferry-models/other.tflite']);
    try {
      await channel.publish(validated);
      const { models } = await getMachineLearning(app).listModels({ filter: 'display_name = pinned' });
      expect(models[0]).toMatchObject({ published: true, modelHash: validated.sha256 });
      const kept = `firebase-ml/pinned/${validated.sha256}.tflite`;
      expect(models[0].tfliteModel?.gcsTfliteUri).toMatch(new RegExp(`/ferry-state/${kept.replace(/\//g, '/')}`));
      // A retry after a crash finds its own object and publishes the same bytes again.
      expect(await channel.publish({ ...validated, runId: 'another-attempt' })).toMatch(/already publishes v1/);
    } finally {
      await write('gs://ferry-models/good.tflite', good);
    }
  });

  it('refuses to publish a file Firebase ML found invalid, naming its verdict', async () => {
    await expect(channel.publish(release('junk', '1', 'gs://ferry-models/junk.tflite'))).rejects.toThrow(
      /Firebase ML refused the file/,
    );
    const { models } = await getMachineLearning(app).listModels({ filter: 'display_name = junk' });
    expect(models.every((m) => !m.published)).toBe(true);
  });

  it('waits for a model locked by another validation, then publishes', async () => {
    const ml = getMachineLearning(app);
    emulator.validation.hold();
    let publishing: Promise<string> | undefined;
    const other = await ml.createModel({
      displayName: 'busy',
      tfliteModel: { gcsTfliteUri: 'gs://ferry-models/other.tflite' },
    });
    try {
      expect(other.locked).toBe(true);
      const polled = () => emulator.calls().filter((call) => call.method === 'operations.get').length;
      const before = polled();
      publishing = channel.publish(release('busy', '2', 'gs://ferry-models/good.tflite'));
      // The channel is waiting on the other validation's operation (it has asked about it) while
      // the model is still locked: only then does the test let that validation finish.
      while (polled() === before) await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await ml.getModel(other.modelId)).locked).toBe(true);
    } finally {
      await emulator.validation.release();
    }
    expect(await publishing).toMatch(/published with tags vision, v2/);
    const model = await ml.getModel(other.modelId);
    expect(model).toMatchObject({ published: true, tags: ['vision', 'v2'], locked: false });
  });

  it('never moves a model back to an older version that finished later', async () => {
    await channel.publish(release('ordered', '10', 'gs://ferry-models/good.tflite'));
    expect(await channel.publish(release('ordered', '9', 'gs://ferry-models/other.tflite'))).toMatch(
      /keeps the newer version v10/,
    );
    const { models } = await getMachineLearning(app).listModels({ filter: 'display_name = ordered' });
    expect(models[0].tags).toEqual(['vision', 'v10']);
  });

  it.each([
    ['older first', 'raced'],
    ['newer first', 'raced_reversed'],
  ])(
    'two releases racing to create one model (%s) both succeed, and the newer version is kept',
    async (order, name) => {
      const ml = getMachineLearning(app);
      const creates = () =>
        emulator.calls().filter((c) => c.method === 'models.create' && c.body.includes(`"${name}"`)).length;
      const releases = [
        () => channel.publish(release(name, '1', 'gs://ferry-models/good.tflite')),
        () => channel.publish(release(name, '2', 'gs://ferry-models/other.tflite')),
      ];
      if (order === 'newer first') releases.reverse();
      const results = await Promise.all(releases.map((start) => start()));
      expect(creates()).toBe(2); // both tried to create: the race did happen
      expect(results).toHaveLength(2);
      const { models } = await ml.listModels({ filter: `display_name = ${name}` });
      expect(models).toHaveLength(1);
      expect(models[0]).toMatchObject({
        published: true,
        tags: ['vision', 'v2'],
        modelHash: release(name, '2', 'gs://ferry-models/other.tflite').sha256,
      });
    },
  );

  it('a 503 from the token exchange reaches the stage as a transient error (retried, not failed)', async () => {
    const other = await startFirebaseMlEmulator({ projectId: 'ferry-token', readObject: async () => good });
    const otherApp = firebaseMlEmulatorApp({ ...other.env });
    try {
      other.faults.failNext('token', 1, 503, 'token backend down (injected)');
      const failing = new FirebaseMlChannel(
        () => otherApp,
        () => storage,
        'ferry-state',
      );
      const error = await failing.publish(release('tokens', '1', 'gs://ferry-models/good.tflite')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'app/invalid-credential', message: expect.stringMatching(/HTTP 503/) });
      expect(classifyError(error)).toBe('transient');
    } finally {
      await deleteApp(otherApp);
      await other.stop();
    }
  });
});
