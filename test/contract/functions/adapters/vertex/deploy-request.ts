import type { DeployRequest } from '../../../../../functions/pipeline/ports';

/** A DeployRequest for `model` (a version name) on one n1-standard-2 replica, displayed as `ferry-<id>`. */
export function deployRequest(
  endpoint: string,
  model: string,
  deployedModelId: string,
  trafficSplit: DeployRequest['trafficSplit'],
): DeployRequest {
  return {
    endpoint,
    model,
    deployedModelId,
    displayName: `ferry-${deployedModelId}`,
    machineType: 'n1-standard-2',
    minReplicas: 1,
    maxReplicas: 1,
    trafficSplit,
  };
}
