import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { DTYPE_BYTES } from '../../../../../functions/artifacts/checkpoint/dtypes';
import {
  readCheckpointIndex,
  shardFileName,
} from '../../../../../functions/artifacts/checkpoint/read-checkpoint-index';
import { encodeStringTensor } from '../../../../../functions/artifacts/checkpoint/string-tensor';
import { readTable, readTableLayout } from '../../../../../functions/artifacts/checkpoint/table-reader';
import { readTensorValues } from '../../../../../functions/artifacts/checkpoint/tensor-values';
import { verifyCheckpoint } from '../../../../../functions/artifacts/checkpoint/verify-checkpoint';
import {
  checkpointFiles,
  TensorToWrite,
  writeCheckpoint,
  WrittenCheckpoint,
} from '../../../../../functions/artifacts/checkpoint/write-checkpoint';
import { fixture } from '../../../../helpers/fixtures';
import { floats, halfPlusTwoTensors } from './checkpoint-samples';

function shardMap(written: WrittenCheckpoint): Map<number, Uint8Array> {
  return new Map(written.shards.map((bytes, i) => [i, bytes]));
}

/** Every tensor read back through the reader equals what was written. */
function expectRoundTrip(tensors: TensorToWrite[], written: WrittenCheckpoint, numShards: number): void {
  const index = readCheckpointIndex(written.index);
  expect(index.numShards).toBe(numShards);
  expect(written.shards).toHaveLength(numShards);
  expect(index.entries.map((e) => e.key)).toEqual(
    tensors.map((t) => t.key).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
  );
  for (const tensor of tensors) {
    const entry = index.entries.find((e) => e.key === tensor.key);
    expect(entry).toMatchObject({ dtype: tensor.dtype, shape: tensor.shape, size: tensor.data.length });
    const shard = written.shards[entry?.shardId ?? -1];
    expect(shard.subarray(entry?.offset, (entry?.offset ?? 0) + tensor.data.length)).toEqual(tensor.data);
    if (entry) readTensorValues(entry, shard);
  }
  expect(verifyCheckpoint(index, shardMap(written))).toMatchObject({ verified: true, problems: [] });
}

describe('writeCheckpoint reproduces TensorFlow-made checkpoints', () => {
  const root = fixture('savedmodel');
  it.each(readdirSync(root))('%s: same shard bytes, same raw data blocks, same index keys', (name) => {
    const dir = `${root}/${name}/variables`;
    const original = new Uint8Array(readFileSync(`${dir}/variables.index`));
    const shard = new Uint8Array(readFileSync(`${dir}/variables.data-00000-of-00001`));
    const entries = [...readCheckpointIndex(original).entries].sort((a, b) => a.offset - b.offset);
    const written = writeCheckpoint(
      entries.map((e) => ({
        key: e.key,
        dtype: e.dtype,
        shape: e.shape,
        data: shard.subarray(e.offset, e.offset + e.size),
      })),
    );
    expect(written.shards[0]).toEqual(shard);
    const ours = readTableLayout(written.index, 'ours');
    const theirs = readTableLayout(original, 'theirs');
    // Snappy encoders may pick different matches, so compare blocks after decompression.
    expect(ours.data).toEqual(theirs.data);
    expect(readTable(written.index, 'ours').map((e) => e.value)).toEqual(
      readTable(original, 'theirs').map((e) => e.value),
    );
    expect(ours.index.length).toBeGreaterThan(0);
  });

  it('is byte-identical to TensorFlow where the Snappy encoders agree (tf1_half_plus_three, tfjs_times_two_int)', () => {
    for (const name of ['tf1_half_plus_three', 'tfjs_times_two_int']) {
      const dir = `${root}/${name}/variables`;
      const original = new Uint8Array(readFileSync(`${dir}/variables.index`));
      const shard = new Uint8Array(readFileSync(`${dir}/variables.data-00000-of-00001`));
      const entries = [...readCheckpointIndex(original).entries].sort((a, b) => a.offset - b.offset);
      const written = writeCheckpoint(
        entries.map((e) => ({
          key: e.key,
          dtype: e.dtype,
          shape: e.shape,
          data: shard.subarray(e.offset, e.offset + e.size),
        })),
      );
      expect(written.index).toEqual(original);
    }
  });
});

