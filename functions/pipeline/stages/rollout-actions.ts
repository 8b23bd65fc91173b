import { isPortError } from '../../core/errors';
import type { RunRecord } from '../../core/run/run-record';
import { advance } from '../../core/run/transitions';
import { stepSplit } from '../../core/traffic-split';
import { environmentOf, promotionAliases } from '../../core/workflow/environment-of';
import type { Workflow } from '../../core/workflow/types';
import type { Clock, Endpoints, ModelRegistry } from '../ports';

export interface RolloutDeps {
  endpoints: Endpoints;
  registry: ModelRegistry;
  clock: Clock;
}

/** Passed at a step below 100 %: give the candidate the next step's share. */
export async function stepUp(
  deps: RolloutDeps,
  run: RunRecord,
  workflow: Workflow,
  summary: string,
): Promise<RunRecord> {
  const { endpoint, deployment } = required(run);
  const step = run.step + 1;
  const percent = environmentOf(workflow, run.environment?.name).rollout.steps[step];
  const current = await deps.endpoints.get(endpoint);
  const split = stepSplit(current.trafficSplit, deployment.deployedModelId, percent);
  await deps.endpoints.setSplit(endpoint, split);
  return advance(
    { ...run, step, deployment: { ...deployment, split } },
    'deployed',
    deps.clock.now(),
    `${summary}; traffic to ${percent} %`,
  );
}

/**
 * Passed at 100 %: the run enters `promoting`, whose steps (retire-step.ts, through awaitOperation)
 * move `default` to the candidate and then undeploy old deployments one at a time. Nothing moves
 * here, so a retry of this stage that validates again can still roll back safely; from the alias
 * move on, the run can only end promoted.
 */
export function promote(deps: RolloutDeps, run: RunRecord, workflow: Workflow, summary: string): RunRecord {
  const { model } = required(run);
  const keep = environmentOf(workflow, run.environment?.name).rollout.keepPrevious;
  const aliases = promotionAliases(workflow, run.environment?.name).join(', ');
  return advance(
    { ...run, promotion: { defaultMoved: false }, pendingOperations: [] },
    'promoting',
    deps.clock.now(),
    `${summary}; promoting ${model.versionName} (${aliases}, keeping ${keep} previous good version${keep === 1 ? '' : 's'})`,
  );
}

/**
 * Failed a gate: the exact split from before the candidate is restored at once (UpdateEndpoint is
 * not an operation), then the candidate is undeployed and marked `rejected`. A first model on an
 * empty endpoint has no split to go back to: undeploying it is what takes its traffic away.
 */
export async function rollBack(
  deps: RolloutDeps,
  run: RunRecord,
  reason: string,
  outcome: 'rejected' | 'failed' | 'aborted' = 'rejected',
): Promise<RunRecord> {
  const { endpoint, deployment, model } = required(run);
  const first = Object.keys(deployment.previousSplit).length === 0;
  // Vertex refuses an empty split while a model is deployed; a first model loses its traffic by
  // being undeployed (the last model's undeploy leaves the split empty).
  if (!first) await deps.endpoints.setSplit(endpoint, deployment.previousSplit);
  if (outcome === 'rejected') await deps.registry.mergeAliases(model.versionName, ['rejected', '-candidate']);
  else await deps.registry.mergeAliases(model.versionName, ['-candidate']);
  const current = await deps.endpoints.get(endpoint);
  let operation: string | undefined;
  if (current.deployedModels.some((d) => d.id === deployment.deployedModelId)) {
    try {
      operation = await deps.endpoints.undeploy(endpoint, deployment.deployedModelId, deployment.previousSplit);
    } catch (error) {
      // Already undeployed (by an earlier attempt of this step): nothing left to do.
      if (!isPortError(error, 'not-found')) throw error;
    }
  }
  const restored = first ? 'no traffic (it was the first model)' : JSON.stringify(deployment.previousSplit);
  const now = deps.clock.now();
  const rolling = advance(
    { ...run, reason, rollbackOutcome: outcome, pendingOperations: operation ? [operation] : [] },
    'rolling-back',
    now,
    `${reason}; split restored to ${restored}${operation ? '; undeploying the candidate' : ''}`,
  );
  return operation ? rolling : advance(rolling, outcome, now, reason);
}

function required(run: RunRecord) {
  const { endpoint, deployment, model } = run;
  if (!endpoint || !deployment || !model) throw new Error(`run ${run.runId} has no deployment to act on`);
  return { endpoint: endpoint.name, deployment, model };
}
