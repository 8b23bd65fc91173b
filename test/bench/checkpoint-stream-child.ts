/**
 * Child process of `checkpoint-stream.bench.ts`: generates a checkpoint shard of `SIZE_MIB` MiB
 * as a stream (1 MiB float tensors of pseudo-random bytes, never written to disk) and either only
 * reads it (`read`) or verifies every tensor's crc32c with the streaming verifier (`verify`).
 * Prints `{ms, maxRssMiB}` as JSON; its own process, so its peak RSS is its own.
 */
import { verifyCheckpointStreaming, maskCrc, crc32c, type CheckpointEntry } from '../../functions/artifacts/checkpoint';

const TENSOR = 1024 * 1024;

/** Tensor `i`'s bytes, the same every time (xorshift32 seeded by `i`), into `out`. */
function fill(i: number, out: Uint32Array): void {
  let x = (i + 1) * 2654435761;
  for (let j = 0; j < out.length; j += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[j] = x;
  }
}

/** The shard as a stream: one reused 1 MiB buffer (as a socket's chunks would be, nothing held). */
async function* shard(tensors: number): AsyncIterable<Uint8Array> {
  const words = new Uint32Array(TENSOR / 4);
  const bytes = new Uint8Array(words.buffer);
  for (let i = 0; i < tensors; i += 1) {
    fill(i, words);
    yield bytes;
  }
}

async function main(): Promise<void> {
  const [mode, sizeMiB] = [process.argv[2], Number(process.argv[3])];
  const tensors = sizeMiB;
  const started = performance.now();
  let ms: number;
  if (mode === 'read') {
    let sum = 0;
    for await (const chunk of shard(tensors)) sum += chunk[chunk.length - 1];
    ms = performance.now() - started;
    if (Number.isNaN(sum)) throw new Error('unreachable');
  } else {
    // The index: each tensor's crc, computed from the same generator (not timed).
    const words = new Uint32Array(TENSOR / 4);
    const entries: CheckpointEntry[] = [];
    for (let i = 0; i < tensors; i += 1) {
      fill(i, words);
      const crc = maskCrc(crc32c(new Uint8Array(words.buffer)));
      entries.push({
        key: `t${i}`,
        dtype: 'DT_FLOAT',
        shape: [TENSOR / 4],
        shardId: 0,
        offset: i * TENSOR,
        size: TENSOR,
        crc32c: crc,
        slices: 0,
      });
    }
    const index = { file: 'variables/variables.index', numShards: 1, entries };
    const start = performance.now();
    const result = await verifyCheckpointStreaming(index, () => shard(tensors));
    ms = performance.now() - start;
    if (!result.verified || result.bytes !== tensors * TENSOR)
      throw new Error(`not verified: ${JSON.stringify(result.problems[0])}`);
  }
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, maxRssMiB }));
}

void main();
