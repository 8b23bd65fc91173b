import { Storage } from '@google-cloud/storage';
import { startStorageEmulator, type StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { StorageArtifactChecker } from '../../../../functions/adapters/artifact-checker';
import { GcsObjectReader } from '../../../../functions/adapters/gcs/gcs-object-reader';
import { exampleGoldenSet } from '../../../../functions/artifacts/example-golden-set';
import { decodeSavedModel, encodeSavedModel, writeExampleSavedModel } from '../../../../functions/artifacts/savedmodel';
import { classifyError } from '../../../../functions/core/errors';
import { parseWorkflow } from '../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../functions/core/workflow/workflow-set';
import type { ObjectInfo, ObjectReader } from '../../../../functions/pipeline/ports';

/** The static checks over the Storage emulator: a flaky read is retried, never taken as a verdict. */
describe('StorageArtifactChecker', () => {
  let emulator: StorageEmulator;
  let storage: Storage;
  let checker: StorageArtifactChecker;
  const workflows = new WorkflowSet([
    parseWorkflow(
      'name: flowers\nmatch: models/flowers/{version}/\nartifact: savedmodel\nmodel: {displayName: flowers}\nendpoint: {displayName: flowers}\nvalidation: {goldenSet: golden.jsonl}\n',
      'flowers.yaml',
    ),
  ]);

  beforeAll(async () => {
    emulator = await startStorageEmulator();
    emulator.createBucket('artifacts');
    // No client retries: each injected fault reaches the checker.
    storage = new Storage({ apiEndpoint: emulator.url, projectId: 'p', retryOptions: { autoRetry: false } });
    const bucket = storage.bucket('artifacts');
    await bucket.file('golden.jsonl').save(exampleGoldenSet(0.5, 2), { resumable: false });
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2 }))) {
      await bucket.file(`models/flowers/1/${path}`).save(Buffer.from(bytes), { resumable: false });
      await bucket
        .file(`models/flowers/2/${path}`)
        .save(Buffer.from(path === 'saved_model.pb' ? bytes.subarray(0, 7) : bytes), { resumable: false });
    }
    // A serving_default whose method TF Serving's Predict API does not run (issue 11).
    const model = decodeSavedModel(writeExampleSavedModel({ a: 0.5, b: 2 })['saved_model.pb']);
    model.metaGraphs[0].signatureDef.serving_default.methodName = 'tensorflow/serving/train';
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2 })))
      await bucket
        .file(`models/flowers/3/${path}`)
        .save(Buffer.from(path === 'saved_model.pb' ? encodeSavedModel(model) : bytes), { resumable: false });
    checker = new StorageArtifactChecker(new GcsObjectReader(() => storage), () => workflows);
  });
  afterEach(() => emulator.faults.reset());
  afterAll(() => emulator.stop());

  const listing = async (root: string): Promise<ObjectInfo[]> =>
    new GcsObjectReader(() => storage).list('artifacts', root);

  it('passes a complete, well-formed SavedModel whose golden set fits it', async () => {
    const files = await listing('models/flowers/1/');
    expect(await checker.missingFiles('flowers', 'artifacts', 'models/flowers/1/', files)).toEqual([]);
    expect((await checker.check('flowers', 'savedmodel', 'artifacts', 'models/flowers/1/', files)).problems).toEqual(
      [],
    );
  });

  it("rejects a truncated saved_model.pb with the reader's reason", async () => {
    const { problems } = await checker.check(
      'flowers',
      'savedmodel',
      'artifacts',
      'models/flowers/2/',
      await listing('models/flowers/2/'),
    );
    expect(problems.join('\n')).toMatch(/saved_model\.pb/);
  });

  it('rejects a serving_default signature the Predict API cannot run', async () => {
    const { problems } = await checker.check(
      'flowers',
      'savedmodel',
      'artifacts',
      'models/flowers/3/',
      await listing('models/flowers/3/'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/method tensorflow\/serving\/train, which the Predict API does not run/),
    ]);
  });

  it.each([429, 503])(
    'throws a transient error, not a rejection, when Storage answers %i while reading',
    async (status) => {
      const files = await listing('models/flowers/1/');
      emulator.faults.failNext('objects.get', 1, status);
      const checking = checker.check('flowers', 'savedmodel', 'artifacts', 'models/flowers/1/', files);
      await expect(checking).rejects.toMatchObject({ code: status });
      emulator.faults.failNext('objects.get', 1, status);
      const error = await checker
        .missingFiles('flowers', 'artifacts', 'models/flowers/1/', files)
        .catch((e: unknown) => e);
      expect(classifyError(error)).toBe('transient');
    },
  );

  /** The real reader over the emulator, recording reads; `breakStream` makes a shard's stream fail after its first chunk with that code. */
  function recordingReader(breakStream?: number) {
    const inner = new GcsObjectReader(() => storage);
    const whole: string[] = [];
    const reader: ObjectReader = {
      list: (b, p) => inner.list(b, p),
      stat: (b, n) => inner.stat(b, n),
      read: (b, n) => {
        whole.push(n);
        return inner.read(b, n);
      },
      async *readStream(b, n, start) {
        for await (const chunk of inner.readStream(b, n, start)) {
          yield chunk;
          // after the first chunk has been delivered: a connection reset mid-download
          if (breakStream !== undefined && n.includes('variables.data-'))
            throw Object.assign(new Error('read ECONNRESET'), { code: breakStream });
        }
      },
    };
    return { reader, whole };
  }

  it('checksums the checkpoint by streaming its shards, never holding one whole (issue 12 §4)', async () => {
    const bucket = storage.bucket('artifacts');
    const big = writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2 });
    for (const [path, bytes] of Object.entries(big))
      await bucket.file(`models/flowers/4/${path}`).save(Buffer.from(bytes), { resumable: false });
    const { reader, whole } = recordingReader();
    const streaming = new StorageArtifactChecker(reader, () => workflows);
    const result = await streaming.check(
      'flowers',
      'savedmodel',
      'artifacts',
      'models/flowers/4/',
      await listing('models/flowers/4/'),
    );
    expect(result.problems).toEqual([]);
    expect(result.facts.variables).toMatchObject({ crcChecked: true, verified: true });
    expect(whole.filter((name) => name.includes('variables.data-'))).toEqual([]);
  });

  it('a transient read error in the middle of a shard is thrown (retry), not a rejection', async () => {
    const { reader } = recordingReader(503);
    const flaky = new StorageArtifactChecker(reader, () => workflows);
    const error = await flaky
      .check('flowers', 'savedmodel', 'artifacts', 'models/flowers/1/', await listing('models/flowers/1/'))
      .catch((e: unknown) => e);
    expect(classifyError(error)).toBe('transient');
  });
});
