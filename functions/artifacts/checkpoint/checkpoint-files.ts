import type { ArtifactFiles } from '../artifact-files';
import { CheckpointIndex, readCheckpointIndex, shardPath } from './read-checkpoint-index';
import { checkCompleteness, verifyCheckpoint, VerifyResult } from './verify-checkpoint';

export const INDEX_PATH = 'variables/variables.index';

export interface LoadedCheckpoint {
  index: CheckpointIndex;
  /** Every shard the index names; null where the file is absent. */
  shards: Map<number, Uint8Array | null>;
}

/** True when `files` holds a checkpoint at all (a SavedModel without variables has none). */
export async function hasCheckpoint(files: ArtifactFiles, indexPath = INDEX_PATH): Promise<boolean> {
  return (await files.list()).has(indexPath);
}

/**
 * Reads the index and every data shard it needs from an artifact (folder, bucket prefix or
 * memory). Throws `CheckpointError` for a broken index; missing shards come back as null so
 * `verifyCheckpoint` can report all of them at once.
 */
export async function loadCheckpoint(files: ArtifactFiles, indexPath = INDEX_PATH): Promise<LoadedCheckpoint> {
  const index = readCheckpointIndex(await files.read(indexPath), indexPath);
  const listed = await files.list();
  const shards = new Map<number, Uint8Array | null>();
  for (const shardId of new Set(index.entries.map((e) => e.shardId))) {
    const path = shardPath(index, shardId);
    shards.set(shardId, listed.has(path) ? await files.read(path) : null);
  }
  return { index, shards };
}

/** Loads and verifies every tensor's bytes and checksum (reads all shards). */
export async function verifyCheckpointFiles(files: ArtifactFiles, indexPath = INDEX_PATH): Promise<VerifyResult> {
  const { index, shards } = await loadCheckpoint(files, indexPath);
  return verifyCheckpoint(index, shards);
}

/**
 * Completeness from the listing alone: reads only the index, never the data, so it stays cheap
 * for multi-gigabyte checkpoints in a bucket (the on-artifact check).
 */
export async function checkCheckpointFiles(files: ArtifactFiles, indexPath = INDEX_PATH): Promise<VerifyResult> {
  const index = readCheckpointIndex(await files.read(indexPath), indexPath);
  return checkCompleteness(index, await files.list());
}
