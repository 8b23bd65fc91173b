/**
 * `verifyCheckpoint` over streamed shards: every tensor's masked crc32c is fed chunk by chunk as
 * the bytes go past, so memory stays at one chunk whatever the shard's size (a 512 MB function
 * used to hold whole shards and crash-loop on large models: issue 12 §4). Entries are visited in
 * shard and offset order, one read per shard front to back. DT_STRING tensors are the exception:
 * their checksum covers decoded lengths, so each one is held while it streams past (vocabularies,
 * rarely large). A stream that throws (a transient read error) rejects: that is no verdict.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/util/tensor_bundle/tensor_bundle.cc
 */
import { REUPLOAD } from './checkpoint-error';
import { crc32cExtend, maskCrc } from './crc32c';
import type { CheckpointEntry, CheckpointIndex } from './read-checkpoint-index';
import { shardPath } from './read-checkpoint-index';
import { tensorCrc } from './tensor-values';
import type { Problem, VerifyResult } from './verify-checkpoint';

/** A shard's bytes from the start, in chunks of any size; undefined when the file is absent. */
export type OpenShard = (path: string) => AsyncIterable<Uint8Array> | undefined;

/** One tensor being checksummed as its bytes stream past. */
interface Running {
  entry: CheckpointEntry;
  crc: number;
  /** Held bytes of a DT_STRING tensor. */
  parts?: Uint8Array[];
}

/** Checks every shard the index names, one after another; collects all problems. */
export async function verifyCheckpointStreaming(index: CheckpointIndex, open: OpenShard): Promise<VerifyResult> {
  const problems: Problem[] = [];
  let bytes = 0;
  const byShard = new Map<number, CheckpointEntry[]>();
  for (const entry of index.entries) byShard.set(entry.shardId, [...(byShard.get(entry.shardId) ?? []), entry]);
  for (const [shardId, entries] of [...byShard].sort((a, b) => a[0] - b[0])) {
    const file = shardPath(index, shardId);
    const stream = open(file);
    if (!stream) {
      problems.push({
        file,
        message: `${file}: missing; the index lists tensors in it (first "${entries[0].key}"); upload every variables.data-* file`,
      });
      continue;
    }
    entries.sort((a, b) => a.offset - b.offset);
    bytes += await verifyShard(file, entries, stream, problems);
  }
  return { verified: problems.length === 0, bytes, problems };
}

/** Streams one shard past its entries (sorted by offset); returns the bytes of the entries it holds. */
async function verifyShard(
  file: string,
  entries: CheckpointEntry[],
  stream: AsyncIterable<Uint8Array>,
  problems: Problem[],
): Promise<number> {
  let next = 0;
  let running: Running[] = [];
  let position = 0;
  for await (const chunk of stream) {
    const end = position + chunk.length;
    while (next < entries.length && entries[next].offset < end) {
      const entry = entries[next++];
      if (entry.slices > 0) continue; // partitioned variables hold no bytes of their own
      running.push({ entry, crc: 0, parts: entry.dtype === 'DT_STRING' ? [] : undefined });
    }
    for (const tensor of running) feed(tensor, chunk, position);
    running = running.filter((tensor) => {
      const done = tensor.entry.offset + tensor.entry.size <= end;
      if (done) finish(file, tensor, problems);
      return !done;
    });
    position = end;
  }
  // Entries whose bytes never all arrived, and zero-size entries at or past the end.
  for (const entry of [...running.map((t) => t.entry), ...entries.slice(next)]) {
    if (entry.slices > 0) continue;
    if (entry.offset + entry.size <= position) finish(file, { entry, crc: 0, parts: [] }, problems);
    else
      problems.push({
        file,
        message: `${file}: tensor "${entry.key}" runs to byte ${entry.offset + entry.size} but the file has ${position} bytes (truncated upload?); ${REUPLOAD}`,
      });
  }
  return entries.reduce((sum, e) => sum + (e.offset + e.size <= position ? e.size : 0), 0);
}

/** Extends the tensor's crc with the part of `chunk` (at `position` in the shard) it covers. */
function feed(tensor: Running, chunk: Uint8Array, position: number): void {
  const from = Math.max(tensor.entry.offset - position, 0);
  const to = Math.min(tensor.entry.offset + tensor.entry.size - position, chunk.length);
  if (to <= from) return;
  if (tensor.parts) tensor.parts.push(chunk.slice(from, to));
  else tensor.crc = crc32cExtend(tensor.crc, chunk, from, to);
}

function finish(file: string, tensor: Running, problems: Problem[]): void {
  const { entry } = tensor;
  let actual: number;
  try {
    actual = tensor.parts
      ? tensorCrc(entry.dtype, entry.shape, concat(tensor.parts, entry.size), (detail) => {
          throw new Error(detail);
        })
      : maskCrc(tensor.crc);
  } catch (error) {
    problems.push({ file, message: `${file}: tensor "${entry.key}" ${(error as Error).message}; ${REUPLOAD}` });
    return;
  }
  if (actual !== entry.crc32c)
    problems.push({
      file,
      message: `${file}: tensor "${entry.key}" fails its crc32c (stored 0x${entry.crc32c.toString(16)}, computed 0x${actual.toString(16)}): corrupt data; ${REUPLOAD}`,
    });
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
