import fc from 'fast-check';
import { memoryFiles } from '../../../../functions/artifacts/artifact-files';
import { writeExampleSavedModel } from '../../../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../../../functions/artifacts/tflite/write-example-tflite';
import { loadLocalModel } from '../../../../functions/runtime/load-local-model';
import { arrayBufferBytes, mutate, mutation, within } from '../artifacts/mutations';

const MEMORY_BOUND = 128 * 1024 * 1024;
const TIME_BOUND_MS = 5000;

/**
 * Fuzzed artifacts through both runtimes (TensorFlow.js for SavedModels, Google's TFLite runtime
 * in WebAssembly): a damaged model loads and answers, or fails with an Error naming the file —
 * no crash of the process, no hang, no allocation sized by a corrupt header.
 */
describe('loadLocalModel on damaged artifacts', () => {
  const model = Object.fromEntries(
    Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })).map(([k, v]) => [k, Uint8Array.from(v)]),
  );
  const tflite = writeExampleTflite({ a: 0.5, b: 2 });

  /**
   * Loading must fail with an Error naming the file. A flipped bit can also leave a valid but
   * different model (another input shape, another signature method): then predicting fails with
   * the runtime's own clear Error about the instances or the signature, which is fine too.
   */
  async function expectCleanOutcome(file: string, files: Record<string, Uint8Array>, location: string): Promise<void> {
    const before = arrayBufferBytes();
    let stage: 'load' | 'predict' = 'load';
    const outcome = await within(TIME_BOUND_MS, file, async () => {
      const loaded = await loadLocalModel(memoryFiles(files, location));
      stage = 'predict';
      try {
        await loaded.predict([{ x: [1] }]);
      } finally {
        loaded.dispose();
      }
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(arrayBufferBytes() - before).toBeLessThan(MEMORY_BOUND);
    if (outcome === undefined) return;
    expect(outcome).toBeInstanceOf(Error);
    const message = (outcome as Error).message;
    expect(message).not.toMatch(/took longer than/);
    // NotRunnableError ("not runnable locally: ...") is the runtimes' refusal of a well-formed model.
    if (stage === 'load')
      expect(
        message.includes(file.split('/').pop() as string) ||
          message.includes(location) ||
          message.startsWith('not runnable'),
      ).toBe(true);
    else expect(message).toMatch(/instances|signature|input|output|shape|dtype|not runnable/i);
  }

  it.each(Object.keys(model))(
    'TensorFlow.js survives damage to %s',
    async (file) => {
      await fc.assert(
        fc.asyncProperty(mutation(model[file].length), async (m) => {
          await expectCleanOutcome(file, { ...model, [file]: mutate(model[file], m) }, 'gs://fuzz/models/x/1');
        }),
        { numRuns: 80, seed: 11 },
      );
    },
    60_000,
  );

  it('the TFLite runtime survives damage to a .tflite file', async () => {
    await fc.assert(
      fc.asyncProperty(mutation(tflite.length), async (m) => {
        await expectCleanOutcome('model.tflite', { '': mutate(tflite, m) }, 'gs://fuzz/mobile/x/1/model.tflite');
      }),
      { numRuns: 200, seed: 11 },
    );
  }, 60_000);
});
