import { readFileSync, readdirSync } from 'node:fs';
import { CheckpointError } from '../../../../../functions/artifacts/checkpoint/checkpoint-error';
import {
  readCheckpointIndex,
  shardFileName,
  shardPath,
} from '../../../../../functions/artifacts/checkpoint/read-checkpoint-index';
import { fixture } from '../../../../helpers/fixtures';
import { flip, halfPlusTwoCheckpoint, headerBytes, rawTable } from './checkpoint-samples';
import { ByteWriter } from '../../../../../functions/artifacts/checkpoint/byte-writer';

const FILE = 'variables/variables.index';

function errorOf(fn: () => unknown): CheckpointError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    return error as CheckpointError;
  }
  throw new Error('expected a CheckpointError');
}

function entryBytes(fields: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter();
  fields(w);
  return w.finish();
}

describe('readCheckpointIndex on TensorFlow-made fixtures', () => {
  const root = fixture('savedmodel');
  const read = (name: string) => readCheckpointIndex(readFileSync(`${root}/${name}/variables/variables.index`));

  it('lists tf1_half_plus_two variables a, a2, b, c, c2 as float scalars in one shard', () => {
    const index = read('tf1_half_plus_two');
    expect(index.numShards).toBe(1);
    expect(index.entries.map((e) => [e.key, e.dtype, e.shape, e.shardId, e.offset, e.size])).toEqual([
      ['a', 'DT_FLOAT', [], 0, 0, 4],
      ['a2', 'DT_FLOAT', [], 0, 4, 4],
      ['b', 'DT_FLOAT', [], 0, 8, 4],
      ['c', 'DT_FLOAT', [], 0, 12, 4],
      ['c2', 'DT_FLOAT', [], 0, 16, 4],
    ]);
  });

  it('finds the TF2 object graph string tensor in tf2_half_plus_two', () => {
    const index = read('tf2_half_plus_two');
    const graph = index.entries.find((e) => e.key === '_CHECKPOINTABLE_OBJECT_GRAPH');
    expect(graph).toMatchObject({ dtype: 'DT_STRING', shape: [], shardId: 0 });
    expect(index.entries.map((e) => e.key)).toEqual([
      '_CHECKPOINTABLE_OBJECT_GRAPH',
      'a/.ATTRIBUTES/VARIABLE_VALUE',
      'b/.ATTRIBUTES/VARIABLE_VALUE',
      'c/.ATTRIBUTES/VARIABLE_VALUE',
    ]);
  });

  it.each([
    ['tfjs_int64_multiply', 'v1/.ATTRIBUTES/VARIABLE_VALUE', 'DT_INT64'],
    ['tfjs_times_two_int', 'v/.ATTRIBUTES/VARIABLE_VALUE', 'DT_INT32'],
    ['tfjs_model_single_input_multi_output', 'two/.ATTRIBUTES/VARIABLE_VALUE', 'DT_INT32'],
    ['tf1_counter', 'counter', 'DT_FLOAT'],
  ])('%s has %s as %s', (name, key, dtype) => {
    expect(read(name).entries.find((e) => e.key === key)?.dtype).toBe(dtype);
  });

  it('reads every fixture, entries sorted and inside one shard', () => {
    for (const name of readdirSync(root)) {
      const index = read(name);
      expect(index.entries.length).toBeGreaterThan(0);
      const keys = index.entries.map((e) => e.key);
      expect([...keys].sort()).toEqual(keys);
      for (const entry of index.entries) expect(entry.shardId).toBeLessThan(index.numShards);
    }
  });
});

describe('readCheckpointIndex on generated checkpoints', () => {
  it.each(['snappy', 'none'] as const)('reads a %s-compressed index', (compression) => {
    const index = readCheckpointIndex(halfPlusTwoCheckpoint(compression).index);
    expect(index).toMatchObject({ file: FILE, numShards: 1 });
    expect(index.entries.map((e) => [e.key, e.dtype])).toEqual([
      ['_CHECKPOINTABLE_OBJECT_GRAPH', 'DT_STRING'],
      ['a', 'DT_FLOAT'],
      ['b', 'DT_FLOAT'],
      ['c', 'DT_FLOAT'],
    ]);
  });

  it('reads an index built by hand (not by our writer), with unknown dtypes named DT_<n>', () => {
    const entry = entryBytes((w) =>
      w.varint(8).varint(99).varint(18).varint(4).varint(18).varint(2).varint(8).varint(3).varint(40).varint(12),
    );
    const index = readCheckpointIndex(
      rawTable([
        ['', headerBytes()],
        ['w', entry],
      ]),
    );
    expect(index.entries).toEqual([
      { key: 'w', dtype: 'DT_99', shape: [3], shardId: 0, offset: 0, size: 12, crc32c: 0, slices: 0 },
    ]);
  });
});

