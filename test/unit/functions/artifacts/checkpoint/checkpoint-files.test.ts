import { folderFiles, memoryFiles } from '../../../../../functions/artifacts/artifact-files';
import { CheckpointError } from '../../../../../functions/artifacts/checkpoint/checkpoint-error';
import {
  checkCheckpointFiles,
  hasCheckpoint,
  loadCheckpoint,
  verifyCheckpointFiles,
} from '../../../../../functions/artifacts/checkpoint/checkpoint-files';
import { checkpointFiles, writeCheckpoint } from '../../../../../functions/artifacts/checkpoint/write-checkpoint';
import { fixture } from '../../../../helpers/fixtures';
import { flip, halfPlusTwoTensors } from './checkpoint-samples';

const SHARD = (i: number, n: number) =>
  `variables/variables.data-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}`;

describe('checkpoint files of TensorFlow-made SavedModels', () => {
  it.each(['tf1_half_plus_two', 'tf2_half_plus_two', 'tfjs_int64_multiply'])(
    '%s loads, verifies and is complete',
    async (name) => {
      const files = folderFiles(fixture(`savedmodel/${name}`));
      expect(await hasCheckpoint(files)).toBe(true);
      const loaded = await loadCheckpoint(files);
      expect([...loaded.shards.keys()]).toEqual([0]);
      expect((await verifyCheckpointFiles(files)).verified).toBe(true);
      expect((await checkCheckpointFiles(files)).verified).toBe(true);
    },
  );
});

describe('checkpoint files of generated SavedModels', () => {
  const written = writeCheckpoint(halfPlusTwoTensors(), { numShards: 3 });
  const files = checkpointFiles(written);

  it('loads every shard and verifies', async () => {
    const loaded = await loadCheckpoint(memoryFiles(files));
    expect(loaded.index.numShards).toBe(3);
    expect(loaded.shards.get(2)).toEqual(written.shards[2]);
    expect(await verifyCheckpointFiles(memoryFiles(files))).toMatchObject({ verified: true, problems: [] });
  });

  it('a deleted shard is reported by both checks, without throwing', async () => {
    const { [SHARD(1, 3)]: _gone, ...rest } = files;
    for (const check of [verifyCheckpointFiles, checkCheckpointFiles]) {
      const result = await check(memoryFiles(rest, 'gs://b/models/x/7'));
      expect(result.problems.map((p) => p.file)).toEqual([SHARD(1, 3)]);
    }
  });

  it('a corrupt shard fails verification but passes the size-only check', async () => {
    const damaged = memoryFiles({ ...files, [SHARD(0, 3)]: flip(files[SHARD(0, 3)], 0) });
    expect((await verifyCheckpointFiles(damaged)).problems[0].message).toMatch(/fails its crc32c/);
    expect((await checkCheckpointFiles(damaged)).verified).toBe(true);
  });

  it('no index: hasCheckpoint is false and loading names the missing file', async () => {
    const { 'variables/variables.index': _index, ...rest } = files;
    expect(await hasCheckpoint(memoryFiles(rest))).toBe(false);
    await expect(loadCheckpoint(memoryFiles(rest, 'gs://b/m'))).rejects.toThrow(
      /gs:\/\/b\/m\/variables\/variables\.index: file not found/,
    );
  });

  it('a broken index is a CheckpointError', async () => {
    const broken = memoryFiles({ ...files, 'variables/variables.index': new Uint8Array(10) });
    await expect(loadCheckpoint(broken)).rejects.toBeInstanceOf(CheckpointError);
  });
});
