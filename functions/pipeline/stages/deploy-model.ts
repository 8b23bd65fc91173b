import { isPortError } from '../../core/errors';
import { deployedModelIdFor } from '../../core/run/run-id';
import type { RunRecord } from '../../core/run/run-record';
import { advance } from '../../core/run/transitions';
import { deploySplit, withoutModel, type TrafficSplit } from '../../core/traffic-split';
import { endpointKey, environmentOf } from '../../core/workflow/environment-of';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import type { OperationMessage } from '../messages';
import { isPending, type Clock, type Endpoints, type ModelRegistry } from '../ports';
import type { Stage } from '../run-stage';
import { TOPICS } from '../topics';
import { checkRecorded, followMessages, recordPending } from './pending-operation';
import { startRollback } from './rollback-to-version';
import { workflowOf } from './workflow-of';

export interface DeployDeps {
  endpoints: Endpoints;
  /** A rollback run moves `default` (rollback-to-version.ts). */
  registry: ModelRegistry;
  workflows: WorkflowSet;
  clock: Clock;
}

export const DEPLOYED_NAME_PREFIX = 'ferry-';

/**
 * Deploys the registered version to the workflow's endpoint (created on first use) at the canary
 * percent (only once the run holds the endpoint's turn: see endpoint-turn.ts), scaling the incumbents so the split sums to 100. The deployed-model id is derived from
 * the run, so a retried DeployModel cannot deploy the candidate twice. Does not wait for the
 * 15–30 minute operation: awaitOperation follows it.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#google.cloud.aiplatform.v1.EndpointService.DeployModel
 */
export function deployModelStage(deps: DeployDeps): Stage {
  return {
    name: 'deployModel',
    expects: { state: 'registered' },
    produces: [{ state: 'deploying' }],
    next: (run) =>
      run.state === 'registered'
        ? followMessages(run)
        : [{ topic: TOPICS.operationPending, data: operationMessage(run, 'deploy', run.deployment?.operation) }],
    async work(run: RunRecord) {
      const workflow = workflowOf(deps.workflows, run);
      if (run.kind === 'rollback') return startRollback(deps, run, workflow);
      const environment = environmentOf(workflow, run.environment?.name);
      const endpointConfig = environment.endpoint;
      if (!endpointConfig || !run.model)
        throw new Error(`${workflow.file}: endpoint: is required for SavedModel workflows`);
      // A recorded CreateEndpoint is followed (awaitOperation resumes this stage when it is done).
      if ((await checkRecorded(run, 'creating-endpoint', (name) => deps.endpoints.operation(name))) === 'running')
        return { ...run };
      const endpoint = await deps.endpoints.getOrCreate(
        endpointConfig.displayName,
        endpointKey(workflow.name, run.environment?.name),
        run.environment?.parent,
      );
      if (isPending(endpoint)) return recordPending(run, 'creating-endpoint', endpoint.operation, deps.clock.now());
      const deployedModelId = deployedModelIdFor(run.runId);
      const previousSplit: TrafficSplit = withoutModel(endpoint.trafficSplit, deployedModelId);
      const split = deploySplit(previousSplit, environment.rollout.canaryPercent);
      let operation: string | undefined;
      if (!endpoint.deployedModels.some((d) => d.id === deployedModelId)) {
        try {
          operation = await deps.endpoints.deploy({
            endpoint: endpoint.name,
            model: run.model.versionName,
            deployedModelId,
            displayName: `${DEPLOYED_NAME_PREFIX}${run.runId}`,
            machineType: endpointConfig.machineType,
            minReplicas: endpointConfig.minReplicas,
            maxReplicas: endpointConfig.maxReplicas,
            trafficSplit: split,
          });
        } catch (error) {
          // `busy`: Vertex runs one deploy/undeploy per endpoint at a time and says to retry when it
          // is done (often this run's own first DeployModel, whose state write was lost). It is
          // thrown on: core/errors classifies it transient, so the delivery is retried with backoff.
          // `already-exists`: an earlier attempt's DeployModel is still running: follow the endpoint
          // instead of its operation.
          if (!isPortError(error, 'already-exists')) throw error;
        }
      }
      const percent = split['0'];
      return advance(
        { ...run, pendingOperation: undefined },
        'deploying',
        deps.clock.now(),
        `deploying ${run.model.versionName} as ${deployedModelId} with ${percent} % of traffic`,
        {
          endpoint: { name: endpoint.name },
          deployment: {
            deployedModelId,
            previousSplit,
            split: { ...withoutZeroKey(split), [deployedModelId]: percent },
            operation,
          },
          step: -1,
        },
      );
    },
  };
}

function withoutZeroKey(split: TrafficSplit): TrafficSplit {
  const rest = { ...split };
  delete rest['0'];
  return rest;
}

export function operationMessage(
  run: RunRecord,
  purpose: OperationMessage['purpose'],
  operation: string | undefined,
): OperationMessage {
  return { runId: run.runId, purpose, startedAt: run.updatedAt, ...(operation ? { operation } : {}) };
}