describe('writeCheckpoint round trips', () => {
  it('one shard: half_plus_two variables and the object graph', () => {
    const tensors = halfPlusTwoTensors();
    const written = writeCheckpoint(tensors);
    expectRoundTrip(tensors, written, 1);
    const index = readCheckpointIndex(written.index);
    const b = index.entries.find((e) => e.key === 'b');
    expect(b && [...(readTensorValues(b, written.shards[0]) as Float32Array)]).toEqual([2]);
  });

  it.each([
    [7, 50],
    [1000, 1200],
    [1000, 10],
  ])('%i shards with %i tensors (empty shards allowed)', (numShards, count) => {
    const tensors = Array.from({ length: count }, (_, i) => ({
      key: `model/layer_${i}/kernel/.ATTRIBUTES/VARIABLE_VALUE`,
      dtype: 'DT_FLOAT',
      shape: [2, 2],
      data: floats(i, i + 1, i + 2, i + 3),
    }));
    const written = writeCheckpoint(tensors, { numShards });
    expectRoundTrip(tensors, written, numShards);
    const used = new Set(readCheckpointIndex(written.index).entries.map((e) => e.shardId));
    expect(used.size).toBe(Math.min(numShards, count));
    if (count < numShards) expect(written.shards[numShards - 1]).toHaveLength(0);
  });

  it('honours explicit shard placement and appends in the order given', () => {
    const tensors = [
      { key: 'z', dtype: 'DT_FLOAT', shape: [], data: floats(1), shard: 1 },
      { key: 'a', dtype: 'DT_FLOAT', shape: [], data: floats(2), shard: 1 },
      { key: 'm', dtype: 'DT_FLOAT', shape: [], data: floats(3), shard: 0 },
    ];
    const entries = readCheckpointIndex(writeCheckpoint(tensors, { numShards: 2 }).index).entries;
    expect(entries.map((e) => [e.key, e.shardId, e.offset])).toEqual([
      ['a', 1, 4],
      ['m', 0, 0],
      ['z', 1, 0],
    ]);
  });

  it.each([
    ['snappy', 64],
    ['none', 64],
    ['snappy', 4096],
    ['none', 1],
  ] as const)('%s compression, blockSize %i: many blocks, restarts and shared prefixes', (compression, blockSize) => {
    const tensors = Array.from({ length: 300 }, (_, i) => ({
      key: `encoder/block_${String(i).padStart(4, '0')}/dense/bias`,
      dtype: 'DT_INT32',
      shape: [1],
      data: new Uint8Array(new Int32Array([i]).buffer),
    }));
    const written = writeCheckpoint(tensors, { compression, blockSize });
    expectRoundTrip(tensors, written, 1);
    const layout = readTableLayout(written.index, 'x');
    if (blockSize < 4096) expect(layout.data.length).toBeGreaterThan(10);
    // Snappy is kept only where it saves 1/8 (as TensorFlow's table builder does): some tiny blocks stay raw.
    if (compression === 'snappy') expect(layout.dataTypes).toContain(1);
    else expect(new Set(layout.dataTypes)).toEqual(new Set([0]));
  });

  it('sorts keys by their UTF-8 bytes, as TensorFlow does', () => {
    const keys = ['é', 'z', '\u{1F600}', 'Z', 'a/b', 'a.b', 'ﬀ'];
    const tensors = keys.map((key) => ({ key, dtype: 'DT_UINT8', shape: [1], data: new Uint8Array([1]) }));
    expectRoundTrip(tensors, writeCheckpoint(tensors), 1);
  });

  it('writes an empty checkpoint (header only)', () => {
    const written = writeCheckpoint([]);
    expect(readCheckpointIndex(written.index)).toMatchObject({ numShards: 1, entries: [] });
    expect(written.shards).toEqual([new Uint8Array(0)]);
  });

  it('property: random tensors, shards, compression and block sizes round-trip and verify', () => {
    const dtypes = ['DT_FLOAT', 'DT_DOUBLE', 'DT_INT32', 'DT_INT64', 'DT_UINT8', 'DT_BOOL', 'DT_HALF', 'DT_STRING'];
    const tensor = fc.record({
      key: fc.string({ minLength: 1, maxLength: 40 }),
      dtype: fc.constantFrom(...dtypes),
      shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      seed: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(tensor, { selector: (t) => t.key, maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('snappy' as const, 'none' as const),
        fc.integer({ min: 16, max: 2048 }),
        (specs, numShards, compression, blockSize) => {
          const tensors = specs.map(({ key, dtype, shape, seed }) => {
            const count = shape.reduce((n, d) => n * d, 1);
            const data =
              dtype === 'DT_STRING'
                ? encodeStringTensor(Array.from({ length: count }, (_, i) => seed.subarray(0, i % (seed.length + 1))))
                : Uint8Array.from({ length: count * DTYPE_BYTES[dtype] }, (_, i) => seed[i % seed.length]);
            return { key, dtype, shape, data };
          });
          expectRoundTrip(tensors, writeCheckpoint(tensors, { numShards, compression, blockSize }), numShards);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('writeCheckpoint refuses bad input', () => {
  const t = { key: 'x', dtype: 'DT_FLOAT', shape: [], data: floats(1) };
  it.each([
    ['a duplicated key', [t, t], {}, /key "x" appears twice/],
    ['an unknown dtype', [{ ...t, dtype: 'float32' }], {}, /unknown dtype float32/],
    ['the reserved empty key', [{ ...t, key: '' }], {}, /empty key is reserved/],
    ['a negative dimension', [{ ...t, shape: [-1] }], {}, /non-negative integer dimensions/],
    ['a shard out of range', [{ ...t, shard: 3 }], { numShards: 2 }, /shard 3 is outside 0\.\.1/],
    ['zero shards', [t], { numShards: 0 }, /numShards must be a positive integer/],
    ['a zero block size', [t], { blockSize: 0 }, /blockSize must be a positive integer/],
    [
      'raw bytes for a string tensor',
      [{ ...t, dtype: 'DT_STRING', data: new TextEncoder().encode('hello') }],
      {},
      /DT_STRING data .*encodeStringTensor/,
    ],
  ])('%s', (_name, tensors, options, pattern) => {
    expect(() => writeCheckpoint(tensors, options)).toThrow(pattern);
  });
});

describe('checkpointFiles', () => {
  it('lays a checkpoint out under variables/ with TensorFlow names', () => {
    const files = checkpointFiles(writeCheckpoint(halfPlusTwoTensors(), { numShards: 2 }));
    expect(Object.keys(files).sort()).toEqual(
      ['variables/variables.index', `variables/${shardFileName(0, 2)}`, `variables/${shardFileName(1, 2)}`].sort(),
    );
  });
});
