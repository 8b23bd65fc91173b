import { createHash } from 'node:crypto';
import { deleteApp, type App } from 'firebase-admin/app';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import {
  startFirebaseMlEmulator,
  type FirebaseMlEmulator,
} from '../../../../../emulators/firebase-ml/firebase-ml-emulator';
import { getFirebaseApp } from '../../../../../functions/adapters/firebase/firebase-app';
import { FirebaseMlChannel } from '../../../../../functions/adapters/firebase/firebase-ml-channel';
import { writeExampleTflite } from '../../../../../functions/artifacts/tflite/write-example-tflite';
import type { MobileRelease } from '../../../../../functions/pipeline/ports';

/** The Firebase ML channel through the unmodified firebase-admin against the Firebase ML emulator. */
describe('FirebaseMlChannel', () => {
  let emulator: FirebaseMlEmulator;
  let app: App;
  let channel: FirebaseMlChannel;
  const good = writeExampleTflite({ a: 0.5, b: 2 });
  const files: Record<string, Uint8Array> = {
    'gs://ferry-models/good.tflite': good,
    'gs://ferry-models/other.tflite': writeExampleTflite({ a: 0.5, b: 3 }),
    'gs://ferry-models/junk.tflite': new Uint8Array(64).fill(7),
  };

  beforeAll(async () => {
    emulator = await startFirebaseMlEmulator({
      projectId: 'ferry-channel',
      readObject: async (uri) => files[uri] ?? new Uint8Array(0),
      validationDelayMs: 300,
    });
    app = getFirebaseApp({ ...emulator.env });
    channel = new FirebaseMlChannel(() => app);
  });
  afterAll(async () => {
    await deleteApp(app);
    await emulator.stop();
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
});
