import { readFileSync } from 'node:fs';
import { crc32c, crc32cExtend, maskCrc } from '../../../../../functions/artifacts/checkpoint/crc32c';
import { CheckpointError } from '../../../../../functions/artifacts/checkpoint/checkpoint-error';
import {
  CheckpointEntry,
  readCheckpointIndex,
} from '../../../../../functions/artifacts/checkpoint/read-checkpoint-index';
import { encodeStringTensor } from '../../../../../functions/artifacts/checkpoint/string-tensor';
import { readTensorValues, tensorCrc } from '../../../../../functions/artifacts/checkpoint/tensor-values';
import { writeCheckpoint } from '../../../../../functions/artifacts/checkpoint/write-checkpoint';
import { fixture } from '../../../../helpers/fixtures';
import { flip, halfPlusTwoCheckpoint } from './checkpoint-samples';

const fail = (detail: string): never => {
  throw new Error(detail);
};

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function readBack(key: string, dtype: string, shape: number[], data: Uint8Array) {
  const written = writeCheckpoint([{ key, dtype, shape, data }]);
  const [entry] = readCheckpointIndex(written.index).entries;
  return { entry, shard: written.shards[0], values: readTensorValues(entry, written.shards[0]) };
}

describe('readTensorValues on TensorFlow-made fixtures', () => {
  const load = (name: string) => {
    const dir = fixture(`savedmodel/${name}/variables`);
    const index = readCheckpointIndex(readFileSync(`${dir}/variables.index`));
    const shard = new Uint8Array(readFileSync(`${dir}/variables.data-00000-of-00001`));
    const value = (key: string) => readTensorValues(index.entries.find((e) => e.key === key) as CheckpointEntry, shard);
    return value;
  };

  it('tf1_half_plus_two: a = 0.5, b = 2, c = 3', () => {
    const value = load('tf1_half_plus_two');
    expect([...(value('a') as Float32Array)]).toEqual([0.5]);
    expect([...(value('b') as Float32Array)]).toEqual([2]);
    expect([...(value('c') as Float32Array)]).toEqual([3]);
  });

  it('tf1_half_plus_three: b = 3', () => {
    expect([...(load('tf1_half_plus_three')('b') as Float32Array)]).toEqual([3]);
  });

  it('tf2_half_plus_two: the object graph is one serialized TrackableObjectGraph naming the variables', () => {
    const value = load('tf2_half_plus_two');
    const graph = value('_CHECKPOINTABLE_OBJECT_GRAPH') as Uint8Array[];
    expect(graph).toHaveLength(1);
    const text = new TextDecoder().decode(graph[0]);
    for (const name of ['a/.ATTRIBUTES/VARIABLE_VALUE', 'b/.ATTRIBUTES/VARIABLE_VALUE', 'serving_default'])
      expect(text).toContain(name);
    expect([...(value('a/.ATTRIBUTES/VARIABLE_VALUE') as Float32Array)]).toEqual([0.5]);
  });

  it('tfjs_int64_multiply: int64 variables as BigInt64Array whose product is the model factor 6', () => {
    const value = load('tfjs_int64_multiply');
    const v1 = value('v1/.ATTRIBUTES/VARIABLE_VALUE') as BigInt64Array;
    const v2 = value('v2/.ATTRIBUTES/VARIABLE_VALUE') as BigInt64Array;
    expect(v1).toBeInstanceOf(BigInt64Array);
    expect(v1[0] * v2[0]).toBe(6n);
  });

  it('tfjs_times_two_int: int32 variable', () => {
    expect([...(load('tfjs_times_two_int')('v/.ATTRIBUTES/VARIABLE_VALUE') as Int32Array)]).toEqual([2]);
  });
});

