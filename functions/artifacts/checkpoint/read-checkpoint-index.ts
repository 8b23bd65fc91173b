import { decodeBundleEntry, decodeBundleHeader } from './bundle-protos';
import { CheckpointError, REUPLOAD } from './checkpoint-error';
import { dtypeName } from './dtypes';
import { readTable } from './table-reader';

/** One tensor listed in `variables.index`: where its bytes live and their checksum. */
export interface CheckpointEntry {
  key: string;
  /** TensorFlow DataType name, e.g. `DT_FLOAT`; `DT_<n>` when unknown. */
  dtype: string;
  shape: number[];
  shardId: number;
  offset: number;
  size: number;
  /** Masked crc32c of the tensor's bytes as TensorFlow computes it. */
  crc32c: number;
  /** Non-zero for TF1 partitioned variables (stored as slices under other keys). */
  slices: number;
}

export interface CheckpointIndex {
  /** The index file's path, e.g. `variables/variables.index`; shard paths are derived from it. */
  file: string;
  numShards: number;
  entries: CheckpointEntry[];
}

/** Highest `min_consumer` this reader understands (TensorFlow's kTensorBundleVersion). */
const BUNDLE_VERSION = 1;

/**
 * Parses a checkpoint index (`variables/variables.index`): the tensor bundle header and one entry
 * per saved tensor. Pure over bytes; throws `CheckpointError` naming the file and what to do.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/util/tensor_bundle/tensor_bundle.h
 */
export function readCheckpointIndex(bytes: Uint8Array, file = 'variables/variables.index'): CheckpointIndex {
  const table = readTable(bytes, file);
  const decoder = new TextDecoder();
  if (table.length === 0 || table[0].key.length !== 0) {
    throw new CheckpointError(
      file,
      `has no bundle header (the entry with the empty key); not a TensorFlow checkpoint index; ${REUPLOAD}`,
    );
  }
  const header = decodeBundleHeader(table[0].value, (detail) => {
    throw new CheckpointError(file, `bundle header: ${detail}; ${REUPLOAD}`);
  });
  if (header.numShards < 1) {
    throw new CheckpointError(
      file,
      `bundle header declares ${header.numShards} shards; expected at least 1; ${REUPLOAD}`,
    );
  }
  if (header.endianness !== 0) {
    throw new CheckpointError(
      file,
      'was written on a big-endian machine; re-save it on a little-endian one (x86, ARM)',
    );
  }
  if (header.minConsumer > BUNDLE_VERSION || header.badConsumers.includes(BUNDLE_VERSION)) {
    throw new CheckpointError(
      file,
      `needs a checkpoint reader newer than version ${BUNDLE_VERSION} (min_consumer ${header.minConsumer}); save it with an older TensorFlow format`,
    );
  }
  const entries = table.slice(1).map(({ key, value }): CheckpointEntry => {
    const name = decoder.decode(key);
    const entry = decodeBundleEntry(value, (detail) => {
      throw new CheckpointError(file, `entry "${name}": ${detail}; ${REUPLOAD}`);
    });
    if (entry.shardId < 0 || entry.shardId >= header.numShards) {
      throw new CheckpointError(
        file,
        `entry "${name}" is in shard ${entry.shardId} but the header declares ${header.numShards} shards; ${REUPLOAD}`,
      );
    }
    const { dtype, shape, shardId, offset, size, crc32c, slices } = entry;
    return { key: name, dtype: dtypeName(dtype), shape, shardId, offset, size, crc32c, slices };
  });
  return { file, numShards: header.numShards, entries };
}

/** `variables.data-00000-of-00001`: TensorFlow's data shard name (5-digit minimum, as `%05d`). */
export function shardFileName(shardId: number, numShards: number): string {
  const pad = (n: number) => String(n).padStart(5, '0');
  return `variables.data-${pad(shardId)}-of-${pad(numShards)}`;
}

/** The shard's path beside the index: `variables/variables.index` → `variables/variables.data-00000-of-00001`. */
export function shardPath(index: Pick<CheckpointIndex, 'file' | 'numShards'>, shardId: number): string {
  const prefix = index.file.endsWith('.index') ? index.file.slice(0, -'.index'.length) : index.file;
  return `${prefix}.data-${String(shardId).padStart(5, '0')}-of-${String(index.numShards).padStart(5, '0')}`;
}
