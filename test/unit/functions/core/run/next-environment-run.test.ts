import {
  environmentParent,
  moveBetween,
  nextEnvironmentRun,
  runEnvironment,
} from '../../../../../functions/core/run/next-environment-run';
import { runIdFor } from '../../../../../functions/core/run/run-id';
import { promotionAliases } from '../../../../../functions/core/workflow/environment-of';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { sampleRun } from '../../../../helpers/sample-run';

const HOME = () => 'projects/home/locations/us-central1';
const workflow = parseWorkflow(
  `name: staged
match: models/staged/{version}/
artifact: savedmodel
model: { displayName: staged }
validation: { goldenSet: g.jsonl }
environments:
  - { name: staging, endpoint: { displayName: s } }
  - { name: eu, region: europe-west4, endpoint: { displayName: e } }
  - { name: production, project: prod-project, endpoint: { displayName: p } }
`,
  'staged.yaml',
);
const model = {
  name: 'm',
  versionId: '1',
  versionName: 'projects/home/locations/us-central1/models/m@1',
  servingImage: 'i',
};
const promoted = (environment: { name: string; parent?: string }) =>
  sampleRun({ workflow: 'staged', state: 'promoted', outcome: 'promoted', environment, model });

describe('where an environment is', () => {
  it('fills what it does not name from the functions’ own project and region', () => {
    expect(environmentParent({ region: 'europe-west4' }, HOME)).toBe('projects/home/locations/europe-west4');
    expect(environmentParent({ project: 'other' }, HOME)).toBe('projects/other/locations/us-central1');
  });

  it('records a parent only for an environment elsewhere, and never asks home otherwise', () => {
    const never = () => {
      throw new Error('asked');
    };
    expect(runEnvironment(workflow.environments![0], never)).toEqual({ name: 'staging' });
    expect(runEnvironment(workflow.environments![1], HOME)).toEqual({
      name: 'eu',
      parent: 'projects/home/locations/europe-west4',
    });
    expect(runEnvironment({ ...workflow.environments![1], region: 'us-central1' }, HOME)).toEqual({ name: 'eu' });
  });

  it('copies across regions, uploads across projects, reuses in place', () => {
    expect(moveBetween(undefined, undefined, HOME)).toBe('same-place');
    expect(moveBetween(undefined, 'projects/home/locations/europe-west4', HOME)).toBe('copy');
    expect(moveBetween('projects/home/locations/europe-west4', 'projects/x/locations/europe-west4', HOME)).toBe(
      'upload',
    );
  });
});

describe('nextEnvironmentRun', () => {
  it('starts the next environment copying the version into its region', () => {
    const next = nextEnvironmentRun(promoted({ name: 'staging' }), workflow, HOME, new Date('2026-11-23T12:00:00Z'))!;
    expect(next).toMatchObject({
      runId: runIdFor('staged', '7', 'artifacts', 'models/flowers/7/', 1, 'eu'),
      environment: { name: 'eu', parent: 'projects/home/locations/europe-west4' },
      promotedFrom: 'flowers-7-abc',
      copyFrom: model.versionName,
      state: 'checked',
      step: -1,
    });
    expect(next.model).toBeUndefined();
  });

  it('uploads again into another project', () => {
    const from = promoted({ name: 'eu', parent: 'projects/home/locations/europe-west4' });
    const next = nextEnvironmentRun(from, workflow, HOME, new Date())!;
    expect(next).toMatchObject({
      state: 'checked',
      environment: { parent: 'projects/prod-project/locations/us-central1' },
    });
    expect(next.copyFrom).toBeUndefined();
  });

  it('starts nothing after the last environment, nor from a run that did not promote', () => {
    expect(nextEnvironmentRun(promoted({ name: 'production' }), workflow, HOME, new Date())).toBeUndefined();
    const rejected = { ...promoted({ name: 'staging' }), state: 'rejected' as const };
    expect(nextEnvironmentRun(rejected, workflow, HOME, new Date())).toBeUndefined();
    expect(nextEnvironmentRun(sampleRun({ state: 'promoted', model }), workflow, HOME, new Date())).toBeUndefined();
  });

  it('gives each environment its own run id, within the label rules', () => {
    const ids = ['staging', 'eu', 'production'].map((env) =>
      runIdFor('a'.repeat(40), '1234567890123', 'bucket', 'models/x/1/', 3, env),
    );
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9_-]{1,63}$/);
  });
});

describe('promotionAliases', () => {
  it('moves the environment’s own alias before the last, and default (with its name) in the last', () => {
    expect(promotionAliases(workflow, 'staging')).toEqual(['staging']);
    expect(promotionAliases(workflow, 'production')).toEqual(['default', 'production']);
    expect(promotionAliases(workflow, undefined)).toEqual(['default']);
  });
});