describe('readTensorValues by dtype', () => {
  it.each([
    ['DT_FLOAT', new Float32Array([1.5, -2, 3.25, 0, 1e-3, 7]), Float32Array],
    ['DT_DOUBLE', new Float64Array([Math.PI, -1, 2, 3, 4, 5]), Float64Array],
    ['DT_INT32', new Int32Array([-1, 2, 2 ** 31 - 1, 0, 5, 6]), Int32Array],
    ['DT_INT64', new BigInt64Array([-1n, 2n ** 62n, 3n, 4n, 5n, 6n]), BigInt64Array],
    ['DT_UINT64', new BigUint64Array([2n ** 64n - 1n, 1n, 2n, 3n, 4n, 5n]), BigUint64Array],
    ['DT_UINT32', new Uint32Array([2 ** 32 - 1, 1, 2, 3, 4, 5]), Uint32Array],
    ['DT_INT16', new Int16Array([-32768, 1, 2, 3, 4, 5]), Int16Array],
    ['DT_UINT16', new Uint16Array([65535, 1, 2, 3, 4, 5]), Uint16Array],
    ['DT_HALF', new Uint16Array([0x3c00, 0, 1, 2, 3, 4]), Uint16Array],
    ['DT_INT8', new Int8Array([-128, 127, 0, 1, 2, 3]), Int8Array],
    ['DT_UINT8', new Uint8Array([255, 0, 1, 2, 3, 4]), Uint8Array],
    ['DT_BOOL', new Uint8Array([1, 0, 1, 1, 0, 0]), Uint8Array],
  ])('%s [2,3] comes back as the same values', (dtype, values, type) => {
    const { values: read } = readBack('t', dtype, [2, 3], bytesOf(values));
    expect(read).toBeInstanceOf(type);
    expect([...(read as ArrayLike<unknown> & Iterable<unknown>)]).toEqual([...values]);
  });

  it('reads from an unaligned offset in the shard', () => {
    const written = writeCheckpoint([
      { key: 'pad', dtype: 'DT_UINT8', shape: [3], data: new Uint8Array([1, 2, 3]) },
      { key: 'x', dtype: 'DT_FLOAT', shape: [2], data: bytesOf(new Float32Array([4, 5])) },
    ]);
    const entry = readCheckpointIndex(written.index).entries.find((e) => e.key === 'x') as CheckpointEntry;
    expect(entry.offset).toBe(3);
    expect([...(readTensorValues(entry, written.shards[0]) as Float32Array)]).toEqual([4, 5]);
  });

  it('DT_STRING comes back as one byte array per element, row-major', () => {
    const strings = ['a', '', 'ccc', 'dd'].map((s) => new TextEncoder().encode(s));
    const { values } = readBack('s', 'DT_STRING', [2, 2], encodeStringTensor(strings));
    expect((values as Uint8Array[]).map((s) => new TextDecoder().decode(s))).toEqual(['a', '', 'ccc', 'dd']);
  });

  it('empty tensors read as empty arrays', () => {
    expect(readBack('e', 'DT_FLOAT', [0, 4], new Uint8Array(0)).values).toHaveLength(0);
  });
});

describe('readTensorValues refuses what it cannot trust, naming the tensor', () => {
  const { index, shards } = halfPlusTwoCheckpoint();
  const entries = readCheckpointIndex(index).entries;
  const a = entries.find((e) => e.key === 'a') as CheckpointEntry;
  const graph = entries.find((e) => e.key === '_CHECKPOINTABLE_OBJECT_GRAPH') as CheckpointEntry;

  it.each([
    ['a flipped byte', () => readTensorValues(a, flip(shards[0], a.offset)), /tensor "a" checksum mismatch/],
    [
      'a flipped string byte',
      () => readTensorValues(graph, flip(shards[0], graph.offset + graph.size - 1)),
      /"_CHECKPOINTABLE_OBJECT_GRAPH" checksum mismatch/,
    ],
    ['a shard too short', () => readTensorValues(a, new Uint8Array(2)), /runs to byte 4 but its shard has 2 bytes/],
    [
      'size not matching dtype × shape',
      () => readTensorValues({ ...a, shape: [3] }, shards[0]),
      /is 4 bytes but DT_FLOAT \[3\] needs 12/,
    ],
    [
      'an overflowing shape',
      () => readTensorValues({ ...a, shape: [2 ** 40, 2 ** 40] }, shards[0]),
      /too many elements/,
    ],
    [
      'a resource tensor',
      () => readTensorValues({ ...a, dtype: 'DT_RESOURCE' }, shards[0]),
      /DT_RESOURCE, whose values cannot be read/,
    ],
    ['an unknown dtype', () => readTensorValues({ ...a, dtype: 'DT_77' }, shards[0]), /DT_77/],
    ['a partitioned variable', () => readTensorValues({ ...a, slices: 2 }, shards[0]), /partitioned/],
    [
      'a string tensor with a hostile element count',
      () => readTensorValues({ ...graph, shape: [1_000_000_000] }, shards[0]),
      /declares 1000000000 strings/,
    ],
  ])('%s', (_name, read, pattern) => {
    expect(read).toThrow(CheckpointError);
    expect(read).toThrow(pattern);
  });

  it('names the shard file when given one, and skips the crc when asked', () => {
    expect(() =>
      readTensorValues(a, flip(shards[0], a.offset), { file: 'm/variables/variables.data-00000-of-00001' }),
    ).toThrow(/^m\/variables\/variables\.data-00000-of-00001: tensor "a"/);
    expect(readTensorValues(a, flip(shards[0], a.offset), { checkCrc: false })).toHaveLength(1);
  });

  it('tensorCrc uses the DT_STRING scheme: lengths as uint32, the length checksum, then the bytes', () => {
    const x = new TextEncoder().encode('xy');
    const data = encodeStringTensor([x]);
    let crc = crc32c(new Uint8Array([2, 0, 0, 0]));
    crc = crc32cExtend(crc, data.subarray(1, 5));
    crc = crc32cExtend(crc, x);
    expect(tensorCrc('DT_STRING', [], data, fail)).toBe(maskCrc(crc));
    expect(tensorCrc('DT_STRING', [], data, fail)).not.toBe(maskCrc(crc32c(data)));
  });
});
