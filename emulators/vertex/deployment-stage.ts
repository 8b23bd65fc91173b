/**
 * `DeploymentStage` values in the order a real deployment reports them in
 * `DeployModelOperationMetadata.deployment_stage`, so polling sees the metadata move.
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1/DeploymentStage
 */
const STAGES = [
  'STARTING_DEPLOYMENT',
  'PREPARING_MODEL',
  'CREATING_SERVING_CLUSTER',
  'ADDING_NODES_TO_CLUSTER',
  'GETTING_CONTAINER_IMAGE',
  'STARTING_MODEL_SERVER',
  'FINISHING_UP',
] as const;

/** Stage at `progress` in [0, 1]; once done, whether it succeeded. */
export function deploymentStage(progress: number, failed = false): string {
  if (progress >= 1) return failed ? 'FAILED_TO_DEPLOY' : 'SUCCESSFULLY_DEPLOYED';
  const index = progress > 0 ? Math.min(STAGES.length - 1, Math.floor(progress * STAGES.length)) : 0;
  return STAGES[index];
}
