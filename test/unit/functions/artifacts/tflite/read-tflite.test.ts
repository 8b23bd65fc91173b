import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Builder } from 'flatbuffers';
import { CheckedReader } from '../../../../../functions/artifacts/tflite/checked-reader';
import { readTflite } from '../../../../../functions/artifacts/tflite/read-tflite';
import { TfliteError } from '../../../../../functions/artifacts/tflite/tflite-error';
import * as S from '../../../../../functions/artifacts/tflite/tflite-schema';
import { writeExampleTflite } from '../../../../../functions/artifacts/tflite/write-example-tflite';
import { fixture } from '../../../../helpers/fixtures';

const tflite = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(`tflite/${name}.tflite`)));

/** Runs `read` and returns the TfliteError it throws; fails on success or on any other error. */
function refusal(read: () => unknown): TfliteError {
  try {
    read();
  } catch (error) {
    if (error instanceof TfliteError) return error;
    throw new Error(`expected a TfliteError, got ${String(error)}`);
  }
  throw new Error('expected a TfliteError, but the file was read');
}

/** Reads hostile bytes: a TfliteError or a result are both fine, anything else is a bug. */
function readOrRefuse(bytes: Uint8Array): void {
  try {
    readTflite(bytes, 'fuzz.tflite');
  } catch (error) {
    if (!(error instanceof TfliteError)) throw error;
    expect(error.message).toMatch(/^fuzz\.tflite: /);
  }
}

/** Byte position of the u32 length of vector field `id` in the root table. */
function rootVectorLengthAt(bytes: Uint8Array, id: number): number {
  const r = new CheckedReader(bytes, 'x');
  const vector = r.vector(r.tableAt(0, 'model'), id, 4, 'v');
  if (!vector) throw new Error(`no vector field ${id}`);
  return vector.start - 4;
}

const generated = writeExampleTflite({ a: 0.5, b: 2 });

