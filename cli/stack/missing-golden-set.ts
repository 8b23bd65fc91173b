import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { goldenSetNotFound } from '../../functions/core/artifact/golden-fit';
import { goldenSetLocation } from '../../functions/core/validation/golden-location';
import type { ArtifactMatch } from '../../functions/core/workflow/workflow-set';

export type GoldenSetCheck =
  | { status: 'present' }
  | { status: 'missing'; problem: string }
  /** In a bucket, and no bucket to look in (`ferry plan` with no stack and no project). */
  | { status: 'unchecked'; uri: string };

/**
 * Whether the golden set a run for `match` needs is there. A run that starts without one is
 * rejected and burns the version (versions are immutable), so `drop` refuses and `plan` says so.
 * A `./` golden set of a folder artifact travels with the folder: it is looked for in the local
 * folder about to be uploaded; any other in the bucket.
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
    return { status: 'missing', problem };
  }
  const where = goldenSetLocation(goldenSet, artifactsBucket, match.root);
  const uri = `gs://${where.bucket}/${where.name}`;
  if (!storage) return { status: 'unchecked', uri };
  const [exists] = await storage.bucket(where.bucket).file(where.name).exists();
  return exists ? { status: 'present' } : { status: 'missing', problem: goldenSetNotFound(uri, match.workflow.file) };
}
