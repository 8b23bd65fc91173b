import { chunksOf } from '../../../../../functions/artifacts/artifact-files';
import {
  encodeStringTensor,
  readCheckpointIndex,
  verifyCheckpoint,
  verifyCheckpointStreaming,
  writeCheckpoint,
  type CheckpointIndex,
  type TensorToWrite,
} from '../../../../../functions/artifacts/checkpoint';

const MiB = 1024 * 1024;

/** 12 float tensors of 1 MiB in two shards, and a string tensor: a "large" checkpoint for a unit test. */
function checkpoint() {
  const tensors: TensorToWrite[] = Array.from({ length: 12 }, (_, i) => ({
    key: `layer_${String(i).padStart(2, '0')}/kernel`,
    dtype: 'DT_FLOAT',
    shape: [MiB / 4],
    data: new Uint8Array(new Float32Array(MiB / 4).map((_, j) => Math.sin(i * 7 + j)).buffer),
  }));
  const words = ['ferry', 'promotes', 'models'].map((w) => new TextEncoder().encode(w));
  tensors.push({ key: 'vocab', dtype: 'DT_STRING', shape: [3], data: encodeStringTensor(words) });
  const written = writeCheckpoint(tensors, { numShards: 2 });
  return { index: readCheckpointIndex(written.index), shards: written.shards };
}

/** Odd chunk sizes, so tensors start and end mid-chunk. */
function open(shards: Uint8Array[], chunk = 65_537) {
  return (path: string) => {
    const id = Number(/data-(\d+)-of/.exec(path)?.[1]);
    return shards[id] ? chunksOf(shards[id], chunk) : undefined;
  };
}

function stream(index: CheckpointIndex, shards: Uint8Array[], chunk?: number) {
  return verifyCheckpointStreaming(index, open(shards, chunk));
}

describe('verifyCheckpointStreaming', () => {
  it.each([4096, 65_537, 8 * MiB])('verifies an intact checkpoint in %i-byte chunks', async (chunk) => {
    const { index, shards } = checkpoint();
    const result = await stream(index, shards, chunk);
    expect(result).toEqual({
      verified: true,
      bytes: verifyCheckpoint(index, new Map(shards.entries())).bytes,
      problems: [],
    });
  });

  it('finds a flipped byte in the middle of a large shard, naming the tensor', async () => {
    const { index, shards } = checkpoint();
    const middle = Math.floor(shards[1].length / 2);
    shards[1][middle] ^= 0x10;
    const hit = index.entries.find((e) => e.shardId === 1 && e.offset <= middle && middle < e.offset + e.size)!;
    const result = await stream(index, shards);
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([
      {
        file: 'variables/variables.data-00001-of-00002',
        message: expect.stringMatching(new RegExp(`tensor "${hit.key}" fails its crc32c .*corrupt data`)),
      },
    ]);
    // the same verdict as the whole-buffer verifier
    expect(result.problems).toEqual(verifyCheckpoint(index, new Map(shards.entries())).problems);
  });

  it('finds a flipped byte in a string tensor', async () => {
    const { index, shards } = checkpoint();
    const vocab = index.entries.find((e) => e.key === 'vocab')!;
    shards[vocab.shardId][vocab.offset + vocab.size - 1] ^= 0x01;
    expect((await stream(index, shards, 1000)).problems).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/"vocab" fails its crc32c/) }),
    ]);
  });

  it('reports a truncated shard and a missing one', async () => {
    const { index, shards } = checkpoint();
    const cut = [shards[0].subarray(0, shards[0].length - 10), undefined as unknown as Uint8Array];
    const { problems } = await stream(index, cut);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /data-00000-of-00002: tensor "vocab" runs to byte \d+ but the file has \d+ bytes \(truncated upload\?\)/,
      ),
      expect.stringMatching(/data-00001-of-00002: missing; the index lists tensors in it/),
    ]);
  });

  it('throws a read error raised mid-stream (no verdict), after reading part of the shard', async () => {
    const { index, shards } = checkpoint();
    let chunks = 0;
    const flaky = async function* (bytes: Uint8Array) {
      for await (const chunk of chunksOf(bytes, MiB)) {
        if (++chunks === 3) throw Object.assign(new Error('socket hang up'), { code: 503 });
        yield chunk;
      }
    };
    await expect(
      verifyCheckpointStreaming(index, (path) => flaky(shards[path.endsWith('00000-of-00002') ? 0 : 1])),
    ).rejects.toMatchObject({ code: 503 });
    expect(chunks).toBe(3);
  });
});
