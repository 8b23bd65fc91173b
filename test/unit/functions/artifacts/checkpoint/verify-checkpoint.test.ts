import { readFileSync, readdirSync, statSync } from 'node:fs';
import {
  CheckpointEntry,
  readCheckpointIndex,
} from '../../../../../functions/artifacts/checkpoint/read-checkpoint-index';
import { checkCompleteness, verifyCheckpoint } from '../../../../../functions/artifacts/checkpoint/verify-checkpoint';
import { writeCheckpoint } from '../../../../../functions/artifacts/checkpoint/write-checkpoint';
import { fixture } from '../../../../helpers/fixtures';
import { flip, floats, halfPlusTwoCheckpoint } from './checkpoint-samples';

const SHARD0 = 'variables/variables.data-00000-of-00001';

describe('verifyCheckpoint on TensorFlow-made fixtures', () => {
  const root = fixture('savedmodel');
  it.each(readdirSync(root))('%s verifies clean, by contents and by sizes', (name) => {
    const dir = `${root}/${name}/variables`;
    const index = readCheckpointIndex(readFileSync(`${dir}/variables.index`));
    const shard = new Uint8Array(readFileSync(`${dir}/variables.data-00000-of-00001`));
    const result = verifyCheckpoint(index, new Map([[0, shard]]));
    expect(result).toEqual({ verified: true, bytes: shard.length, problems: [] });
    const sizes = new Map([[SHARD0, statSync(`${dir}/variables.data-00000-of-00001`).size]]);
    expect(checkCompleteness(index, sizes)).toEqual({ verified: true, bytes: shard.length, problems: [] });
  });

  it('tf2_half_plus_two with one flipped byte in the object graph names that tensor', () => {
    const dir = `${root}/tf2_half_plus_two/variables`;
    const index = readCheckpointIndex(readFileSync(`${dir}/variables.index`));
    const shard = new Uint8Array(readFileSync(`${dir}/variables.data-00000-of-00001`));
    const result = verifyCheckpoint(index, new Map([[0, flip(shard, shard.length - 10)]]));
    expect(result.verified).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].message).toMatch(/"_CHECKPOINTABLE_OBJECT_GRAPH" fails its crc32c/);
  });
});

