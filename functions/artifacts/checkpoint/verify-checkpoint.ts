import { REUPLOAD } from './checkpoint-error';
import type { CheckpointIndex } from './read-checkpoint-index';
import { shardFileName, shardPath } from './read-checkpoint-index';
import { tensorCrc } from './tensor-values';

/** Something wrong with a checkpoint, naming the file (and the tensor, in the message). */
export interface Problem {
  file: string;
  message: string;
}

export interface VerifyResult {
  /** True when there are no problems. */
  verified: boolean;
  /** Bytes of tensor data covered by the index (and checksummed, when crc checks ran). */
  bytes: number;
  problems: Problem[];
}

/**
 * Checks that every shard the index needs is present, holds every entry's bytes, and (with
 * `checkCrc`) that each tensor matches its masked crc32c — what TensorFlow's BundleReader would
 * reject at restore time, found before the model is registered. Collects all problems.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/util/tensor_bundle/tensor_bundle.cc
 */
export function verifyCheckpoint(
  index: CheckpointIndex,
  shards: Map<number, Uint8Array | null>,
  { checkCrc = true }: { checkCrc?: boolean } = {},
): VerifyResult {
  const problems: Problem[] = [];
  let bytes = 0;
  const missing = new Set<number>();
  for (const entry of index.entries) {
    const file = shardPath(index, entry.shardId);
    const shard = shards.get(entry.shardId);
    if (!shard) {
      if (!missing.has(entry.shardId))
        problems.push({
          file,
          message: `${file}: missing; the index lists tensors in it (first "${entry.key}"); upload every variables.data-* file`,
        });
      missing.add(entry.shardId);
      continue;
    }
    if (entry.offset + entry.size > shard.length) {
      problems.push({
        file,
        message: `${file}: tensor "${entry.key}" runs to byte ${entry.offset + entry.size} but the file has ${shard.length} bytes (truncated upload?); ${REUPLOAD}`,
      });
      continue;
    }
    bytes += entry.size;
    if (!checkCrc || entry.slices > 0) continue;
    const data = shard.subarray(entry.offset, entry.offset + entry.size);
    try {
      const actual = tensorCrc(entry.dtype, entry.shape, data, (detail) => {
        throw new Error(detail);
      });
      if (actual !== entry.crc32c) {
        problems.push({
          file,
          message: `${file}: tensor "${entry.key}" fails its crc32c (stored 0x${entry.crc32c.toString(16)}, computed 0x${actual.toString(16)}): corrupt data; ${REUPLOAD}`,
        });
      }
    } catch (error) {
      problems.push({ file, message: `${file}: tensor "${entry.key}" ${(error as Error).message}; ${REUPLOAD}` });
    }
  }
  return { verified: problems.length === 0, bytes, problems };
}

/**
 * The same completeness checks from file sizes alone (O(1) memory, no data read), e.g. from a
 * bucket listing. `shardSizes` is keyed by path beside the index (`variables/variables.data-…`)
 * or bare file name (`variables.data-00000-of-00001`).
 */
export function checkCompleteness(index: CheckpointIndex, shardSizes: Map<string, number>): VerifyResult {
  const problems: Problem[] = [];
  const needed = new Map<number, { end: number; key: string }>();
  let bytes = 0;
  for (const entry of index.entries) {
    bytes += entry.size;
    const end = entry.offset + entry.size;
    const seen = needed.get(entry.shardId);
    if (!seen || end > seen.end) needed.set(entry.shardId, { end, key: entry.key });
  }
  for (const [shardId, { end, key }] of [...needed].sort((a, b) => a[0] - b[0])) {
    const file = shardPath(index, shardId);
    const size = shardSizes.get(file) ?? shardSizes.get(shardFileName(shardId, index.numShards));
    if (size === undefined) {
      problems.push({
        file,
        message: `${file}: missing; the index lists tensors in it (e.g. "${key}"); upload every variables.data-* file`,
      });
    } else if (size < end) {
      problems.push({
        file,
        message: `${file}: is ${size} bytes but tensor "${key}" ends at byte ${end} (truncated upload?); ${REUPLOAD}`,
      });
    }
  }
  return { verified: problems.length === 0, bytes, problems };
}
