import { runIdFor } from '../run/run-id';
import type { RunRecord } from '../run/run-record';

export interface RollbackRequest {
  /** The promoted run whose version goes back (rollback-target.ts). */
  target: RunRecord;
  /** The run whose version serves now. */
  serving: RunRecord;
  /** Every run of the workflow on record: earlier rollbacks number this one. */
  runs: RunRecord[];
  by: string;
  reason?: string;
  now: Date;
}

/**
 * The id of the workflow's next rollback run: `<workflow>-rollback<n>-to-v<version>-<hash>`, n
 * counting the workflow's rollback runs on record. The same command run twice at once computes
 * the same id, so the create-only write lets one through and the other finds it; a later
 * rollback to the same version (after a failed one, or from another version) gets a new id.
 */
export function rollbackRunId(runs: RunRecord[], target: RunRecord): string {
  const environment = target.environment?.name;
  const n =
    runs.filter(
      (run) => run.workflow === target.workflow && run.kind === 'rollback' && run.environment?.name === environment,
    ).length + 1;
  return runIdFor(target.workflow, `rollback${n}-to-v${target.version}`, target.bucket, target.root, 1, environment);
}

/**
 * A run of kind `rollback`, created in state `registered` so that deployModel takes it on once
 * the endpoint's turn is its own (pipeline/stages/rollback-to-version.ts does the work).
 */
export function rollbackRun({ target, serving, runs, by, reason, now }: RollbackRequest): RunRecord {
  const model = target.model;
  if (!model) throw new Error(`run ${target.runId} has no Model Registry version to roll back to`);
  const at = now.toISOString();
  const from = serving.version === target.version ? '' : `, from v${serving.version}`;
  const why = reason ? `: ${reason}` : '';
  return {
    runId: rollbackRunId(runs, target),
    workflow: target.workflow,
    kind: 'rollback',
    // The rollback acts on the target's environment only (its endpoint, its alias, its lease).
    ...(target.environment ? { environment: { ...target.environment } } : {}),
    bucket: target.bucket,
    root: target.root,
    version: target.version,
    state: 'registered',
    step: -1,
    createdAt: at,
    updatedAt: at,
    model: { ...model },
    operatorActions: [{ verb: 'rollback', by, at, ...(reason ? { reason } : {}) }],
    timeline: [
      {
        state: 'registered',
        at,
        detail: `rollback of ${target.workflow}${target.environment ? ` in ${target.environment.name}` : ''} to v${target.version} (${model.versionName}) by ${by}${from}${why}`,
      },
    ],
  };
}