describe('readCheckpointIndex refuses broken indexes with a message naming the file', () => {
  const good = halfPlusTwoCheckpoint().index;

  it.each([0, 1, 10, good.length - 48, good.length - 1])('index truncated to %i bytes', (length) => {
    const error = errorOf(() => readCheckpointIndex(good.subarray(0, length)));
    expect(error.file).toBe(FILE);
    expect(error.message).toMatch(/^variables\/variables\.index: .*(footer|truncated|magic)/);
    expect(error.message).toMatch(/re-export|upload/);
  });

  it('bad footer magic', () => {
    expect(errorOf(() => readCheckpointIndex(flip(good, good.length - 1))).message).toMatch(/footer magic is wrong/);
  });

  it('names a custom file path', () => {
    expect(errorOf(() => readCheckpointIndex(new Uint8Array(3), 'model/variables/variables.index')).message).toMatch(
      /^model\/variables\/variables\.index: is 3 bytes/,
    );
  });

  it('a flipped byte in any block (data, metaindex, index) fails that block checksum', () => {
    for (let at = 0; at < good.length - 48; at += 1) {
      expect(() => readCheckpointIndex(flip(good, at))).toThrow(CheckpointError);
    }
    expect(errorOf(() => readCheckpointIndex(flip(good, 8))).message).toMatch(/fails its checksum/);
  });

  it('something that is not an index at all (TFLite bytes, zeros, text)', () => {
    for (const bytes of [new Uint8Array(200), new TextEncoder().encode('TFL3'.repeat(40))]) {
      expect(errorOf(() => readCheckpointIndex(bytes)).message).toMatch(/footer magic|shorter/);
    }
  });

  it.each([
    ['no header entry', [['a', new Uint8Array(0)]], /no bundle header/],
    ['zero shards', [['', headerBytes({ numShards: 0 })]], /declares 0 shards/],
    ['negative shards', [['', headerBytes({ numShards: -3 })]], /declares -3 shards/],
    ['big-endian checkpoint', [['', headerBytes({ endianness: 1 })]], /big-endian/],
    ['newer format', [['', headerBytes({ minConsumer: 2 })]], /newer than version 1/],
    ['header of the wrong wire type', [['', new Uint8Array([0x0d, 1, 0, 0, 0])]], /num_shards has wire type 5/],
    ['truncated header varint', [['', new Uint8Array([0x08, 0x80])]], /num_shards is cut off/],
    [
      'entry in a shard the header does not declare',
      [
        ['', headerBytes()],
        ['x', entryBytes((w) => w.varint(8).varint(1).varint(24).varint(5))],
      ],
      /"x" is in shard 5 but the header declares 1/,
    ],
    [
      'entry offset beyond 2^53',
      [
        ['', headerBytes()],
        ['x', entryBytes((w) => w.varint(32).varint64(1n << 60n))],
      ],
      /"x": offset is 1152921504606846976/,
    ],
    [
      'negative dimension',
      [
        ['', headerBytes()],
        ['x', entryBytes((w) => w.varint(18).varint(13).varint(18).varint(11).varint(8).varint64(-1n))],
      ],
      /dimension size is -1/,
    ],
    [
      'entry cut mid-field',
      [
        ['', headerBytes()],
        ['x', new Uint8Array([0x35, 1, 2])],
      ],
      /"x": crc32c needs 4 bytes/,
    ],
    [
      'group wire type',
      [
        ['', headerBytes()],
        ['x', new Uint8Array([0x4b])],
      ],
      /field 9 with unsupported wire type 3/,
    ],
  ] as Array<[string, Array<[string, Uint8Array]>, RegExp]>)('%s', (_name, entries, pattern) => {
    expect(errorOf(() => readCheckpointIndex(rawTable(entries))).message).toMatch(pattern);
  });

  it('duplicated and out-of-order keys', () => {
    const header: [string, Uint8Array] = ['', headerBytes()];
    const entry = entryBytes((w) => w.varint(8).varint(1));
    expect(errorOf(() => readCheckpointIndex(rawTable([header, ['k', entry], ['k', entry]]))).message).toMatch(
      /out of order or duplicated at "k"/,
    );
    expect(errorOf(() => readCheckpointIndex(rawTable([header, ['z', entry], ['k', entry]]))).message).toMatch(
      /out of order/,
    );
  });
});

describe('shard names', () => {
  it.each([
    [0, 1, 'variables.data-00000-of-00001'],
    [6, 7, 'variables.data-00006-of-00007'],
    [999, 1000, 'variables.data-00999-of-01000'],
    [123456, 200000, 'variables.data-123456-of-200000'],
  ])('shard %i of %i is %s', (id, count, name) => {
    expect(shardFileName(id, count)).toBe(name);
    expect(shardPath({ file: FILE, numShards: count }, id)).toBe(`variables/${name}`);
  });
});
