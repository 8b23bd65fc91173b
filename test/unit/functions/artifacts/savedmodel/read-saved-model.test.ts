import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { readSavedModel, type SignatureInfo } from '../../../../../functions/artifacts/savedmodel/read-saved-model';
import { SavedModelError } from '../../../../../functions/artifacts/savedmodel/saved-model-error';
import { encodeSavedModel } from '../../../../../functions/artifacts/savedmodel/tf-proto';
import { fixture } from '../../../../helpers/fixtures';
import { PREDICT_X_TO_Y, savedModelMessage, signature, tensorInfo } from './saved-model-samples';

const dense = (name: string, dtype: string, shape: number[] | null) => ({ name, dtype, shape, encoding: 'dense' });
const predict = (inputs: object, outputs: object) => ({ method: 'tensorflow/serving/predict', inputs, outputs });
const INIT_OP = { method: '', inputs: {}, outputs: { __saved_model_init_op: dense('NoOp', 'DT_INVALID', null) } };
const regress = (input: string, dtype: string, shape: number[] | null, output: string) => ({
  method: 'tensorflow/serving/regress',
  inputs: { inputs: dense(input, dtype, shape) },
  outputs: { outputs: dense(output, 'DT_FLOAT', [-1, 1]) },
});

/** What each fixture's saved_model.pb declares (fixtures/README.md, checked with saved_model_cli's view). */
const FIXTURES: Array<[string, string, Record<string, unknown>]> = [
  [
    'tf1_half_plus_two',
    '1.14.0',
    {
      serving_default: predict({ x: dense('x:0', 'DT_FLOAT', [-1, 1]) }, { y: dense('y:0', 'DT_FLOAT', [-1, 1]) }),
      classify_x_to_y: {
        method: 'tensorflow/serving/classify',
        inputs: { inputs: dense('tf_example:0', 'DT_STRING', null) },
        outputs: { scores: dense('y:0', 'DT_FLOAT', [-1, 1]) },
      },
      regress_x_to_y: regress('tf_example:0', 'DT_STRING', null, 'y:0'),
      regress_x_to_y2: regress('tf_example:0', 'DT_STRING', null, 'y2:0'),
      regress_x2_to_y3: regress('x2:0', 'DT_FLOAT', [-1, 1], 'y3:0'),
    },
  ],
  // Written by TF 1.0 without tensor_shape in its TensorInfos: read as unknown rank.
  [
    'tf1_half_plus_three',
    '1.0.0-rc2',
    {
      serving_default: predict({ x: dense('x:0', 'DT_FLOAT', null) }, { y: dense('y:0', 'DT_FLOAT', null) }),
      'tensorflow/serving/regress': {
        method: 'tensorflow/serving/regress',
        inputs: { inputs: dense('tf_example:0', 'DT_FLOAT', null) },
        outputs: { outputs: dense('Identity:0', 'DT_FLOAT', null) },
      },
    },
  ],
  [
    'tf2_half_plus_two',
    '2.14.0',
    {
      __saved_model_init_op: INIT_OP,
      serving_default: predict(
        { x: dense('serving_default_x:0', 'DT_FLOAT', [1]) },
        { y: dense('StatefulPartitionedCall_5:0', 'DT_FLOAT', [1]) },
      ),
      classify_x_to_y: predict(
        { inputs: dense('classify_x_to_y_inputs:0', 'DT_STRING', [-1]) },
        { scores: dense('StatefulPartitionedCall_1:0', 'DT_FLOAT', [-1, 1]) },
      ),
      classify_x2_to_y3: predict(
        { inputs: dense('classify_x2_to_y3_inputs:0', 'DT_FLOAT', [1]) },
        { scores: dense('StatefulPartitionedCall:0', 'DT_FLOAT', [1]) },
      ),
      regress_x_to_y: predict(
        { inputs: dense('regress_x_to_y_inputs:0', 'DT_STRING', [-1]) },
        { outputs: dense('StatefulPartitionedCall_3:0', 'DT_FLOAT', [-1, 1]) },
      ),
      regress_x_to_y2: predict(
        { inputs: dense('regress_x_to_y2_inputs:0', 'DT_STRING', [-1]) },
        { outputs: dense('StatefulPartitionedCall_4:0', 'DT_FLOAT', [-1, 1]) },
      ),
      regress_x2_to_y3: predict(
        { inputs: dense('regress_x2_to_y3_inputs:0', 'DT_FLOAT', [1]) },
        { outputs: dense('StatefulPartitionedCall_2:0', 'DT_FLOAT', [1]) },
      ),
    },
  ],
  // A stateful counter: reads return the variable itself (a reference dtype), no plain predict.
  [
    'tf1_counter',
    '1.5.0-rc1',
    {
      get_counter: predict({}, { output: dense('counter:0', 'DT_FLOAT_REF', []) }),
      incr_counter: predict({}, { output: dense('incr_counter_op/AssignAdd:0', 'DT_FLOAT_REF', []) }),
      incr_counter_by: predict(
        { delta: dense('delta:0', 'DT_FLOAT', null) },
        { output: dense('incr_counter_by_op/AssignAdd:0', 'DT_FLOAT_REF', []) },
      ),
      reset_counter: predict({}, { output: dense('reset_counter_op/Assign:0', 'DT_FLOAT_REF', []) }),
    },
  ],
  [
    'tfjs_times_three_float',
    '2.0.0-beta1',
    {
      __saved_model_init_op: INIT_OP,
      serving_default: predict(
        { x: dense('serving_default_x:0', 'DT_FLOAT', []) },
        { output_0: dense('StatefulPartitionedCall:0', 'DT_FLOAT', []) },
      ),
    },
  ],
  [
    'tfjs_times_two_int',
    '2.0.0-beta1',
    {
      __saved_model_init_op: INIT_OP,
      serving_default: predict(
        { x: dense('serving_default_x:0', 'DT_INT32', []) },
        { output_0: dense('StatefulPartitionedCall:0', 'DT_INT32', []) },
      ),
    },
  ],
  [
    'tfjs_int64_multiply',
    '2.3.1',
    {
      __saved_model_init_op: INIT_OP,
      serving_default: predict(
        { x: dense('serving_default_x:0', 'DT_INT64', [2]) },
        { output_0: dense('StatefulPartitionedCall:0', 'DT_INT64', [2]) },
      ),
    },
  ],
  [
    'tfjs_model_single_input_multi_output',
    '2.0.0',
    {
      __saved_model_init_op: INIT_OP,
      serving_default: predict(
        { x: dense('serving_default_x:0', 'DT_INT32', []) },
        {
          output_0: dense('StatefulPartitionedCall:0', 'DT_INT32', []),
          output_1: dense('StatefulPartitionedCall:1', 'DT_INT32', []),
        },
      ),
    },
  ],
];

