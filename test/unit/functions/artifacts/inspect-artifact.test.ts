import fc from 'fast-check';
import { memoryFiles } from '../../../../functions/artifacts/artifact-files';
import { inspectFile, inspectFolder } from '../../../../functions/artifacts/inspect-artifact';
import { writeExampleSavedModel } from '../../../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../../../functions/artifacts/tflite/write-example-tflite';
import { arrayBufferBytes, mutate, mutation, within } from './mutations';

/** A hostile header may not make the inspector hold more than this beyond the artifact itself. */
const MEMORY_BOUND = 64 * 1024 * 1024;
const TIME_BOUND_MS = 2000;
const RUNS = 150;

/**
 * Fuzzed artifacts through the inspector: every damaged variant gets a report or an Error naming
 * the damaged file, quickly, without allocating what a corrupt header declares. Seeded, so a
 * failure prints a seed and path that replay it.
 */
describe('inspectFolder and inspectFile on damaged artifacts', () => {
  // Plain Uint8Arrays, as the Storage adapter hands them over (the writer returns a Node Buffer for
  // saved_model.pb, which is a different realm's Uint8Array inside jest).
  const model = Object.fromEntries(
    Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2 })).map(([k, v]) => [k, Uint8Array.from(v)]),
  );
  const tflite = writeExampleTflite({ a: 0.5, b: 2 });

  async function expectCleanOutcome(file: string, run: () => Promise<unknown>): Promise<void> {
    const before = arrayBufferBytes();
    const outcome = await within(TIME_BOUND_MS, file, run).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(arrayBufferBytes() - before).toBeLessThan(MEMORY_BOUND);
    if (outcome === undefined) return;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).not.toMatch(/took longer than/);
    // The message says which file is damaged, so the person who uploaded it knows what to replace.
    expect((outcome as Error).message).toContain(file.split('/').pop());
  }

  it.each(Object.keys(model))('survives any damage to %s', async (file) => {
    await fc.assert(
      fc.asyncProperty(mutation(model[file].length), async (m) => {
        const damaged = { ...model, [file]: mutate(model[file], m) };
        await expectCleanOutcome(file, () => inspectFolder(memoryFiles(damaged, 'gs://fuzz/models/x/1')));
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  it('survives any damage to a TFLite file', async () => {
    await fc.assert(
      fc.asyncProperty(mutation(tflite.length), async (m) => {
        await expectCleanOutcome('model.tflite', async () =>
          inspectFile(mutate(tflite, m), 'gs://fuzz/mobile/x/1/model.tflite'),
        );
      }),
      { numRuns: RUNS * 2, seed: 7 },
    );
  });

  it('reports, rather than throws on, a shard that is cut short', async () => {
    const shard = Object.keys(model).find((f) => f.includes('data-00001')) as string;
    const report = await inspectFolder(
      memoryFiles({ ...model, [shard]: model[shard].slice(0, 1) }, 'gs://fuzz/models/x/1'),
    );
    expect(report.problems.map((p) => p.file).join(' ')).toContain(shard);
  });
});
