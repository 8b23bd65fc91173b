import { releaseNameProblem } from '../../core/mobile/firebase-ml-names';
import { runEnvironment, type HomeParent } from '../../core/run/next-environment-run';
import { runIdFor } from '../../core/run/run-id';
import { firstEnvironment } from '../../core/workflow/environment-of';
import type { RunRecord } from '../../core/run/run-record';
import type { ArtifactMatch, WorkflowSet } from '../../core/workflow/workflow-set';
import type { ArtifactChecker, Clock, DocumentStore, Logger, ObjectReader, Publisher, RunStore } from '../ports';
import { announce } from '../run-stage';
import { unsafeNameReason, type StorageObjectData } from '../storage-event';
import { TOPICS } from '../topics';
import { markArrived, recordMissing } from './pending-files';
import { claimVersionAlias } from './version-alias-claim';

export interface OnArtifactDeps {
  workflows: WorkflowSet;
  objects: ObjectReader;
  runs: RunStore;
  pending: DocumentStore;
  checker: ArtifactChecker;
  publisher: Publisher;
  clock: Clock;
  log: Logger;
  /** The functions' own Vertex location: asked only when the first environment is elsewhere. */
  home?: HomeParent;
}

/** Files whose arrival triggers a full completeness check of a SavedModel folder; any other file costs O(1). */
const ANCHORS = new Set(['saved_model.pb', 'saved_model.pbtxt', 'variables/variables.index']);

/**
 * Storage finalize → at most one run per artifact version. Folder placeholders, unwatched paths
 * and unsafe names are ignored. A SavedModel starts only once every file it needs is there,
 * whatever order they arrive in: the anchor files list the folder once and record what is missing;
 * every other file only ticks itself off that record.
 */
export async function onArtifact(deps: OnArtifactDeps, object: StorageObjectData): Promise<void> {
  const unsafe = unsafeNameReason(object.name);
  if (unsafe) {
    deps.log.warn(`ignoring gs://${object.bucket}/${JSON.stringify(object.name).slice(1, 200)}: ${unsafe}`);
    return;
  }
  if (object.name.endsWith('/')) return; // folder placeholder
  const match = deps.workflows.match(object.name);
  if (!match) return;
  const runId = runIdFor(match.workflow.name, match.version, object.bucket, match.root);
  if (match.workflow.artifact === 'tflite') {
    await startRun(deps, object.bucket, match, runId);
    return;
  }
  if (!ANCHORS.has(match.relativePath)) {
    if (await markArrived(deps.pending, runId, match.relativePath)) await startRun(deps, object.bucket, match, runId);
    return;
  }
  const listing = await deps.objects.list(object.bucket, match.root);
  const missing = await deps.checker.missingFiles(match.workflow.name, object.bucket, match.root, listing);
  if (missing.length === 0) {
    await startRun(deps, object.bucket, match, runId);
    return;
  }
  // Everything still missing by a fresh listing: an earlier listing may have been partial.
  const recheck = async () =>
    deps.checker.missingFiles(
      match.workflow.name,
      object.bucket,
      match.root,
      await deps.objects.list(object.bucket, match.root),
    );
  if (await recordMissing(deps.pending, runId, missing, recheck)) await startRun(deps, object.bucket, match, runId);
  else deps.log.info(`${match.root}: waiting for ${missing.length} file(s), e.g. ${missing[0]}`, { runId });
}

async function startRun(deps: OnArtifactDeps, bucket: string, match: ArtifactMatch, runId: string): Promise<void> {
  const kind = match.workflow.artifact;
  const ready = kind === 'savedmodel' ? TOPICS.savedModelReady : TOPICS.tfliteReady;
  const existing = await deps.runs.get(runId);
  if (existing) {
    // A duplicate event, or a retry after the first attempt stored the run but died before publishing.
    if (existing.value.state === 'checked') await deps.publisher.publish(ready, { runId });
    return;
  }
  const collision =
    releaseProblem(match) ?? (await claimVersionAlias(deps.pending, match.workflow.name, match.version, runId));
  const listing = kind === 'savedmodel' && !collision ? await deps.objects.list(bucket, match.root) : [];
  const result = collision
    ? { problems: [collision], facts: {} }
    : await deps.checker.check(match.workflow.name, kind, bucket, match.root, listing);
  const at = deps.clock.now().toISOString();
  const passed = result.problems.length === 0;
  const detail = passed
    ? `static checks passed (${kind} ${match.root})`
    : `static checks failed: ${result.problems.join('; ')}`;
  // A drop's run rolls out in the workflow's first environment (a promotion there starts the next).
  const first = firstEnvironment(match.workflow);
  const run: RunRecord = {
    runId,
    workflow: match.workflow.name,
    kind,
    ...(first ? { environment: runEnvironment(first, deps.home ?? missingHome) } : {}),
    bucket,
    root: match.root,
    version: match.version,
    state: passed ? 'checked' : 'rejected',
    step: -1,
    createdAt: at,
    updatedAt: at,
    timeline: [{ state: passed ? 'checked' : 'rejected', at, detail }],
    inspection: result.facts,
    ...(passed ? {} : { outcome: 'rejected' as const, reason: detail }),
  };
  if (!(await deps.runs.create(run))) return; // another event started it first
  await announce(deps, undefined, run);
  if (passed) await deps.publisher.publish(ready, { runId });
}

/** A version the mobile release could not carry (a Firebase ML tag or candidate model name it would refuse). */
function releaseProblem(match: ArtifactMatch): string | undefined {
  return match.workflow.mobile ? releaseNameProblem(match.workflow.mobile, match.version) : undefined;
}

function missingHome(): string {
  throw new Error('the functions’ own project and region are not wired (home): set FERRY_PROJECT and FERRY_LOCATION');
}