const fixturePb = (name: string) => new Uint8Array(readFileSync(fixture(`savedmodel/${name}/saved_model.pb`)));

/** Runs `read` and returns the SavedModelError it throws (fails the test on any other outcome). */
function errorOf(read: () => unknown): SavedModelError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(SavedModelError);
    return error as SavedModelError;
  }
  throw new Error('expected a SavedModelError, but the read succeeded');
}

/** Either a clean result or a SavedModelError; anything else (TypeError, RangeError) fails. */
function readsOrRefuses(bytes: Uint8Array): void {
  try {
    const info = readSavedModel(bytes, 'damaged/saved_model.pb');
    expect(info.metaGraphs.length).toBeGreaterThan(0);
  } catch (error) {
    expect(error).toBeInstanceOf(SavedModelError);
    expect((error as SavedModelError).message).toContain('damaged/saved_model.pb');
  }
}

describe('readSavedModel on TensorFlow-written fixtures', () => {
  it.each(FIXTURES)('%s: tags, TensorFlow version and every signature', (name, version, signatures) => {
    const info = readSavedModel(fixturePb(name));
    expect(info.schemaVersion).toBe(1);
    expect(info.metaGraphs).toHaveLength(1);
    const [graph] = info.metaGraphs;
    expect(graph.tags).toEqual(['serve']);
    expect(graph.tensorflowVersion).toBe(version);
    expect(typeof graph.tensorflowGitVersion).toBe('string');
    expect(graph.signatures).toEqual(signatures);
  });

  it('refuses every truncation of a real file with a SavedModelError naming it', () => {
    const bytes = fixturePb('tfjs_times_two_int');
    for (let end = 1; end < bytes.length; end += 1) {
      const error = errorOf(() => readSavedModel(bytes.subarray(0, end), 'cut/saved_model.pb'));
      expect(error.file).toBe('cut/saved_model.pb');
    }
  });

  it('never crashes or hangs on random byte flips of real files', () => {
    const files = FIXTURES.map(([name]) => fixturePb(name));
    fc.assert(
      fc.property(
        fc.nat(files.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        (which, flips) => {
          const bytes = files[which].slice();
          for (const [at, xor] of flips) bytes[at % bytes.length] ^= xor;
          readsOrRefuses(bytes);
        },
      ),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('says a TFLite file is not a SavedModel', () => {
    const tflite = new Uint8Array(readFileSync(fixture('tflite/half_plus_two.tflite')));
    expect(errorOf(() => readSavedModel(tflite)).message).toMatch(/TFLite model .*not a SavedModel/);
  });

  it('refuses a checkpoint index passed as saved_model.pb', () => {
    const index = new Uint8Array(readFileSync(fixture('savedmodel/tf1_half_plus_two/variables/variables.index')));
    expect(errorOf(() => readSavedModel(index)).message).toMatch(/saved_model\.pb: /);
  });
});

describe('readSavedModel on generated SavedModels (runs on a fresh clone)', () => {
  it('reads tags, versions and a predict signature', () => {
    const bytes = encodeSavedModel(
      savedModelMessage([{ tags: ['serve'], version: '2.15.0', signatures: { serving_default: PREDICT_X_TO_Y } }]),
    );
    const info = readSavedModel(bytes);
    expect(info).toEqual({
      schemaVersion: 1,
      metaGraphs: [
        {
          tags: ['serve'],
          tensorflowVersion: '2.15.0',
          tensorflowGitVersion: 'v2.15.0-test',
          signatures: {
            serving_default: predict(
              { x: dense('x:0', 'DT_FLOAT', [-1, 1]) },
              { y: dense('y:0', 'DT_FLOAT', [-1, 1]) },
            ),
          },
        },
      ],
    });
  });

  it.each<[string, number[] | null | undefined, number[] | null]>([
    ['known dims', [2, 3], [2, 3]],
    ['unknown dims', [-1, -1, 3], [-1, -1, 3]],
    ['a scalar', [], []],
    ['a zero-size dim (size omitted on the wire)', [0, 4], [0, 4]],
    ['unknown rank', null, null],
    ['no tensor_shape at all', undefined, null],
  ])('shape: %s', (_case, dims, expected) => {
    const sig = signature('tensorflow/serving/predict', { x: tensorInfo('x:0', 'DT_INT64', dims) }, {});
    const info = readSavedModel(encodeSavedModel(savedModelMessage([{ tags: ['serve'], signatures: { s: sig } }])));
    expect(info.metaGraphs[0].signatures.s.inputs.x.shape).toEqual(expected);
  });

  it('reads several MetaGraphs with distinct tag sets', () => {
    const bytes = encodeSavedModel(
      savedModelMessage([
        { tags: ['serve'], signatures: { serving_default: PREDICT_X_TO_Y } },
        { tags: ['serve', 'gpu'], signatures: {} },
        { tags: ['train'], signatures: {} },
      ]),
    );
    expect(readSavedModel(bytes).metaGraphs.map((graph) => graph.tags)).toEqual([
      ['serve'],
      ['serve', 'gpu'],
      ['train'],
    ]);
  });

  it('reads sparse and composite signature tensors, marking their encoding', () => {
    const sig = signature(
      'tensorflow/serving/predict',
      {
        ids: {
          cooSparse: {
            valuesTensorName: 'ids/values:0',
            indicesTensorName: 'ids/indices:0',
            denseShapeTensorName: 'ids/shape:0',
          },
          dtype: 'DT_INT64',
        },
        ragged: { compositeTensor: { components: [tensorInfo('r/values:0', 'DT_FLOAT', [-1])] }, dtype: 'DT_FLOAT' },
      },
      { y: tensorInfo('y:0', 'DT_FLOAT', [-1]) },
    );
    const inputs = readSavedModel(encodeSavedModel(savedModelMessage([{ tags: ['serve'], signatures: { s: sig } }])))
      .metaGraphs[0].signatures.s.inputs;
    expect(inputs.ids).toEqual({ name: 'ids/values:0', dtype: 'DT_INT64', shape: null, encoding: 'coo_sparse' });
    expect(inputs.ragged.encoding).toBe('composite');
  });

  it('reports a dtype newer than the schema by number instead of failing', () => {
    const sig = signature('m', { x: { name: 'x:0', dtype: 99 as never, tensorShape: { dim: [] } } }, {});
    const info = readSavedModel(encodeSavedModel(savedModelMessage([{ tags: ['serve'], signatures: { s: sig } }])));
    expect(info.metaGraphs[0].signatures.s.inputs.x.dtype).toBe('DT_UNKNOWN_99');
  });

  it('refuses every truncation of a generated file', () => {
    const bytes = encodeSavedModel(
      savedModelMessage([{ tags: ['serve'], signatures: { serving_default: PREDICT_X_TO_Y } }]),
    );
    for (let end = 1; end < bytes.length; end += 1) errorOf(() => readSavedModel(bytes.subarray(0, end)));
  });

  it('never crashes on random byte flips or random bytes', () => {
    const good = encodeSavedModel(
      savedModelMessage([{ tags: ['serve'], signatures: { serving_default: PREDICT_X_TO_Y } }]),
    );
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = good.slice();
        bytes[at % bytes.length] ^= xor;
        readsOrRefuses(bytes);
      }),
      { numRuns: 300, seed: 7 },
    );
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), readsOrRefuses), { numRuns: 300, seed: 8 });
  });

  it('survives absurdly deep nesting (no stack overflow escapes)', () => {
    // TensorInfo.composite_tensor (5) -> CompositeTensor.components (2) -> TensorInfo ... 20,000 deep,
    // inside SavedModel.meta_graphs (2) -> signature_def (5) -> value (2) -> inputs (1) -> value (2).
    let tensor: Uint8Array = Uint8Array.of(0x0a, 0x03, 0x78, 0x3a, 0x30); // name: "x:0"
    for (let depth = 0; depth < 20000; depth += 1) tensor = field(5, field(2, tensor));
    const signature = field(1, Buffer.concat([field(1, new TextEncoder().encode('x')), field(2, tensor)]));
    const entry = Buffer.concat([field(1, new TextEncoder().encode('s')), field(2, signature)]);
    readsOrRefuses(field(2, field(5, entry)));
  });

  const SIG = { serving_default: PREDICT_X_TO_Y };
  it.each<[string, () => unknown, RegExp]>([
    ['an empty file', () => readSavedModel(new Uint8Array(0)), /is empty \(0 bytes\)/],
    ['a file with no MetaGraph', () => readSavedModel(new Uint8Array([0x08, 0x01])), /holds no MetaGraph/],
    [
      'a MetaGraph without meta_info_def',
      () => readSavedModel(new Uint8Array([0x08, 0x01, 0x12, 0x00])),
      /meta_graphs\[0\] has no meta_info_def/,
    ],
    [
      'a synthetic TFLite header',
      () => readSavedModel(new Uint8Array([0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33, 0, 0])),
      /TFLite model/,
    ],
    [
      'JSON text',
      () => readSavedModel(new TextEncoder().encode('{"format": "graph-model", "modelTopology": {}}')),
      /not a valid SavedModel protobuf/,
    ],
    [
      'a string instead of bytes',
      () => readSavedModel('saved_model.pb' as never),
      /expected the file's bytes \(Uint8Array\) but got string/,
    ],
    ['null instead of bytes', () => readSavedModel(null as never), /got null/],
    ['a number array instead of bytes', () => readSavedModel([8, 1] as never), /got an array/],
    ['an ArrayBuffer instead of a view', () => readSavedModel(new ArrayBuffer(4) as never), /got ArrayBuffer/],
    [
      'a concatenated (duplicated) file',
      () => {
        const one = encodeSavedModel(savedModelMessage([{ tags: ['serve'], signatures: SIG }]));
        return readSavedModel(Buffer.concat([one, one]));
      },
      /meta_graphs\[1\] has the same tags \[serve\] as meta_graphs\[0\]/,
    ],
    [
      'a dim below -1',
      () =>
        readSavedModel(
          encodeSavedModel(
            savedModelMessage([
              {
                tags: ['serve'],
                signatures: { s: signature('m', { x: tensorInfo('x:0', 'DT_FLOAT', [-1, -7]) }, {}) },
              },
            ]),
          ),
        ),
      /signature_def\["s"\]\.inputs\["x"\]\.tensor_shape\.dim\[1\] is -7/,
    ],
    [
      'a dense input naming no tensor',
      () =>
        readSavedModel(
          encodeSavedModel(
            savedModelMessage([
              {
                tags: ['serve'],
                signatures: { s: signature('m', { x: { dtype: 'DT_FLOAT', tensorShape: { dim: [] } } }, {}) },
              },
            ]),
          ),
        ),
      /inputs\["x"\] names no graph tensor/,
    ],
  ])('refuses %s with a message that says what is wrong', (_case, read, message) => {
    const error = errorOf(read);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^saved_model\.pb: /);
    expect(error.remedy.length).toBeGreaterThan(10);
  });

  it('refuses a file over the 2 GiB protobuf limit before decoding it', () => {
    const huge = new Uint8Array(16);
    Object.defineProperty(huge, 'byteLength', { value: 2 ** 31 });
    expect(errorOf(() => readSavedModel(huge)).message).toMatch(/over the 2 GiB protobuf limit/);
  });

  it('types signature entries as the reader documents them', () => {
    const sig: SignatureInfo = readSavedModel(
      encodeSavedModel(savedModelMessage([{ tags: ['serve'], signatures: SIG }])),
    ).metaGraphs[0].signatures.serving_default;
    expect(Object.keys(sig).sort()).toEqual(['inputs', 'method', 'outputs']);
  });
});

/** A length-delimited protobuf field (wire type 2). */
function field(id: number, body: Uint8Array): Uint8Array {
  const header = [(id << 3) | 2];
  let length = body.length;
  while (length > 0x7f) {
    header.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  header.push(length);
  return Buffer.concat([Uint8Array.from(header), body]);
}
