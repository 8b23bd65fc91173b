import { isPortError } from '../../core/errors';
import { deployedModelIdFor } from '../../core/run/run-id';
import type { RunRecord } from '../../core/run/run-record';
import { advance, endRun } from '../../core/run/transitions';
import { NEW_MODEL_KEY, type TrafficSplit } from '../../core/traffic-split';
import { endpointKey, environmentOf, promotionAliases } from '../../core/workflow/environment-of';
import type { Workflow } from '../../core/workflow/types';
import type { Clock, DeployedModelInfo, Endpoints, ModelRegistry } from '../ports';
import { DEPLOYED_NAME_PREFIX } from './deploy-model';

export interface RollbackDeps {
  endpoints: Endpoints;
  registry: ModelRegistry;
  clock: Clock;
}

/**
 * deployModel for a run of kind `rollback` (ferry rollback), holding the endpoint's turn. When the
 * target version is still deployed (a promotion keeps `keepPrevious` good ones at 0 %), it gets
 * 100 % at once (UpdateEndpoint is not an operation) and `default` moves to it: the run ends
 * rolled-back. Otherwise it is deployed again with 100 % of traffic (awaitOperation follows the
 * DeployModel, then finishRollback moves `default`). There is no validation: a rollback is an
 * operator's decision to go back to a version that passed it when it was promoted. The other
 * deployments stay deployed at 0 %: retiring them (keepPrevious) is a promotion's job.
 */
export async function startRollback(deps: RollbackDeps, run: RunRecord, workflow: Workflow): Promise<RunRecord> {
  const { model } = run;
  const config = environmentOf(workflow, run.environment?.name).endpoint;
  if (!config || !model) throw new Error(`${workflow.file}: a rollback needs a SavedModel workflow with an endpoint`);
  const endpoint = await deps.endpoints.find(
    config.displayName,
    endpointKey(workflow.name, run.environment?.name),
    run.environment?.parent,
  );
  if (!endpoint)
    throw new Error(
      `the ${workflow.name} endpoint (${config.displayName}) does not exist, so there is nothing to roll back; drop the version again to deploy it`,
    );
  const previousSplit: TrafficSplit = { ...endpoint.trafficSplit };
  const deployed = endpoint.deployedModels.find((d) => deploys(d, model));
  const now = deps.clock.now();
  if (deployed) {
    const split = Object.fromEntries(endpoint.deployedModels.map((d) => [d.id, d.id === deployed.id ? 100 : 0]));
    await deps.endpoints.setSplit(endpoint.name, split);
    await deps.registry.mergeAliases(model.versionName, promotionAliases(workflow, run.environment?.name));
    return advance(
      run,
      'rolled-back',
      now,
      `v${run.version} (${model.versionName}, deployed as ${deployed.id}) back at 100 %, default moved; previous split ${JSON.stringify(previousSplit)}`,
      {
        endpoint: { name: endpoint.name },
        deployment: { deployedModelId: deployed.id, previousSplit, split: { [deployed.id]: 100 } },
      },
    );
  }
  const deployedModelId = deployedModelIdFor(run.runId);
  let operation: string | undefined;
  try {
    operation = await deps.endpoints.deploy({
      endpoint: endpoint.name,
      model: model.versionName,
      deployedModelId,
      displayName: `${DEPLOYED_NAME_PREFIX}${run.runId}`,
      machineType: config.machineType,
      minReplicas: config.minReplicas,
      maxReplicas: config.maxReplicas,
      // The split replaces the endpoint's: every other deployment keeps its place at 0 %.
      trafficSplit: { [NEW_MODEL_KEY]: 100 },
    });
  } catch (error) {
    // An earlier attempt's DeployModel is under way (its state write was lost): follow the endpoint.
    if (!isPortError(error, 'already-exists')) throw error;
  }
  return advance(
    run,
    'deploying',
    now,
    `v${run.version} (${model.versionName}) is no longer deployed: deploying it again as ${deployedModelId} with 100 % of traffic`,
    {
      endpoint: { name: endpoint.name },
      deployment: { deployedModelId, previousSplit, split: { [deployedModelId]: 100 }, operation },
    },
  );
}

/** awaitOperation's end of a rollback's DeployModel: `default` moves and the run ends rolled-back. */
export async function finishRollback(
  deps: Pick<RollbackDeps, 'registry'>,
  run: RunRecord,
  failure: string | undefined,
  now: Date,
  /** The environment's aliases (promotionAliases): `default` in the last or only one. */
  aliases: string[] = ['default'],
): Promise<RunRecord> {
  if (failure)
    return endRun(run, 'failed', `DeployModel failed: ${failure}; the previous traffic split is unchanged`, now);
  const { model, deployment } = run;
  if (!model || !deployment) throw new Error(`run ${run.runId} has no deployment to roll back to`);
  await deps.registry.mergeAliases(model.versionName, aliases);
  return advance(
    run,
    'rolled-back',
    now,
    `v${run.version} (${model.versionName}) deployed again as ${deployment.deployedModelId}, back at 100 %, default moved; previous split ${JSON.stringify(deployment.previousSplit)}`,
  );
}

/** Vertex gives a deployment's model without its version (`…/models/9`) and the version apart. */
function deploys(deployed: DeployedModelInfo, model: NonNullable<RunRecord['model']>): boolean {
  return deployed.model.split('@')[0] === model.name && deployed.modelVersionId === model.versionId;
}