describe('readTflite on TensorFlow-made files', () => {
  it('reads half_plus_two: x float32 [1,1] -> y, MUL and ADD', () => {
    const info = readTflite(tflite('half_plus_two'), 'half_plus_two.tflite');
    expect(info).toMatchObject({ identifier: 'TFL3', schemaVersion: 3, sizeBytes: 768, customOperators: [] });
    expect(info.inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: [1, 1], shapeSignature: null, quantization: null },
    ]);
    expect(info.outputs.map((t) => t.name)).toEqual(['y']);
    expect(info.operators.map((op) => op.name).sort()).toEqual(['ADD', 'MUL']);
    expect(info.metadata.min_runtime_version).toBe('1.5.0');
    expect(info.buffers.count).toBeGreaterThan(1);
  });

  it('reads the input of half_plus_two_signature as tflite_input', () => {
    const info = readTflite(tflite('half_plus_two_signature'));
    expect(info.inputs.map((t) => [t.name, t.dtype, t.shape])).toEqual([['tflite_input', 'float32', [1, 1]]]);
    expect(info.subgraphs[0].name).toBe('main');
  });

  it('reads add4: two inputs with dynamic batch and a serving_default signature', () => {
    const info = readTflite(tflite('add4'));
    expect(info.inputs.map((t) => t.shapeSignature)).toEqual([
      [-1, 4],
      [-1, 4],
    ]);
    expect(info.signatures).toEqual([
      {
        key: 'serving_default',
        subgraphIndex: 0,
        inputs: { input_1: 'serving_default_input_1:0', input_2: 'serving_default_input_2:0' },
        outputs: { add_1: 'PartitionedCall:0' },
      },
    ]);
    expect(info.metadata.CONVERSION_METADATA).toEqual({ bytes: expect.any(Number) });
  });

  it('lists the custom op of parse_example_custom_op', () => {
    const info = readTflite(tflite('parse_example_custom_op'));
    expect(info.customOperators).toEqual(['ParseExampleV2']);
    expect(info.operators).toEqual([{ name: 'ParseExampleV2', builtinCode: 32, version: 1, custom: true }]);
    expect(info.inputs[0].dtype).toBe('string');
    expect(info.metadata.min_runtime_version).toBe(''); // the converter leaves it unknown with custom ops
  });

  it('reads selfie_segmentation shapes, its conv ops and its MediaPipe custom op', () => {
    const info = readTflite(tflite('selfie_segmentation'));
    expect(info.inputs.map((t) => [t.name, t.shape])).toEqual([['input_1', [1, 256, 256, 3]]]);
    expect(info.outputs.map((t) => [t.name, t.shape])).toEqual([['activation_10', [1, 256, 256, 1]]]);
    expect(info.subgraphs[0].operatorCount).toBe(246);
    expect(info.operators.map((op) => op.name)).toEqual(
      expect.arrayContaining(['CONV_2D', 'DEPTHWISE_CONV_2D', 'RESIZE_BILINEAR']),
    );
    expect(info.customOperators).toEqual(['Convolution2DTransposeBias']);
    expect(info.buffers.totalBytes).toBeGreaterThan(200_000);
  });

  it.each(['half_plus_two', 'add4', 'selfie_segmentation'])(
    'refuses %s truncated anywhere in its first half',
    (name) => {
      const bytes = tflite(name);
      for (const cut of [8, 12, 16, 32, 64, 100, Math.floor(bytes.length / 4), Math.floor(bytes.length / 2)]) {
        expect(refusal(() => readTflite(bytes.subarray(0, cut), `${name}.tflite`)).message).toMatch(
          new RegExp(`^${name}\\.tflite: .*(outside the file|remain|truncated)`),
        );
      }
    },
  );

  it('never throws anything but TfliteError for bit flips of selfie_segmentation', () => {
    const base = tflite('selfie_segmentation');
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(1023), bit: fc.nat(7) }), { minLength: 1, maxLength: 6 }),
        (flips) => {
          const bytes = base.slice();
          for (const { at, bit } of flips) bytes[at] ^= 1 << bit; // the first KB holds the tables and vtables
          readOrRefuse(bytes);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('readTflite on generated files', () => {
  it('reads what the writer wrote', () => {
    const info = readTflite(generated, 'generated.tflite');
    expect(info.inputs.map((t) => [t.name, t.dtype, t.shape])).toEqual([['x', 'float32', [1, 1]]]);
    expect(info.signatures[0]).toEqual({
      key: 'serving_default',
      subgraphIndex: 0,
      inputs: { x: 'x' },
      outputs: { y: 'y' },
    });
  });

  it.each([
    ['empty', new Uint8Array(0), /generated\.tflite: the file is empty/],
    ['shorter than a header', generated.subarray(0, 7), /only 7 bytes/],
    ['a different identifier', Object.assign(generated.slice(), { 4: 0x58 }), /identifier is "XFL3", not "TFL3"/],
    [
      'a protobuf (SavedModel) instead',
      new TextEncoder().encode('\x08\x01\x12\x0ctensorflow serve'),
      /not a TFLite model/,
    ],
    [
      'a root offset past the end',
      Object.assign(generated.slice(), { 0: 0xff, 1: 0xff, 2: 0xff, 3: 0x7f }),
      /outside the file/,
    ],
  ])('refuses %s', (_name, bytes, message) => {
    const error = refusal(() => readTflite(bytes, 'generated.tflite'));
    expect(error.message).toMatch(message);
    expect(error.file).toBe('generated.tflite');
  });

  it('refuses something that is not bytes', () => {
    expect(refusal(() => readTflite('model.tflite' as unknown as Uint8Array)).message).toMatch(
      /expected the file's bytes/,
    );
  });

  it('refuses or reads every truncation, and refuses cuts that drop referenced data', () => {
    for (let cut = 0; cut < generated.length; cut += 1) readOrRefuse(generated.subarray(0, cut));
    expect(() => readTflite(generated.subarray(0, generated.length - 40))).toThrow(TfliteError);
  });

  it.each([
    ['subgraphs', S.Model.subgraphs],
    ['buffers', S.Model.buffers],
    ['operator_codes', S.Model.operatorCodes],
    ['signature_defs', S.Model.signatureDefs],
  ])('refuses a huge declared length of %s without allocating it', (name, id) => {
    const bytes = generated.slice();
    new DataView(bytes.buffer).setUint32(rootVectorLengthAt(bytes, id), 0xffffffff, true);
    expect(refusal(() => readTflite(bytes)).message).toMatch(new RegExp(`${name}: declares 4294967295 entries`));
  });

  it('never throws anything but TfliteError for random bit flips', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(generated.length - 1), bit: fc.nat(7) }), { minLength: 1, maxLength: 8 }),
        (flips) => {
          const bytes = generated.slice();
          for (const { at, bit } of flips) bytes[at] ^= 1 << bit;
          readOrRefuse(bytes);
        },
      ),
      { numRuns: 1000, seed: 42 },
    );
  });

  it('stops on files whose vectors alias each other instead of walking them quadratically', () => {
    // One tensor with a 100k-entry shape, listed 100k times as a subgraph input: 10^10 reads unchecked.
    const fb = new Builder(1024);
    const ints = (n: number, value: number) => {
      fb.startVector(4, n, 4);
      for (let i = 0; i < n; i += 1) fb.addInt32(value);
      return fb.endVector();
    };
    const shape = ints(100_000, 1);
    fb.startObject(2);
    fb.addFieldOffset(S.Tensor.shape, shape, 0);
    const tensor = fb.endObject();
    fb.startVector(4, 1, 4);
    fb.addOffset(tensor);
    const tensors = fb.endVector();
    const inputs = ints(100_000, 0);
    fb.startObject(2);
    fb.addFieldOffset(S.SubGraph.tensors, tensors, 0);
    fb.addFieldOffset(S.SubGraph.inputs, inputs, 0);
    const subgraph = fb.endObject();
    fb.startVector(4, 1, 4);
    fb.addOffset(subgraph);
    const subgraphs = fb.endVector();
    fb.startObject(3);
    fb.addFieldOffset(S.Model.subgraphs, subgraphs, 0);
    fb.finish(fb.endObject(), 'TFL3');
    expect(refusal(() => readTflite(fb.asUint8Array(), 'alias.tflite')).message).toMatch(
      /alias\.tflite: .*far more work than its size allows/,
    );
  });

  /** A model with one subgraph and buffers [empty, external(offset, size)], followed by `tail` bytes. */
  function externalBufferModel(offset: number, size: number, tail: number): Uint8Array {
    const fb = new Builder(256);
    fb.startObject(3);
    const empty = fb.endObject();
    fb.startObject(3);
    fb.addFieldInt64(S.Buffer.offset, BigInt(offset), 0n);
    fb.addFieldInt64(S.Buffer.size, BigInt(size), 0n);
    const external = fb.endObject();
    fb.startVector(4, 2, 4);
    fb.addOffset(external);
    fb.addOffset(empty);
    const buffers = fb.endVector();
    fb.startObject(5);
    const subgraph = fb.endObject();
    fb.startVector(4, 1, 4);
    fb.addOffset(subgraph);
    const subgraphs = fb.endVector();
    fb.startObject(8);
    fb.addFieldOffset(S.Model.subgraphs, subgraphs, 0);
    fb.addFieldOffset(S.Model.buffers, buffers, 0);
    fb.finish(fb.endObject(), 'TFL3');
    const head = fb.asUint8Array();
    const bytes = new Uint8Array(head.length + tail);
    bytes.set(head);
    return bytes;
  }

  it('counts buffers stored after the FlatBuffer (offset/size, as in files over 2 GB)', () => {
    const bytes = externalBufferModel(1024, 512, 2048);
    expect(readTflite(bytes).buffers).toEqual({ count: 2, totalBytes: 512 });
  });

  it('refuses an external buffer that runs past the end of the file', () => {
    const bytes = externalBufferModel(1024, 4096, 2048);
    expect(refusal(() => readTflite(bytes, 'big.tflite')).message).toMatch(
      /big\.tflite: buffers\[1\]: data at bytes 1024\.\.5120 lies past the end of the file/,
    );
  });

  it('refuses a signature pointing at a tensor that does not exist', () => {
    const bytes = generated.slice();
    const r = new CheckedReader(bytes, 'x');
    const defs = r.vector(r.tableAt(0, 'model'), S.Model.signatureDefs, 4, 'defs');
    const outputs = r.vector(r.tableIn(defs!, 0), S.SignatureDef.outputs, 4, 'outputs');
    const map = r.tableIn(outputs!, 0);
    new DataView(bytes.buffer).setUint32(r.field(map, S.TensorMap.tensorIndex, 4), 99, true);
    expect(refusal(() => readTflite(bytes)).message).toMatch(
      /signature_defs\[0\]\.outputs\[0\]\.tensor_index: tensor index 99 is not among the subgraph's 5 tensors/,
    );
  });
});
