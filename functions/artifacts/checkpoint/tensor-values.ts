import { CheckpointError, REUPLOAD } from './checkpoint-error';
import { crc32c, maskCrc } from './crc32c';
import { DTYPE_BYTES } from './dtypes';
import type { CheckpointEntry } from './read-checkpoint-index';
import { decodeStringTensor } from './string-tensor';

/** Values of one tensor, flattened row-major; DT_STRING gives one byte array per element. */
export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Uint8Array[];

type Ctor = new (buffer: ArrayBuffer) => Exclude<TensorValues, Uint8Array[]>;

/** DT_HALF and DT_BFLOAT16 come back as raw 16-bit patterns; complex as interleaved re/im pairs. */
const ARRAYS: Record<string, Ctor> = {
  DT_FLOAT: Float32Array,
  DT_DOUBLE: Float64Array,
  DT_INT32: Int32Array,
  DT_UINT8: Uint8Array,
  DT_INT16: Int16Array,
  DT_INT8: Int8Array,
  DT_COMPLEX64: Float32Array,
  DT_INT64: BigInt64Array,
  DT_BOOL: Uint8Array,
  DT_BFLOAT16: Uint16Array,
  DT_UINT16: Uint16Array,
  DT_COMPLEX128: Float64Array,
  DT_HALF: Uint16Array,
  DT_UINT32: Uint32Array,
  DT_UINT64: BigUint64Array,
  DT_QINT8: Int8Array,
  DT_QUINT8: Uint8Array,
  DT_QINT32: Int32Array,
  DT_QINT16: Int16Array,
  DT_QUINT16: Uint16Array,
};

/** Element count of `shape`, or undefined when it overflows 2^53. */
export function elementCount(shape: number[]): number | undefined {
  let count = 1;
  for (const dim of shape) count *= dim;
  return Number.isSafeInteger(count) ? count : undefined;
}

function entryBytes(entry: CheckpointEntry, shard: Uint8Array, fail: (detail: string) => never): Uint8Array {
  if (entry.offset + entry.size > shard.length) {
    fail(
      `runs to byte ${entry.offset + entry.size} but its shard has ${shard.length} bytes (truncated shard); ${REUPLOAD}`,
    );
  }
  return shard.subarray(entry.offset, entry.offset + entry.size);
}

/**
 * Masked crc32c of a tensor's stored bytes, computed as TensorFlow does for `BundleEntryProto.crc32c`
 * (DT_STRING has its own scheme). Throws when a string tensor's framing is broken.
 */
export function tensorCrc(dtype: string, shape: number[], data: Uint8Array, fail: (detail: string) => never): number {
  if (dtype !== 'DT_STRING') return maskCrc(crc32c(data));
  const count = elementCount(shape) ?? fail(`shape [${shape.join(',')}] has too many elements`);
  return maskCrc(decodeStringTensor(data, count, fail).crc);
}

/**
 * A tensor's values from its data shard, e.g. to restore variables or parse the TF2
 * `_CHECKPOINTABLE_OBJECT_GRAPH`. Checks bounds, size against dtype × shape, and the crc32c.
 * `file` names the shard in errors. Assumes a little-endian host (every platform Node runs on for Cloud Functions).
 */
export function readTensorValues(
  entry: CheckpointEntry,
  shardBytes: Uint8Array,
  { checkCrc = true, file = `variables shard ${entry.shardId}` }: { checkCrc?: boolean; file?: string } = {},
): TensorValues {
  const fail = (detail: string): never => {
    throw new CheckpointError(file, `tensor "${entry.key}" ${detail}`);
  };
  if (entry.slices > 0) fail('is a partitioned (sliced) variable; re-save the model without variable partitioning');
  const count = elementCount(entry.shape) ?? fail(`shape [${entry.shape.join(',')}] has too many elements`);
  const data = entryBytes(entry, shardBytes, fail);
  if (entry.dtype === 'DT_STRING') {
    const decoded = decodeStringTensor(data, count, (detail) => fail(`${detail}; ${REUPLOAD}`));
    if (checkCrc && maskCrc(decoded.crc) !== entry.crc32c) fail(`checksum mismatch (corrupt data shard); ${REUPLOAD}`);
    return decoded.strings;
  }
  const TypedArray = ARRAYS[entry.dtype];
  if (!TypedArray) fail(`has dtype ${entry.dtype}, whose values cannot be read from a checkpoint here`);
  const width = DTYPE_BYTES[entry.dtype] ?? 1;
  if (count * width !== entry.size) {
    fail(`is ${entry.size} bytes but ${entry.dtype} [${entry.shape.join(',')}] needs ${count * width}; ${REUPLOAD}`);
  }
  if (checkCrc && maskCrc(crc32c(data)) !== entry.crc32c) fail(`checksum mismatch (corrupt data shard); ${REUPLOAD}`);
  // A copy: aligned for the typed array, and detached from the caller's buffer.
  return new TypedArray(data.slice().buffer);
}
