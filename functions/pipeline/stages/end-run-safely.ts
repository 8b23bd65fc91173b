import { classifyError, errorMessage, retryLater } from '../../core/errors';
import { isTerminal, type RunRecord } from '../../core/run/run-record';
import { STALL_BUDGET_MS } from '../../core/run/stall-budgets';
import { advance, endRun, type StagePoint } from '../../core/run/transitions';
import type { DocumentStore } from '../ports';
import { runStage, type StageDeps } from '../run-stage';
import { releaseEndedLease } from './lease-release';
import { leaseScopeOf } from './endpoint-lease';
import { restoreMobileRollout, type MobileRolloutDeps } from './mobile-rollout';
import { rollBack, type RolloutDeps } from './rollout-actions';

export interface EndRunDeps extends StageDeps {
  /** The Vertex ports a rollback needs; without them a run that may hold traffic is left alone. */
  rollout?: RolloutDeps;
  /** Endpoint leases: the ended run's lease is released at once (it would pass on anyway). */
  leases?: DocumentStore;
  /** Remote Config and the manifest: a rolling-out mobile run gets ferry's part of the template restored. */
  mobileRollout?: MobileRolloutDeps;
  /**
   * Called with a run this ends `promoted`: the version goes on to the workflow's next environment,
   * as after a confirmed promotion (startNextEnvironment, next-environment.ts). Injected, not
   * imported, so that only the functions wired with it are granted its topics.
   */
  nextEnvironment?: (promoted: RunRecord) => Promise<void>;
}

export interface EndRequest {
  /** Why the run ends: one line a person can act on. */
  reason: string;
  /** Only end the run if it still stands here (the point a dead-lettered message was for). */
  at?: StagePoint;
  /** Kept on the ended run (the dead letter's id, the operator's action). */
  patch?: Partial<Pick<RunRecord, 'deadLetterId' | 'operatorActions'>>;
  /** `aborted` when a person ends it (ferry abort); default `failed`. */
  outcome?: 'failed' | 'aborted';
}

export type EndResult = 'ended' | 'not-found' | 'already-ended' | 'moved-on' | 'cannot-roll-back';

const ATTEMPTS = 5;

/**
 * Ends a run that cannot go on (dead-lettered, stalled, retried too long) without leaving an
 * unvalidated candidate serving traffic: if the run put its candidate on the endpoint, the exact
 * previous split is restored and the candidate undeployed (rollout-actions `rollBack`), then the
 * run ends `failed` and its endpoint lease is released, so the workflow's next version gets its
 * turn. Goes through the same claim and compare-and-set as every stage (run-stage.ts): duplicates
 * and concurrent callers find the run ended and change nothing; transient errors throw.
 */
export async function endRunSafely(deps: EndRunDeps, runId: string, request: EndRequest): Promise<EndResult> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const stored = await deps.runs.get(runId);
    if (!stored) return 'not-found';
    const run = stored.value;
    if (isTerminal(run)) return 'already-ended';
    const point = request.at ?? { state: run.state, step: run.step };
    if (run.state !== point.state || (point.step !== undefined && run.step !== point.step)) return 'moved-on';
    if (mayHoldTraffic(run) && !deps.rollout) return 'cannot-roll-back';
    if (run.state === 'rolling-out' && !deps.mobileRollout) return 'cannot-roll-back';
    await runStage(deps, runId, {
      name: 'endRunSafely',
      expects: point,
      produces: [],
      next: () => [],
      work: (current) => end(deps, current, request),
    });
    const after = await deps.runs.get(runId);
    if (!after || isTerminal(after.value)) {
      if (deps.leases && after)
        await releaseEndedLease({ leases: deps.leases, runs: deps.runs }, leaseScopeOf(after.value), runId);
      return 'ended';
    }
  }
  throw retryLater(`endRunSafely: run ${runId} kept changing; retrying`);
}

function mayHoldTraffic(run: RunRecord): boolean {
  return (
    Boolean(run.deployment && run.endpoint) &&
    ['deploying', 'deployed', 'awaiting-approval', 'rolling-back'].includes(run.state)
  );
}

