import { encodeBundleEntry, encodeBundleHeader } from './bundle-protos';
import { compareBytes } from './table-format';
import { dtypeNumber } from './dtypes';
import { shardFileName } from './read-checkpoint-index';
import { tensorCrc } from './tensor-values';
import { Compression, writeTable } from './table-writer';

export interface TensorToWrite {
  key: string;
  /** TensorFlow DataType name, e.g. `DT_FLOAT` (or `DT_<n>`). */
  dtype: string;
  shape: number[];
  /** The stored bytes: little-endian values, or `encodeStringTensor(...)` for DT_STRING. */
  data: Uint8Array;
  /** Shard to place it in; by default tensors go round-robin in the order given. */
  shard?: number;
}

export interface WriteOptions {
  numShards?: number;
  compression?: Compression;
  blockSize?: number;
}

export interface WrittenCheckpoint {
  /** `variables.index`. */
  index: Uint8Array;
  /** `shards[i]` is `shardFileName(i, numShards)`; empty shards are zero-byte files. */
  shards: Uint8Array[];
}

/**
 * Writes a checkpoint (tensor bundle) the way TensorFlow's BundleWriter + MergeBundles do: each
 * tensor's bytes appended to its shard in the order given, and the index a sorted table of
 * BundleEntryProtos with real masked crc32c values, so TensorFlow and our reader accept it.
 * Used to generate test artifacts on a fresh clone and by tooling that builds SavedModels.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/util/tensor_bundle/tensor_bundle.cc
 */
export function writeCheckpoint(tensors: TensorToWrite[], options: WriteOptions = {}): WrittenCheckpoint {
  const { numShards = 1, compression = 'snappy', blockSize = 4096 } = options;
  if (!Number.isInteger(numShards) || numShards < 1)
    throw new RangeError(`writeCheckpoint: numShards must be a positive integer, got ${numShards}`);
  if (!Number.isInteger(blockSize) || blockSize < 1)
    throw new RangeError(`writeCheckpoint: blockSize must be a positive integer, got ${blockSize}`);
  const encoder = new TextEncoder();
  const parts: Uint8Array[][] = Array.from({ length: numShards }, () => []);
  const sizes = new Array<number>(numShards).fill(0);
  const rows = tensors.map((tensor, position) => {
    const where = `writeCheckpoint: tensor "${tensor.key}"`;
    const dtype = dtypeNumber(tensor.dtype);
    if (dtype === undefined) throw new TypeError(`${where}: unknown dtype ${tensor.dtype}`);
    if (tensor.key === '') throw new TypeError(`${where}: the empty key is reserved for the bundle header`);
    if (tensor.shape.some((d) => !Number.isSafeInteger(d) || d < 0))
      throw new TypeError(`${where}: shape [${tensor.shape}] must have non-negative integer dimensions`);
    const shardId = tensor.shard ?? position % numShards;
    if (!Number.isInteger(shardId) || shardId < 0 || shardId >= numShards)
      throw new RangeError(`${where}: shard ${shardId} is outside 0..${numShards - 1}`);
    const crc32c = tensorCrc(tensor.dtype, tensor.shape, tensor.data, (detail) => {
      throw new TypeError(`${where}: DT_STRING data ${detail}; build it with encodeStringTensor`);
    });
    const offset = sizes[shardId];
    parts[shardId].push(tensor.data);
    sizes[shardId] += tensor.data.length;
    const value = encodeBundleEntry({ dtype, shape: tensor.shape, shardId, offset, size: tensor.data.length, crc32c });
    return { key: encoder.encode(tensor.key), value };
  });
  rows.sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 1; i < rows.length; i += 1) {
    if (compareBytes(rows[i - 1].key, rows[i].key) === 0)
      throw new TypeError(`writeCheckpoint: key "${new TextDecoder().decode(rows[i].key)}" appears twice`);
  }
  const header = { key: new Uint8Array(0), value: encodeBundleHeader(numShards) };
  const index = writeTable([header, ...rows], compression, blockSize);
  return { index, shards: parts.map(concat) };
}

/** File names for a written checkpoint, e.g. to lay it out under `variables/`. */
export function checkpointFiles(written: WrittenCheckpoint, prefix = 'variables/'): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = { [`${prefix}variables.index`]: written.index };
  written.shards.forEach((bytes, i) => {
    files[`${prefix}${shardFileName(i, written.shards.length)}`] = bytes;
  });
  return files;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
