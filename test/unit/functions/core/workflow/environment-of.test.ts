import {
  environmentOf,
  firstEnvironment,
  isLastEnvironment,
  nextEnvironment,
} from '../../../../../functions/core/workflow/environment-of';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';

const common = `
name: staged
match: models/staged/{version}/
artifact: savedmodel
model: { displayName: staged }
rollout: { canaryPercent: 20 }
validation: { goldenSet: golden/staged.jsonl }
`;
const single = parseWorkflow(`${common}endpoint: { displayName: one }\napproval: { before: promote }\n`, 'one.yaml');
const staged = parseWorkflow(
  `${common}environments:
  - { name: staging, endpoint: { displayName: s }, rollout: { canaryPercent: 50 } }
  - { name: canary-eu, endpoint: { displayName: c }, region: europe-west4 }
  - { name: production, endpoint: { displayName: p } }
`,
  'staged.yaml',
);

describe('environmentOf', () => {
  it('makes one implicit environment of a workflow without environments', () => {
    expect(environmentOf(single)).toEqual({
      endpoint: single.endpoint,
      rollout: single.rollout,
      gates: single.validation.gates,
      approval: single.approval,
    });
  });

  it('gives a listed environment’s own settings', () => {
    const staging = environmentOf(staged, 'staging');
    expect(staging.endpoint?.displayName).toBe('s');
    expect(staging.rollout.canaryPercent).toBe(50);
    expect(environmentOf(staged, 'production').rollout.canaryPercent).toBe(20);
    expect(environmentOf(staged, 'canary-eu').region).toBe('europe-west4');
  });

  it('refuses an environment the workflow no longer lists, naming the file', () => {
    expect(() => environmentOf(staged, 'qa')).toThrow(
      /staged\.yaml: environments: no environment "qa" \(the workflow lists staging, canary-eu, production\)/,
    );
    expect(() => environmentOf(staged)).toThrow(/staged\.yaml: environments: the run names no environment/);
    expect(() => environmentOf(single, 'staging')).toThrow(
      /one\.yaml: environments: .*"staging", which the workflow no longer lists/,
    );
  });
});

describe('environment order', () => {
  it('starts a drop in the first environment and moves on in order', () => {
    expect(firstEnvironment(staged)?.name).toBe('staging');
    expect(nextEnvironment(staged, 'staging')?.name).toBe('canary-eu');
    expect(nextEnvironment(staged, 'canary-eu')?.name).toBe('production');
    expect(nextEnvironment(staged, 'production')).toBeUndefined();
    expect(isLastEnvironment(staged, 'canary-eu')).toBe(false);
    expect(isLastEnvironment(staged, 'production')).toBe(true);
  });

  it('has nowhere to go from a workflow without environments', () => {
    expect(firstEnvironment(single)).toBeUndefined();
    expect(nextEnvironment(single, undefined)).toBeUndefined();
    expect(isLastEnvironment(single, undefined)).toBe(true);
  });
});

describe('endpoint ids across workflows', () => {
  it('refuses a workflow whose endpoint id is another workflow environment’s', () => {
    const plain = parseWorkflow(
      `${common.replace('name: staged', 'name: staged-eu').replace('models/staged/', 'models/staged-eu/')}endpoint: { displayName: x }\n`,
      'staged-eu.yaml',
    );
    const withEu = parseWorkflow(
      `${common}environments:\n  - { name: eu, endpoint: { displayName: e } }\n`,
      'staged.yaml',
    );
    expect(() => new WorkflowSet([withEu, plain])).toThrow(
      /staged-eu\.yaml: name: its endpoint id ferry-staged-eu is also that of staged\.yaml \(environment eu\)/,
    );
    // In another region the ids name different endpoints.
    const elsewhere = parseWorkflow(
      `${common}environments:\n  - { name: eu, region: europe-west4, endpoint: { displayName: e } }\n`,
      'staged.yaml',
    );
    expect(() => new WorkflowSet([elsewhere, plain])).not.toThrow();
  });
});
