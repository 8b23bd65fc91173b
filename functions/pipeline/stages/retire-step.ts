import { classifyError, errorMessage, isPortError } from '../../core/errors';
import { retireOrder, type Incumbent } from '../../core/rollout/retire-order';
import type { RunRecord } from '../../core/run/run-record';
import { advance } from '../../core/run/transitions';
import { environmentOf, promotionAliases } from '../../core/workflow/environment-of';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import type { OperationMessage } from '../messages';
import type { Clock, EndpointInfo, Endpoints, ModelRegistry, RunStore } from '../ports';
import type { Stage } from '../run-stage';
import { TOPICS } from '../topics';
import { DEPLOYED_NAME_PREFIX, operationMessage } from './deploy-model';
import { workflowOf } from './workflow-of';
import { nextEnvironmentMessages, startNextEnvironment, type NextEnvironmentDeps } from './next-environment';

export interface RetireDeps extends NextEnvironmentDeps {
  endpoints: Endpoints;
  registry: ModelRegistry;
  runs: RunStore;
  workflows: WorkflowSet;
  clock: Clock;
}

/**
 * One step of a promotion (state `promoting`), run for each `retire` operation message. Vertex
 * refuses a second mutation of an endpoint while one runs, so the old deployments are undeployed
 * one at a time, each handed to awaitOperation, whose completion runs the next step. Steps:
 * first `default` moves to the candidate and the retire order is recorded; then each step
 * undeploys the next deployment in the order. A message whose operation is not the one the run
 * waits for is a stale duplicate and does nothing. Once `default` has moved, a failure can only
 * end the run promoted with a warning (core/run/transitions.ts endRun), never roll back.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#google.cloud.aiplatform.v1.EndpointService.UndeployModel
 */
export function retireStage(deps: RetireDeps, message: OperationMessage, failure: string | undefined): Stage {
  return {
    name: 'awaitOperation(retire)',
    expects: { state: 'promoting' },
    produces: [{ state: 'promoted' }],
    next: (run) =>
      run.state === 'promoting'
        ? [{ topic: TOPICS.operationPending, data: operationMessage(run, 'retire', run.pendingOperations?.[0]) }]
        : nextEnvironmentMessages(deps, run),
    work: (run) => retireStep(deps, run, message, failure),
  };
}

async function retireStep(
  deps: RetireDeps,
  run: RunRecord,
  message: OperationMessage,
  failure: string | undefined,
): Promise<RunRecord> {
  if (message.operation !== run.pendingOperations?.[0]) return run;
  const { endpoint, model } = run;
  if (!endpoint || !model) throw new Error(`run ${run.runId} has no deployment to promote`);
  const now = deps.clock.now();
  const promotion = run.promotion ?? { defaultMoved: false };
  if (!promotion.defaultMoved) {
    // The order is decided before the alias moves: after it moves, a failure cannot be a rollback.
    const retiring = await decideRetiring(deps, run, await deps.endpoints.get(endpoint.name));
    // `default` in the last (or only) environment; an earlier one moves its own alias (staging).
    const aliases = promotionAliases(workflowOf(deps.workflows, run), run.environment?.name);
    await deps.registry.mergeAliases(model.versionName, [...aliases, '-candidate']);
    const detail = `${aliases.join(', ')} → ${model.versionName}; retiring ${retiring.length ? retiring.join(', ') : 'nothing'}`;
    return note({ ...run, promotion: { defaultMoved: true, retiring } }, detail, now);
  }
  const [head, ...rest] = promotion.retiring ?? [];
  const retired = [...(promotion.retired ?? [])];
  const leftovers = { ...promotion.leftovers };
  let queue = promotion.retiring ?? [];
  if (message.operation && head) {
    if (failure) leftovers[head] = `undeploy failed: ${failure}`;
    else retired.push(head);
    queue = rest;
  }
  const current = await deps.endpoints.get(endpoint.name);
  queue = queue.filter((id) => current.deployedModels.some((d) => d.id === id));
  for (const [index, id] of queue.entries()) {
    try {
      const operation = await deps.endpoints.undeploy(endpoint.name, id, current.trafficSplit);
      const next = { ...run, promotion: { ...promotion, retiring: queue.slice(index), retired, leftovers } };
      return note({ ...next, pendingOperations: [operation] }, `undeploying ${id}`, now);
    } catch (error) {
      // `busy` (and other transient errors) retry this step; a refusal leaves that one deployed.
      if (classifyError(error) === 'transient') throw error;
      if (isPortError(error, 'not-found')) retired.push(id);
      else leftovers[id] = `undeploy refused: ${errorMessage(error)}`;
    }
  }
  const done = { ...run, promotion: { ...promotion, retiring: [], retired, leftovers }, pendingOperations: [] };
  const left = Object.entries(leftovers).map(([id, why]) => `${id} still deployed without traffic (${why})`);
  const detail = [
    `promoted at 100 %: ${promotionAliases(workflowOf(deps.workflows, run), run.environment?.name).join(', ')} → ${model.versionName}`,
    retired.length ? `retired ${retired.join(', ')}` : 'nothing to retire',
    ...(left.length ? [`${left.join('; ')}: undeploy by hand`] : []),
  ].join('; ');
  const promoted = advance(done, 'promoted', now, detail);
  await startNextEnvironment(deps, promoted);
  return promoted;
}

/** The retire order (core/rollout/retire-order.ts) over what the endpoint holds and how their runs ended. */
async function decideRetiring(deps: RetireDeps, run: RunRecord, current: EndpointInfo): Promise<string[]> {
  const candidate = run.deployment?.deployedModelId;
  const incumbents: Incumbent[] = [];
  for (const deployed of current.deployedModels.filter((d) => d.id !== candidate)) {
    const runId = deployed.displayName.startsWith(DEPLOYED_NAME_PREFIX)
      ? deployed.displayName.slice(DEPLOYED_NAME_PREFIX.length)
      : undefined;
    const outcome = runId ? (await deps.runs.get(runId))?.value.outcome : undefined;
    incumbents.push({
      id: deployed.id,
      modelVersionId: deployed.modelVersionId,
      percentBefore: run.deployment?.previousSplit[deployed.id] ?? 0,
      ...(outcome ? { outcome } : {}),
    });
  }
  const { rollout } = environmentOf(workflowOf(deps.workflows, run), run.environment?.name);
  return retireOrder(incumbents, rollout.keepPrevious).retire;
}

/** The run still promoting, with a timeline line saying what this step did. */
function note(run: RunRecord, detail: string, now: Date): RunRecord {
  const at = now.toISOString();
  return { ...run, updatedAt: at, timeline: [...run.timeline, { state: run.state, at, detail }] };
}
