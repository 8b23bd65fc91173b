import { errorMessage } from '../../core/errors';
import { RolloutTemplateError, rollBackCompletedRollout } from '../../core/mobile/rollout-template';
import { runIdFor } from '../../core/run/run-id';
import type { RunRecord } from '../../core/run/run-record';
import { announce, type StageDeps } from '../run-stage';
import type { MobileRolloutDeps } from '../stages/mobile-rollout';
import { changeTemplate } from '../stages/remote-config-change';

export type MobileRollbackResult =
  | { result: 'rolled-back'; run: RunRecord }
  /** Done before: the rollback run on record. */
  | { result: 'already-rolled-back'; run: RunRecord }
  | { result: 'refused'; why: string };

/**
 * `ferry rollback <workflow>` for a TFLite workflow with `mobile.rollout`: undoes the latest
 * rollout that reached 100 %. Remote Config gets ferry's part back as it was before that rollout
 * (the parameter exactly as recorded on its run; other parameters and conditions as they are now),
 * provided nobody changed the parameter since; the manifest's previous version is current again.
 * A rollout still under way is `ferry abort`'s. The rollback is recorded as a run of kind
 * `rollback` (deterministic id: running the command twice makes one).
 */
export async function rollbackMobileRollout(
  deps: StageDeps & { mobileRollout: MobileRolloutDeps },
  workflow: string,
  request: { by: string; reason?: string },
): Promise<MobileRollbackResult> {
  const runs = await deps.runs.list();
  const latest = runs
    .filter((run) => run.workflow === workflow && run.kind === 'tflite' && run.mobile?.rollout)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!latest) return { result: 'refused', why: `no staged rollout of ${workflow} on record: nothing to roll back` };
  if (latest.state === 'rolling-out')
    return {
      result: 'refused',
      why: `run ${latest.runId} is still rolling out (${latest.mobile!.rollout!.percent} %): ferry abort ${latest.runId} restores the parameter`,
    };
  if (latest.state !== 'published')
    return {
      result: 'refused',
      why: `the latest rollout (run ${latest.runId}) ended ${latest.outcome ?? latest.state}, not published: it left nothing to roll back (${latest.reason ?? ''})`,
    };
  const runId = runIdFor(workflow, `rollback-of-v${latest.version}`, latest.bucket, latest.root);
  const existing = (await deps.runs.get(runId))?.value;
  if (existing) return { result: 'already-rolled-back', run: existing };
  const rollout = latest.mobile!.rollout!;
  let restored: string;
  try {
    const change = await changeTemplate(
      deps.mobileRollout.templates,
      (template) => rollBackCompletedRollout(template, rollout),
      `ferry rollback of ${latest.runId}: ${rollout.parameter} as before v${latest.version}`,
    );
    restored = change.publishedVersion
      ? `Remote Config "${rollout.parameter}" as before v${latest.version} (template version ${change.publishedVersion})`
      : `Remote Config "${rollout.parameter}" was already as before v${latest.version}`;
  } catch (error) {
    if (error instanceof RolloutTemplateError) return { result: 'refused', why: errorMessage(error) };
    throw error;
  }
  const manifest =
    rollout.candidate.object && deps.mobileRollout.manifest
      ? `; ${await deps.mobileRollout.manifest.revert(rollout.modelName, latest.runId)}`
      : '';
  const at = deps.clock.now().toISOString();
  const why = request.reason ? `: ${request.reason}` : '';
  const detail = `rollback of ${workflow}'s rollout of v${latest.version} (run ${latest.runId}) by ${request.by}${why}; ${restored}${manifest}`;
  const run: RunRecord = {
    runId,
    workflow,
    kind: 'rollback',
    bucket: latest.bucket,
    root: latest.root,
    version: latest.version,
    state: 'rolled-back',
    outcome: 'rolled-back',
    reason: detail,
    step: -1,
    createdAt: at,
    updatedAt: at,
    operatorActions: [{ verb: 'rollback', by: request.by, at, ...(request.reason ? { reason: request.reason } : {}) }],
    timeline: [{ state: 'rolled-back', at, detail }],
  };
  if (!(await deps.runs.create(run))) {
    const raced = (await deps.runs.get(runId))?.value;
    if (raced) return { result: 'already-rolled-back', run: raced };
  }
  await announce(deps, undefined, run);
  return { result: 'rolled-back', run };
}