async function end(deps: EndRunDeps, run: RunRecord, request: EndRequest): Promise<RunRecord> {
  const now = () => deps.clock.now();
  const { reason } = request;
  const outcome = request.outcome ?? 'failed';
  const patched = { ...run, ...request.patch };
  if (run.state === 'promoting') {
    // Validated at 100 % and `default` moved: only retiring old deployments was left unconfirmed.
    const promoted = advance(
      patched,
      'promoted',
      now(),
      `promoted at 100 %; retiring old deployments not confirmed (${(run.pendingOperations ?? []).join(', ') || 'none'}): ${reason}`,
    );
    // As retire-step does, before the run's own write: the version goes on to the next environment.
    await deps.nextEnvironment?.(promoted);
    return promoted;
  }
  if (run.state === 'rolling-out' && deps.mobileRollout)
    return restoreAndEnd(deps.mobileRollout, patched, reason, outcome);
  if (!mayHoldTraffic(run) || !deps.rollout) return endRun(patched, outcome, reason, now());
  if (run.state === 'rolling-back')
    return endRun(
      patched,
      outcome,
      `${reason}; the previous split was restored earlier (${run.reason ?? 'rolled back'}); undeploying the candidate not confirmed (${(run.pendingOperations ?? []).join(', ') || 'no operation'})`,
      now(),
    );
  try {
    return await rollBackAndEnd(deps.rollout, patched, reason, outcome);
  } catch (error) {
    if (classifyError(error) === 'transient') throw error;
    const split = JSON.stringify(run.deployment?.previousSplit ?? {});
    return endRun(
      patched,
      'failed',
      `${reason}; rolling back failed: ${errorMessage(error)}; restore the split ${split} on ${run.endpoint?.name} and undeploy ${run.deployment?.deployedModelId} by hand`,
      now(),
    );
  }
}

/** Deploying, deployed or awaiting approval: take the candidate's traffic away if it has any, then end the run. */
async function rollBackAndEnd(
  deps: RolloutDeps,
  run: RunRecord,
  reason: string,
  outcome: 'failed' | 'aborted',
): Promise<RunRecord> {
  const { endpoint, deployment } = run as Required<Pick<RunRecord, 'endpoint' | 'deployment'>> & RunRecord;
  if (run.state === 'deploying') {
    // The operation first: a deployment finishing between the two reads is then still seen.
    const running = deployment.operation
      ? !(await deps.endpoints.operation(deployment.operation)).done
      : deps.clock.now().getTime() - Date.parse(run.updatedAt) < STALL_BUDGET_MS.deploying;
    const present = (await deps.endpoints.get(endpoint.name)).deployedModels.some(
      (d) => d.id === deployment.deployedModelId,
    );
    if (!present && running)
      throw retryLater(
        `${reason}: DeployModel ${deployment.operation ?? `of ${deployment.deployedModelId}`} is still running; the run ends (and the candidate is undeployed) once it has finished`,
      );
    if (!present)
      return endRun(
        run,
        outcome,
        `${reason}; the candidate was never deployed: the split is unchanged`,
        deps.clock.now(),
      );
  }
  const rolled = await rollBack(deps, run, reason, outcome);
  if (isTerminal(rolled)) return rolled;
  return advance(
    rolled,
    outcome,
    deps.clock.now(),
    `${reason}; undeploying the candidate (${(rolled.pendingOperations ?? []).join(', ')}) is left to finish on its own`,
  );
}

/** A rolling-out mobile run: Remote Config and the manifest as before the rollout, then the end. */
async function restoreAndEnd(
  deps: MobileRolloutDeps,
  run: RunRecord,
  reason: string,
  outcome: 'failed' | 'aborted',
): Promise<RunRecord> {
  try {
    return endRun(run, outcome, `${reason}; ${await restoreMobileRollout(deps, run, reason)}`, deps.clock.now());
  } catch (error) {
    if (classifyError(error) === 'transient') throw error;
    const rollout = run.mobile?.rollout;
    return endRun(
      run,
      'failed',
      `${reason}; restoring Remote Config failed: ${errorMessage(error)}; set "${rollout?.parameter}" back to ${JSON.stringify(rollout?.before ?? {})} and delete the condition ferry_${rollout?.parameter}_rollout by hand`,
      deps.clock.now(),
    );
  }
}
