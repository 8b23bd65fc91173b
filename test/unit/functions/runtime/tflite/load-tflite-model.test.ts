import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { TfliteError } from '../../../../../functions/artifacts/tflite/tflite-error';
import { writeExampleTflite } from '../../../../../functions/artifacts/tflite/write-example-tflite';
import { InstancesError, NotRunnableError } from '../../../../../functions/runtime/errors';
import { loadTfliteModel, type TfliteModel } from '../../../../../functions/runtime/tflite/load-tflite-model';
import { fixture } from '../../../../helpers/fixtures';
import { rejection } from '../../../../helpers/rejection';

const tflite = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(`tflite/${name}.tflite`)));

async function withModel<T>(
  bytes: Uint8Array,
  use: (model: TfliteModel) => Promise<T>,
  file = 'model.tflite',
): Promise<T> {
  const model = await loadTfliteModel(bytes, { file });
  try {
    return await use(model);
  } finally {
    model.dispose();
  }
}

/** float32 results within 1e-5, relative to the value for values above 1. */
function expectClose(actual: unknown, expected: number[][]): void {
  const rows = actual as number[][];
  expect(rows).toHaveLength(expected.length);
  const off = rows
    .flatMap((row, i) => row.map((v, j) => ({ i, j, v, want: expected[i][j] })))
    .filter(({ v, want }) => !(Math.abs(v - want) <= 1e-5 * Math.max(1, Math.abs(want))));
  expect(off).toEqual([]);
  expect(rows.map((row) => row.length)).toEqual(expected.map((row) => row.length));
}

describe('loadTfliteModel on TensorFlow-made files', () => {
  it('computes half_plus_two: x=1 -> 2.5, several instances in any accepted form', async () => {
    await withModel(tflite('half_plus_two'), async (model) => {
      expect(model.inputs).toEqual([{ name: 'x', tensor: 'x', dtype: 'float32', shape: [1, 1] }]);
      expect(model.outputs.map((o) => o.name)).toEqual(['y']);
      expectClose(await model.predict([1]), [[2.5]]);
      expectClose(await model.predict([1, [2], { x: [5] }, { x: -3 }, 0.1]), [[2.5], [3], [4.5], [0.5], [2.05]]);
    });
  });

  it('names the signature model input tflite_input', async () => {
    await withModel(tflite('half_plus_two_signature'), async (model) => {
      expect(model.inputs.map((i) => i.name)).toEqual(['tflite_input']);
      expectClose(await model.predict([{ tflite_input: [1] }, { tflite_input: [2] }]), [[2.5], [3]]);
    });
  });

  it('uses serving_default names for add4 and adds its two inputs', async () => {
    await withModel(tflite('add4'), async (model) => {
      expect(model.inputs.map((i) => [i.name, i.tensor])).toEqual([
        ['input_1', 'serving_default_input_1:0'],
        ['input_2', 'serving_default_input_2:0'],
      ]);
      expect(model.outputs.map((o) => o.name)).toEqual(['add_1']);
      const predictions = await model.predict([
        { input_1: [1, 2, 3, 4], input_2: [10, 20, 30, 40] },
        { input_1: [0, 0, 0, 0], input_2: [-1, 0.5, 2, 3] },
      ]);
      expectClose(predictions, [
        [11, 22, 33, 44],
        [-1, 0.5, 2, 3],
      ]);
    });
  });

  it.each([
    ['wrong dtype', [{ x: ['one'] }], /instances\[0\]\.x: expected a finite number, got the string "one"/],
    ['wrong shape', [1, [1, 2]], /instances\[1\]: shape \[2\] does not fit/],
    ['not an array', { x: [1] }, /instances: expected a JSON array/],
    ['empty', [], /instances: the array is empty/],
  ])('rejects instances with %s', async (_name, instances, message) => {
    await withModel(tflite('half_plus_two'), async (model) => {
      const error = await rejection<Error>(model.predict(instances as unknown[]));
      expect(error).toBeInstanceOf(InstancesError);
      expect(error.message).toMatch(message);
    });
  });

  it('rejects an instance missing one of two inputs, naming it', async () => {
    await withModel(tflite('add4'), async (model) => {
      const error = await rejection<Error>(
        model.predict([{ input_1: [1, 2, 3, 4], input_2: [1, 1, 1, 1] }, { input_1: [1, 2, 3, 4] }]),
      );
      expect(error).toBeInstanceOf(InstancesError);
      expect(error.message).toMatch(/instances\[1\]\.input_2: missing/);
    });
  });

  it('refuses the custom-op model clearly, and later loads still work', async () => {
    const error = await rejection<Error>(
      loadTfliteModel(tflite('parse_example_custom_op'), { file: 'gs://b/mobile/p/1/model.tflite' }),
    );
    expect(error).toBeInstanceOf(NotRunnableError);
    expect(error.message).toMatch(/^not runnable: custom op ParseExampleV2/);
    expect(error.message).toContain('gs://b/mobile/p/1/model.tflite');
    expect((error as NotRunnableError).blocker).toBe('ParseExampleV2');
    await withModel(tflite('half_plus_two'), async (model) => expectClose(await model.predict([1]), [[2.5]]));
  });

  it('refuses selfie_segmentation: its MediaPipe op Convolution2DTransposeBias is not in the stock runtime', async () => {
    const error = await rejection<Error>(loadTfliteModel(tflite('selfie_segmentation'), { file: 'selfie.tflite' }));
    expect(error).toBeInstanceOf(NotRunnableError);
    expect((error as NotRunnableError).blocker).toBe('Convolution2DTransposeBias');
    expect(error.message).toMatch(/Node number \d+ \(Convolution2DTransposeBias\) failed to prepare/);
  });

  it('reports a truncated file as a TfliteError before the runtime sees it', async () => {
    const bytes = tflite('half_plus_two');
    const error = await rejection<Error>(loadTfliteModel(bytes.subarray(0, 100), { file: 'cut.tflite' }));
    expect(error).toBeInstanceOf(TfliteError);
    expect(error.message).toMatch(/^cut\.tflite: /);
  });
});

