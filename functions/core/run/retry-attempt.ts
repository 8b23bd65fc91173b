import { runIdFor } from './run-id';
import { isTerminal, type OperatorAction, type RunRecord } from './run-record';

export interface RetryRequest {
  /** `retry` (ferry retry) or `replay` (ferry replay of the dead letter that ended the run). */
  verb: 'retry' | 'replay';
  by: string;
  at: Date;
  reason?: string;
  /** A rejected run was judged by its gates: retried only when the operator insists. */
  force?: boolean;
}

export type RetryDecision = { ok: true; next: RunRecord } | { ok: false; refusal: string };

/** The attempt number of a run (1 for a drop, whose record predates attempts). */
export function attemptOf(run: RunRecord): number {
  return run.attempt ?? 1;
}

/** The id the next attempt of `run` gets: create-only, so a second retry finds it taken. */
export function nextAttemptId(run: RunRecord): string {
  // A run a promotion started (a later environment) keeps its environment in its attempts' ids.
  const environment = run.promotedFrom ? run.environment?.name : undefined;
  return runIdFor(run.workflow, run.version, run.bucket, run.root, attemptOf(run) + 1, environment);
}

/**
 * The next attempt of an ended run, or why there is none. Failed and aborted runs are retried;
 * a rejected one only with `force` (its gates judged it), and never one its static checks
 * rejected (the same bytes fail them again: fix the artifact and drop a new version). A run
 * still going is aborted first; one that promoted, published or rolled back has nothing to retry.
 * The attempt starts `checked` with the first attempt's inspection, and reuses the Model Registry
 * version an earlier attempt registered (registerModel then uploads nothing).
 */
export function retryAttempt(run: RunRecord, request: RetryRequest): RetryDecision {
  const refuse = (refusal: string): RetryDecision => ({ ok: false, refusal: `run ${run.runId}: ${refusal}` });
  if (run.kind === 'rollback')
    return refuse('a rollback is not retried: run `ferry rollback` again if it is still wanted');
  if (!isTerminal(run)) return refuse(`still ${run.state}: abort it first (ferry abort ${run.runId}), then retry it`);
  switch (run.state) {
    case 'promoted':
    case 'published':
      return refuse(`${run.state}: nothing to retry (to put an earlier version back: ferry rollback)`);
    case 'rolled-back':
      return refuse('rolled back: nothing to retry');
    case 'rejected':
      if (run.timeline[0]?.state === 'rejected')
        return refuse(
          `rejected by its static checks (${run.reason ?? 'see ferry status'}): the same artifact fails them again; fix it and drop it as a new version`,
        );
      if (!request.force)
        return refuse(
          `rejected (${run.reason ?? 'by its gates'}): its gates judged it; retry with --force to deploy it again anyway`,
        );
      break;
    default:
      break;
  }
  const attempt = attemptOf(run) + 1;
  const at = request.at.toISOString();
  const action: OperatorAction = {
    verb: request.verb,
    by: request.by,
    at,
    ...(request.reason ? { reason: request.reason } : {}),
  };
  const why = request.reason ? `: ${request.reason}` : '';
  const detail = `attempt ${attempt} of ${run.root}, retrying ${run.runId} (${run.outcome ?? run.state}) by ${request.by}${why}`;
  const next: RunRecord = {
    runId: nextAttemptId(run),
    workflow: run.workflow,
    kind: run.kind,
    attempt,
    retryOf: run.runId,
    ...(run.environment ? { environment: run.environment } : {}),
    ...(run.promotedFrom ? { promotedFrom: run.promotedFrom } : {}),
    ...(run.copyFrom ? { copyFrom: run.copyFrom } : {}),
    bucket: run.bucket,
    root: run.root,
    version: run.version,
    state: 'checked',
    step: -1,
    createdAt: at,
    updatedAt: at,
    timeline: [{ state: 'checked', at, detail }],
    ...(run.inspection ? { inspection: run.inspection } : {}),
    ...(run.model ? { model: run.model } : {}),
    operatorActions: [action],
  };
  return { ok: true, next };
}
