import { folderFiles, memoryFiles } from '../../../../../functions/artifacts/artifact-files';
import { writeExampleSavedModel } from '../../../../../functions/artifacts/savedmodel/write-example-saved-model';
import { InstancesError, NotRunnableError } from '../../../../../functions/runtime/errors';
import { loadSavedModel } from '../../../../../functions/runtime/savedmodel/load-saved-model';
import { fixture } from '../../../../helpers/fixtures';
import { trackingFiles } from './saved-model-builder';

const TOLERANCE = 1e-5;
const model = (name: string) => folderFiles(fixture(`savedmodel/${name}`));

function expectClose(actual: unknown, expected: number[]): void {
  const flat = (actual as unknown[]).flat(Infinity) as number[];
  expect(flat).toHaveLength(expected.length);
  flat.forEach((value, i) => expect(Math.abs(value - expected[i])).toBeLessThanOrEqual(TOLERANCE));
}

describe('loadSavedModel on SavedModels made by TensorFlow', () => {
  it.each([
    ['tf1_half_plus_two', [1, 2, 5], [2.5, 3, 4.5]],
    ['tf1_half_plus_three', [1, 2, 5], [3.5, 4, 5.5]],
    ['tf2_half_plus_two', [1, 2, 5], [2.5, 3, 4.5]],
    ['tfjs_times_three_float', [1, 2, 3], [3, 6, 9]],
    ['tfjs_times_two_int', [1, 2, 3], [2, 4, 6]],
    ['tfjs_int64_multiply', [3, 4], [18, 24]],
  ])('%s predicts %j → %j', async (name, instances, expected) => {
    const runner = await loadSavedModel(model(name));
    try {
      expect(runner.signatureName).toBe('serving_default');
      expect(runner.backend).toBe('tfjs-cpu');
      expectClose(await runner.predict(instances), expected);
    } finally {
      runner.dispose();
    }
  });

  it('keeps the row format of a [-1,1] signature and accepts named instances', async () => {
    const runner = await loadSavedModel(model('tf1_half_plus_two'));
    expect(runner.inputs.x).toMatchObject({ dtype: 'float32', shape: [-1, 1] });
    expect(await runner.predict([{ x: [1] }, { x: [5] }])).toEqual([[2.5], [4.5]]);
    runner.dispose();
  });

  it('gives an object per instance when the signature has two outputs', async () => {
    const runner = await loadSavedModel(model('tfjs_model_single_input_multi_output'));
    expect(Object.keys(runner.outputs).sort()).toEqual(['output_0', 'output_1']);
    expect(await runner.predict([1, 2, 3])).toEqual([
      { output_0: 2, output_1: 1 },
      { output_0: 4, output_1: 2 },
      { output_0: 6, output_1: 3 },
    ]);
    runner.dispose();
  });

  it('reports int64 inputs and outputs as int64 and computes them exactly', async () => {
    const runner = await loadSavedModel(model('tfjs_int64_multiply'));
    expect(runner.inputs.x.dtype).toBe('int64');
    expect(await runner.predict([100000, -7])).toEqual([600000, -42]);
    runner.dispose();
  });

  it('splits big requests into batches with the same answers', async () => {
    const runner = await loadSavedModel(model('tf2_half_plus_two'), { maxBatch: 2 });
    const xs = [0, 1, 2, 3, 4, 5, 6];
    expectClose(
      await runner.predict(xs),
      xs.map((x) => 0.5 * x + 2),
    );
    runner.dispose();
  });

  it.each([
    ['tf1_counter', 'get_counter', /takes no inputs/],
    ['tf1_counter', 'incr_counter', /takes no inputs/],
    ['tf1_counter', 'incr_counter_by', /variable reference/],
    ['tf1_counter', 'reset_counter', /takes no inputs/],
    ['tf1_half_plus_two', 'classify_x_to_y', /tensorflow\/serving\/classify signature taking serialized tf\.Example/],
    ['tf1_half_plus_two', 'regress_x_to_y', /tensorflow\/serving\/regress signature taking serialized tf\.Example/],
    ['tf1_half_plus_two', 'regress_x_to_y2', /tf\.Example/],
    ['tf1_half_plus_three', 'tensorflow/serving/regress', /op ParseExample\)/],
    ['tf2_half_plus_two', 'classify_x_to_y', /tf\.Example/],
    ['tf2_half_plus_two', 'regress_x_to_y', /tf\.Example/],
  ])('%s signature %s is refused as not runnable', async (name, signature, message) => {
    const error = await loadSavedModel(model(name), { signature }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotRunnableError);
    expect((error as Error).message).toMatch(/^not runnable locally: /);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ['tf2_half_plus_two', 'classify_x2_to_y3'],
    ['tf1_half_plus_two', 'regress_x2_to_y3'],
  ])('%s runs %s, a signature taking tensors, as TF Serving Predict does (y = 0.5x + 3)', async (name, signature) => {
    const runner = await loadSavedModel(model(name), { signature });
    expectClose(await runner.predict([1, 2]), [3.5, 4]);
    runner.dispose();
  });

  it('names the signatures there are when the one asked for is missing', async () => {
    await expect(loadSavedModel(model('tf2_half_plus_two'), { signature: 'predict_me' })).rejects.toThrow(
      /no signature "predict_me"; the SavedModel has classify_x2_to_y3, .*serving_default/,
    );
  });

  it('names the tag sets there are when the tags do not match', async () => {
    await expect(loadSavedModel(model('tf2_half_plus_two'), { tags: ['serve', 'gpu'] })).rejects.toThrow(
      /no MetaGraph is tagged \[serve, gpu\]; it has \[serve\]/,
    );
  });

  it.each([
    ['not an array', { x: 1 }, /instances: expected a JSON array/],
    ['empty', [], /the array is empty/],
    ['a string for a float', [1, 'two'], /instances\[1\]: expected a finite number/],
    ['named with an unknown input', [{ y: 1 }], /instances\[0\]: unknown input y; the signature takes x/],
    ['missing a named input', [{ x: [1] }, {}], /instances\[1\]\.x: missing/],
    ['ragged nesting', [[1], [2, 3]], /instances\[1\]: shape \[2\] does not fit/],
    ['an int64 beyond int32', [3, 2 ** 40], /instances\[1\]\.x: 1099511627776 is outside the int32 range/],
  ])('rejects instances that are %s with a clear error', async (_, instances, message) => {
    const name = String(message).includes('int32') ? 'tfjs_int64_multiply' : 'tf1_half_plus_two';
    const runner = await loadSavedModel(model(name));
    const error = await runner.predict(instances as unknown[]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstancesError);
    expect((error as Error).message).toMatch(message);
    expectClose(await runner.predict([3]), [name === 'tfjs_int64_multiply' ? 18 : 3.5]);
    runner.dispose();
  });

  it('reads only saved_model.pb, the index and the shard holding the variables', async () => {
    const dir = folderFiles(fixture('savedmodel/tf1_half_plus_two'));
    const record: Record<string, Uint8Array> = {};
    for (const path of (await dir.list()).keys()) record[path] = await dir.read(path);
    const { files, reads } = trackingFiles(record);
    const runner = await loadSavedModel(files);
    expect(reads.sort()).toEqual([
      'saved_model.pb',
      'variables/variables.data-00000-of-00001',
      'variables/variables.index',
    ]);
    runner.dispose();
  });

  it('refuses to predict after dispose', async () => {
    const runner = await loadSavedModel(model('tfjs_times_two_int'));
    runner.dispose();
    await expect(runner.predict([1])).rejects.toThrow(/was disposed/);
  });
});

/** The project's own writer, beside TensorFlow's files. */
describe('loadSavedModel on SavedModels from writeExampleSavedModel', () => {
  it.each([1, 2])('a=3, b=-1 over %i shard(s) predicts 3x - 1', async (numShards) => {
    const runner = await loadSavedModel(
      memoryFiles(writeExampleSavedModel({ a: 3, b: -1, numShards }), 'mem://example/1'),
    );
    expect(runner.inputs.x.dtype).toBe('float32');
    expectClose(await runner.predict([1, 2, 5]), [2, 5, 14]);
    runner.dispose();
  });

  it('with extra variables spread over many shards reads only the shards of a and b', async () => {
    const { files, reads } = trackingFiles(
      writeExampleSavedModel({ a: 3, b: -1, numShards: 6, extraVariables: { count: 10, elements: 64 } }),
    );
    const runner = await loadSavedModel(files);
    expectClose(await runner.predict([0, 10]), [-1, 29]);
    const shardsRead = reads.filter((p) => p.includes('.data-'));
    expect(shardsRead.length).toBeGreaterThanOrEqual(1);
    expect(shardsRead.length).toBeLessThanOrEqual(2);
    runner.dispose();
  });
});
