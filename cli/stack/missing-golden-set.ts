import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { goldenSetNotFound } from '../../functions/core/artifact/golden-fit';
import { goldenSetLocation } from '../../functions/core/validation/golden-location';
import type { ArtifactMatch } from '../../functions/core/workflow/workflow-set';

export type GoldenSetCheck =
  | { status: 'present' }
  /** `then`: what a run does without it. */
  | { status: 'missing'; problem: string; then: string }
  /** In a bucket, and no bucket to look in (`ferry plan` with no stack and no project). */
  | { status: 'unchecked'; uri: string };

/**
 * Whether the golden set a run for `match` needs is there, so `drop` can refuse and `plan` warn.
 * A run that starts without one is rejected and burns the version (versions are immutable). A
 * `./` golden set of a folder artifact travels with the folder (onArtifact waits for it like for
 * any other file of the folder): it is looked for in the local folder about to be uploaded.
 */
export async function checkGoldenSet(
  storage: Storage | undefined,
  artifactsBucket: string,
  match: ArtifactMatch,
  localPath: string,
  isFolder: boolean,
): Promise<GoldenSetCheck> {
  const { goldenSet } = match.workflow.validation;
  if (goldenSet.startsWith('./') && isFolder) {
    const local = join(localPath, goldenSet.slice(2));
    if (existsSync(local)) return { status: 'present' };
    const problem = `${local}: golden set not found (${match.workflow.file}, validation.goldenSet ${goldenSet} ships beside the model); add it to the folder`;
    return { status: 'missing', problem, then: 'no run starts until it is uploaded beside the model' };
  }
  const where = goldenSetLocation(goldenSet, artifactsBucket, match.root);
  const uri = `gs://${where.bucket}/${where.name}`;
  if (!storage) return { status: 'unchecked', uri };
  const [exists] = await storage.bucket(where.bucket).file(where.name).exists();
  if (exists) return { status: 'present' };
  const problem = goldenSetNotFound(uri, match.workflow.file);
  return { status: 'missing', problem, then: 'the run would be rejected and its version burnt' };
}
