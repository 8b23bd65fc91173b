import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../../cli/run-cli';
import { captureIo } from '../../../helpers/capture-io';
import { fixture } from '../../../helpers/fixtures';
import { useTempDir } from '../../../helpers/temp-dir';

async function inspectJson(path: string) {
  const io = captureIo();
  const code = await runCli(['inspect', path, '--json'], io);
  return { code, io, report: code === 0 ? JSON.parse(io.stdout.join('')) : undefined };
}

describe('ferry inspect on the TensorFlow-made fixtures', () => {
  // What the fixtures README says each model takes and gives (serving_default).
  it.each([
    ['tf1_half_plus_two', '1.', 'x', 'DT_FLOAT', [-1, 1], 'y'],
    ['tf1_half_plus_three', '1.', 'x', 'DT_FLOAT', null, 'y'],
    ['tf2_half_plus_two', '2.', 'x', 'DT_FLOAT', [1], 'y'],
    ['tfjs_times_three_float', '2.', 'x', 'DT_FLOAT', null, 'output_0'],
    ['tfjs_times_two_int', '2.', 'x', 'DT_INT32', null, 'output_0'],
    ['tfjs_int64_multiply', '2.', null, 'DT_INT64', null, null],
  ])(
    '%s: serving_default, dtypes, shapes and a verified checkpoint',
    async (name, tfMajor, inputKey, dtype, shape, outputKey) => {
      const { code, report } = await inspectJson(fixture(`savedmodel/${name}`));
      expect(code).toBe(0);
      expect(report.kind).toBe('savedmodel');
      const graph = report.metaGraphs[0];
      expect(graph.tags).toEqual(['serve']);
      expect(graph.tensorflowVersion.startsWith(tfMajor)).toBe(true);
      const signature = graph.signatures.serving_default;
      expect(signature.method).toBe('tensorflow/serving/predict');
      const [key, input] = Object.entries(signature.inputs)[0] as [string, { dtype: string; shape: number[] | null }];
      if (inputKey) expect(key).toBe(inputKey);
      expect(input.dtype).toBe(dtype);
      if (shape !== null) expect(input.shape).toEqual(shape);
      if (outputKey) expect(Object.keys(signature.outputs)).toEqual([outputKey]);
      expect(report.variables).toMatchObject({ shards: 1, verified: true, crcChecked: true });
      expect(report.variables.entries).toBeGreaterThan(0);
    },
  );

  it('reads the two outputs of the multi-output model and all five TF1 signatures', async () => {
    const multi = (await inspectJson(fixture('savedmodel/tfjs_model_single_input_multi_output'))).report;
    expect(Object.keys(multi.metaGraphs[0].signatures.serving_default.outputs)).toHaveLength(2);
    const tf1 = (await inspectJson(fixture('savedmodel/tf1_half_plus_two'))).report;
    expect(Object.keys(tf1.metaGraphs[0].signatures).sort()).toEqual([
      'classify_x_to_y',
      'regress_x2_to_y3',
      'regress_x_to_y',
      'regress_x_to_y2',
      'serving_default',
    ]);
    expect(tf1.metaGraphs[0].signatures.classify_x_to_y.inputs.inputs.dtype).toBe('DT_STRING');
    expect(tf1.assets).toEqual(['assets/foo.txt']);
  });

  it('reports the counter model (stateful, no plain predict) without refusing to inspect it', async () => {
    const { code, report } = await inspectJson(fixture('savedmodel/tf1_counter'));
    expect(code).toBe(0);
    expect(Object.keys(report.metaGraphs[0].signatures).length).toBeGreaterThan(0);
  });

  it.each([
    ['half_plus_two.tflite', 'x', [1, 1], 'y'],
    ['half_plus_two_signature.tflite', 'tflite_input', [1, 1], 'y'],
  ])('%s: inputs, outputs, operators and size', async (file, input, shape, output) => {
    const { code, report } = await inspectJson(fixture(`tflite/${file}`));
    expect(code).toBe(0);
    expect(report).toMatchObject({
      kind: 'tflite',
      sizeBytes: readFileSync(fixture(`tflite/${file}`)).length,
      customOperators: [],
    });
    expect(report.inputs).toEqual([expect.objectContaining({ name: input, dtype: 'float32', shape })]);
    expect(report.outputs[0].name).toBe(output);
    expect(report.operators.map((op: { name: string }) => op.name).sort()).toEqual(['ADD', 'MUL']);
  });

  it('flags the custom op model and exits non-zero with one line naming the op', async () => {
    const io = captureIo();
    expect(await runCli(['inspect', fixture('tflite/parse_example_custom_op.tflite')], io)).toBe(1);
    expect(io.stderr).toEqual([
      expect.stringMatching(/parse_example_custom_op\.tflite: uses custom op ParseExampleV2/),
    ]);
  });

  describe('broken variants', () => {
    const dir = useTempDir();
    const copy = (name: string) => {
      const target = join(dir(), name);
      cpSync(fixture(`savedmodel/${name}`), target, { recursive: true });
      return target;
    };

    it.each([1, 10, 100, 1000])('saved_model.pb truncated to %i bytes', async (length) => {
      const model = copy('tf1_half_plus_two');
      const pb = readFileSync(join(model, 'saved_model.pb'));
      writeFileSync(join(model, 'saved_model.pb'), pb.subarray(0, length));
      const { code, io } = await inspectJson(model);
      expect(code).toBe(1);
      expect(io.stderr).toEqual([expect.stringMatching(/saved_model\.pb: .+/)]);
    });

    it('a bit flipped at byte 84 of saved_model.pb is refused; --fast (signatures only) misses it', async () => {
      // Issue 12 §5: this variant passed inspect and failed 30 minutes into a Vertex deployment.
      const model = copy('tf1_half_plus_two');
      const pb = readFileSync(join(model, 'saved_model.pb'));
      pb[84] ^= 0x01;
      writeFileSync(join(model, 'saved_model.pb'), pb);
      const { code, io } = await inspectJson(model);
      expect(code).toBe(1);
      expect(io.stderr).toEqual([expect.stringMatching(/saved_model\.pb: .+; the file is corrupt .*upload it again/)]);
      const fast = captureIo();
      expect(await runCli(['inspect', model, '--fast'], fast)).toBe(0);
    });

    it('a flipped byte in a data shard gives a crc mismatch naming the tensor', async () => {
      const model = copy('tf2_half_plus_two');
      const shard = join(model, 'variables/variables.data-00000-of-00001');
      const bytes = readFileSync(shard);
      bytes[bytes.length - 3] ^= 0xff;
      writeFileSync(shard, bytes);
      const { code, io } = await inspectJson(model);
      expect(code).toBe(1);
      expect(io.stderr.join('\n')).toMatch(/variables\.data-00000-of-00001: .*crc32c/i);
    });

    it('a deleted shard is named', async () => {
      const model = copy('tf1_half_plus_two');
      rmSync(join(model, 'variables/variables.data-00000-of-00001'));
      const { code, io } = await inspectJson(model);
      expect(code).toBe(1);
      expect(io.stderr.join('\n')).toMatch(/variables\.data-00000-of-00001/);
    });

    it('an index with a bad footer is refused with one line', async () => {
      const model = copy('tf1_half_plus_two');
      const index = join(model, 'variables/variables.index');
      const bytes = readFileSync(index);
      bytes[bytes.length - 1] ^= 0xff;
      writeFileSync(index, bytes);
      const { code, io } = await inspectJson(model);
      expect(code).toBe(1);
      expect(io.stderr).toEqual([expect.stringMatching(/variables\.index: .*magic/i)]);
    });

    it('a TFLite file with a wrong identifier and an empty file are refused', async () => {
      const bytes = readFileSync(fixture('tflite/half_plus_two.tflite'));
      bytes.write('XXXX', 4, 'latin1');
      writeFileSync(join(dir(), 'bad.tflite'), bytes);
      writeFileSync(join(dir(), 'empty.tflite'), new Uint8Array());
      for (const name of ['bad.tflite', 'empty.tflite']) {
        const { code, io } = await inspectJson(join(dir(), name));
        expect(code).toBe(1);
        expect(io.stderr).toEqual([expect.stringContaining(name)]);
      }
    });
  });
});