describe('verifyCheckpoint on generated checkpoints', () => {
  const { index: indexBytes, shards } = halfPlusTwoCheckpoint();
  const index = readCheckpointIndex(indexBytes);
  const entry = (key: string) => index.entries.find((e) => e.key === key) as CheckpointEntry;

  it('passes an intact checkpoint and counts its bytes', () => {
    expect(verifyCheckpoint(index, new Map([[0, shards[0]]]))).toEqual({
      verified: true,
      bytes: shards[0].length,
      problems: [],
    });
  });

  it('a flipped byte in a data shard is a crc mismatch naming the file and the key', () => {
    for (const key of ['a', 'b', 'c']) {
      const result = verifyCheckpoint(index, new Map([[0, flip(shards[0], entry(key).offset + 1)]]));
      expect(result.problems).toEqual([
        { file: SHARD0, message: expect.stringMatching(new RegExp(`^${SHARD0}: tensor "${key}" fails its crc32c`)) },
      ]);
    }
  });

  it('corrupt string framing is reported, not thrown', () => {
    const graph = entry('_CHECKPOINTABLE_OBJECT_GRAPH');
    const result = verifyCheckpoint(index, new Map([[0, flip(shards[0], graph.offset)]]));
    expect(result.problems[0].message).toMatch(/"_CHECKPOINTABLE_OBJECT_GRAPH" .*(checksum|lengths)/);
  });

  it('checkCrc: false skips the checksums but still checks bounds', () => {
    expect(verifyCheckpoint(index, new Map([[0, flip(shards[0], 0)]]), { checkCrc: false }).verified).toBe(true);
    expect(verifyCheckpoint(index, new Map([[0, shards[0].subarray(0, 3)]]), { checkCrc: false }).verified).toBe(false);
  });

  it.each([
    ['deleted (absent from the map)', new Map<number, Uint8Array | null>()],
    ['deleted (null)', new Map([[0, null]])],
  ])('a shard %s is one problem naming the file', (_name, shardMap) => {
    const result = verifyCheckpoint(index, shardMap);
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([
      {
        file: SHARD0,
        message: expect.stringMatching(
          /variables\.data-00000-of-00001: missing; .*upload every variables\.data-\* file/,
        ),
      },
    ]);
  });

  it('entries running past a truncated shard name each tensor', () => {
    const result = verifyCheckpoint(index, new Map([[0, shards[0].subarray(0, 6)]]));
    expect(result.problems.map((p) => p.message.match(/tensor "([^"]+)" runs to byte/)?.[1]).sort()).toEqual([
      '_CHECKPOINTABLE_OBJECT_GRAPH',
      'b',
      'c',
    ]);
  });

  it('a duplicated (doubled) shard still verifies (extra bytes are harmless)', () => {
    const doubled = new Uint8Array([...shards[0], ...shards[0]]);
    expect(verifyCheckpoint(index, new Map([[0, doubled]])).verified).toBe(true);
  });

  it('reports problems in every shard of a multi-shard checkpoint', () => {
    const tensors = Array.from({ length: 9 }, (_, i) => ({
      key: `v${i}`,
      dtype: 'DT_FLOAT',
      shape: [2],
      data: floats(i, -i),
    }));
    const written = writeCheckpoint(tensors, { numShards: 3 });
    const multi = readCheckpointIndex(written.index);
    const shardMap = new Map<number, Uint8Array | null>([
      [0, written.shards[0]],
      [1, flip(written.shards[1], 0)],
      [2, null],
    ]);
    const result = verifyCheckpoint(multi, shardMap);
    expect(result.problems.map((p) => p.file)).toEqual([
      'variables/variables.data-00001-of-00003',
      'variables/variables.data-00002-of-00003',
    ]);
  });
});

describe('checkCompleteness from sizes alone', () => {
  const index = readCheckpointIndex(halfPlusTwoCheckpoint().index);
  const size = halfPlusTwoCheckpoint().shards[0].length;

  it.each([
    ['path beside the index', new Map([[SHARD0, size]]), true],
    ['bare file name', new Map([['variables.data-00000-of-00001', size]]), true],
    ['a larger file', new Map([[SHARD0, size + 100]]), true],
    ['a missing shard', new Map([['variables/variables.data-00000-of-00002', size]]), false],
    ['a truncated shard', new Map([[SHARD0, size - 1]]), false],
    ['an empty listing', new Map<string, number>(), false],
  ])('%s', (_name, sizes, verified) => {
    const result = checkCompleteness(index, sizes);
    expect(result.verified).toBe(verified);
    expect(result.problems.every((p) => p.file === SHARD0)).toBe(true);
  });

  it('the truncated-shard message names the tensor at the end and the sizes', () => {
    const [problem] = checkCompleteness(index, new Map([[SHARD0, 5]])).problems;
    expect(problem.message).toMatch(new RegExp(`is 5 bytes but tensor ".+" ends at byte ${size}`));
  });

  it('lists every missing shard of a 1000-shard checkpoint once', () => {
    const tensors = Array.from({ length: 1000 }, (_, i) => ({
      key: `t${i}`,
      dtype: 'DT_FLOAT',
      shape: [],
      data: floats(i),
    }));
    const many = readCheckpointIndex(writeCheckpoint(tensors, { numShards: 1000 }).index);
    const sizes = new Map(
      Array.from({ length: 998 }, (_, i) => [`variables/variables.data-${String(i).padStart(5, '0')}-of-01000`, 4]),
    );
    expect(checkCompleteness(many, sizes).problems.map((p) => p.file)).toEqual([
      'variables/variables.data-00998-of-01000',
      'variables/variables.data-00999-of-01000',
    ]);
  });
});
