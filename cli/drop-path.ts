import { goldenSetLocation } from '../functions/core/validation/golden-location';
import { nearestWorkflow } from '../functions/core/workflow/nearest-workflow';
import type { Workflow } from '../functions/core/workflow/types';
import type { ArtifactMatch, WorkflowSet } from '../functions/core/workflow/workflow-set';

/** What an upload to a bucket path would do, as `ferry drop` and `ferry plan` tell it beforehand. */
export type DropPath =
  | { kind: 'artifact'; match: ArtifactMatch }
  /** The golden set of these workflows: it starts no run, but their next runs need it. */
  | { kind: 'golden'; workflows: Workflow[] }
  /** Nothing watches it: an upload would sit there and start nothing. */
  | { kind: 'unwatched'; nearest?: Workflow };

/**
 * Classifies an upload the way the functions will see it: a folder's run starts on its
 * saved_model.pb, a file's on the file itself; golden sets are named by `validation.goldenSet`.
 */
export function classifyDropPath(
  workflows: WorkflowSet,
  bucketPath: string,
  isFolder: boolean,
  artifactsBucket: string,
): DropPath {
  const folder = bucketPath.endsWith('/') ? bucketPath : `${bucketPath}/`;
  const match = workflows.match(isFolder ? `${folder}saved_model.pb` : bucketPath);
  if (match) return { kind: 'artifact', match };
  const golden = workflows.workflows.filter((w) => {
    if (w.validation.goldenSet.startsWith('./')) return false;
    const where = goldenSetLocation(w.validation.goldenSet, artifactsBucket, '');
    return !isFolder && where.bucket === artifactsBucket && where.name === bucketPath;
  });
  if (golden.length > 0) return { kind: 'golden', workflows: golden };
  return { kind: 'unwatched', nearest: nearestWorkflow(workflows.workflows, bucketPath) };
}

/** The refusal for an unwatched path: what is near, and what to do. */
export function unwatchedMessage(bucketPath: string, nearest: Workflow | undefined): string {
  const near = nearest ? `; nearest: workflow ${nearest.name} (${nearest.file}) watches ${nearest.match}` : '';
  return `${bucketPath}: no workflow watches this path, so no run would start${near}`;
}