describe('ferry inspect on generated artifacts (runs on a fresh clone too)', () => {
  const dir = useTempDir();

  it('inspects the example SavedModel and TFLite it writes', async () => {
    expect(await runCli(['examples', dir(), '--a', '3', '--shards', '2'], captureIo())).toBe(0);
    const saved = await inspectJson(join(dir(), 'savedmodel'));
    expect(saved.code).toBe(0);
    expect(saved.report.metaGraphs[0].signatures.serving_default.inputs.x).toMatchObject({
      dtype: 'DT_FLOAT',
      shape: [-1, 1],
    });
    expect(saved.report.variables).toMatchObject({ shards: 2, entries: 2, verified: true });
    const tflite = await inspectJson(join(dir(), 'model.tflite'));
    expect(tflite.report.inputs[0]).toMatchObject({ name: 'x', dtype: 'float32', shape: [1, 1] });
  });

  it.each([
    ['model.keras', 'Keras v3'],
    ['model.h5', 'HDF5'],
    ['model.onnx', 'ONNX'],
    ['model.json', 'TensorFlow.js'],
  ])('explains what to export instead of %s', async (name, format) => {
    writeFileSync(join(dir(), name), 'x');
    const { code, io } = await inspectJson(join(dir(), name));
    expect(code).toBe(1);
    expect(io.stderr[0]).toContain(format);
  });

  it('explains a folder with variables but no saved_model.pb, and a missing path', async () => {
    await runCli(['examples', dir()], captureIo());
    rmSync(join(dir(), 'savedmodel/saved_model.pb'));
    const { io } = await inspectJson(join(dir(), 'savedmodel'));
    expect(io.stderr[0]).toMatch(/checkpoint without saved_model\.pb.*tf\.saved_model\.save/);
    const missing = await inspectJson(join(dir(), 'nope'));
    expect(missing.io.stderr[0]).toMatch(/nope: no such file or folder/);
  });

  it('prints usage and exits 2 without a path', async () => {
    const io = captureIo();
    expect(await runCli(['inspect'], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/usage: ferry inspect/);
  });
});