describe('loadTfliteModel on generated files', () => {
  const example = writeExampleTflite({ a: 2, b: 1 });

  it('runs a fixed batch of 3 with padding: 7 instances in 3 Infers', async () => {
    await withModel(writeExampleTflite({ a: 2, b: 1, batch: 3 }), async (model) => {
      expect(model.inputs[0].shape).toEqual([3, 1]);
      const xs = [0, 1, 2, 3, 4, 5, 6];
      expectClose(
        await model.predict(xs.map((x) => [x])),
        xs.map((x) => [2 * x + 1]),
      );
    });
  });

  it('keeps concurrent predictions on one model apart', async () => {
    await withModel(example, async (model) => {
      const xs = Array.from({ length: 1500 }, (_, i) => i / 10);
      const [first, second] = await Promise.all([
        model.predict(xs.map((x) => [x])),
        model.predict(xs.map((x) => [-x])),
      ]);
      expectClose(
        first,
        xs.map((x) => [2 * x + 1]),
      );
      expectClose(
        second,
        xs.map((x) => [-2 * x + 1]),
      );
    });
  });

  it('refuses predict after dispose, and dispose twice is harmless', async () => {
    const model = await loadTfliteModel(example, { file: 'gone.tflite' });
    model.dispose();
    model.dispose();
    expect((await rejection<Error>(model.predict([1]))).message).toMatch(/gone\.tflite: the model was disposed/);
  });

  it('loads or refuses bit-flipped models cleanly; the runtime keeps working', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(example.length - 1), bit: fc.nat(7) }), { minLength: 1, maxLength: 4 }),
        async (flips) => {
          const bytes = example.slice();
          for (const { at, bit } of flips) bytes[at] ^= 1 << bit;
          try {
            (await loadTfliteModel(bytes, { file: 'flipped.tflite' })).dispose();
          } catch (error) {
            if (!(error instanceof TfliteError || error instanceof NotRunnableError)) throw error;
          }
        },
      ),
      { numRuns: 200, seed: 3 },
    );
    await withModel(example, async (model) => expectClose(await model.predict([1, 2]), [[3], [5]]));
  });
});
