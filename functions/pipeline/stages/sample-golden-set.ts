import { checkGoldenSize, parseGoldenSet, type GoldenExample } from '../../core/validation/golden-set';
import { goldenSetLocation } from '../../core/validation/golden-location';
import type { RunRecord } from '../../core/run/run-record';
import type { Workflow } from '../../core/workflow/types';
import type { ObjectReader } from '../ports';

/**
 * Reads and parses the workflow's golden set for a run; errors name the gs:// file. Its size is
 * judged from the object's metadata first, so an oversized file is never downloaded.
 */
export async function loadGoldenSet(
  objects: ObjectReader,
  workflow: Workflow,
  run: RunRecord,
): Promise<GoldenExample[]> {
  const where = goldenSetLocation(workflow.validation.goldenSet, run.bucket, run.root);
  const uri = `gs://${where.bucket}/${where.name}`;
  const info = await objects.stat(where.bucket, where.name);
  if (!info)
    throw new Error(
      `${uri}: golden set not found (workflow ${workflow.file}, validation.goldenSet); upload it and drop the artifact again`,
    );
  checkGoldenSize(info.size, uri);
  return parseGoldenSet(await objects.read(where.bucket, where.name), uri);
}
