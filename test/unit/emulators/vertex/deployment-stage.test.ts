import { deploymentStage } from '../../../../emulators/vertex/deployment-stage';

describe('deploymentStage', () => {
  it('walks the stages in order as progress grows', () => {
    const seen = [0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.99].map((p) => deploymentStage(p));
    expect(seen).toEqual([
      'STARTING_DEPLOYMENT',
      'PREPARING_MODEL',
      'CREATING_SERVING_CLUSTER',
      'ADDING_NODES_TO_CLUSTER',
      'GETTING_CONTAINER_IMAGE',
      'STARTING_MODEL_SERVER',
      'FINISHING_UP',
    ]);
  });
  it('ends in success or failure', () => {
    expect(deploymentStage(1)).toBe('SUCCESSFULLY_DEPLOYED');
    expect(deploymentStage(1, true)).toBe('FAILED_TO_DEPLOY');
  });
  it('clamps odd progress values', () => {
    expect(deploymentStage(-1)).toBe('STARTING_DEPLOYMENT');
    expect(deploymentStage(Number.NaN)).toBe('STARTING_DEPLOYMENT');
  });
});
