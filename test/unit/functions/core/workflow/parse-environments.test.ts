import { parseWorkflow, WorkflowError } from '../../../../../functions/core/workflow/parse-workflow';
import { workflowWarnings } from '../../../../../functions/core/workflow/workflow-warnings';

/** Two environments after the workflow's common fields; each case replaces the environments block. */
const head = `
name: staged
match: models/staged/{version}/
artifact: savedmodel
model: { displayName: staged }
rollout: { canaryPercent: 20, steps: [50] }
approval: { before: promote, timeout: 2h }
validation: { goldenSet: golden/staged.jsonl, gates: { minMatchRate: 0.9 } }
`;
const staged = `${head}environments:
  - name: staging
    endpoint: { displayName: staged-staging }
    rollout: { canaryPercent: 40 }
    gates: { maxErrorRate: 0.1 }
  - name: production
    endpoint: { displayName: staged, minReplicas: 2 }
    region: europe-west4
    approval: { before: each-step }
`;

describe('parseWorkflow: environments', () => {
  it('applies the top-level rollout, gates and approval as each environment’s defaults', () => {
    const workflow = parseWorkflow(staged, 'staged.yaml');
    expect(workflow.endpoint).toBeUndefined();
    expect(workflow.environments).toEqual([
      {
        name: 'staging',
        endpoint: { displayName: 'staged-staging', machineType: 'n1-standard-2', minReplicas: 1, maxReplicas: 1 },
        // Field by field: the canary is the environment's, the steps the workflow's.
        rollout: { canaryPercent: 40, steps: [50, 100], keepPrevious: 1 },
        gates: { minMatchRate: 0.9, maxErrorRate: 0.1, latencySlackMs: 20 },
        approval: { before: 'promote', timeoutMs: 2 * 3600_000, onTimeout: 'reject' },
      },
      {
        name: 'production',
        endpoint: { displayName: 'staged', machineType: 'n1-standard-2', minReplicas: 2, maxReplicas: 2 },
        region: 'europe-west4',
        rollout: { canaryPercent: 20, steps: [50, 100], keepPrevious: 1 },
        gates: { minMatchRate: 0.9, maxErrorRate: 0, latencySlackMs: 20 },
        // An environment's approval replaces the top-level one whole.
        approval: { before: 'each-step', timeoutMs: 24 * 3600_000, onTimeout: 'reject' },
      },
    ]);
  });

  it('leaves a workflow without environments as it was (no environments field)', () => {
    const single = parseWorkflow(`${head}endpoint: { displayName: staged }\n`, 'single.yaml');
    expect(single.environments).toBeUndefined();
    expect(single.endpoint?.displayName).toBe('staged');
  });

  it('accepts another project', () => {
    const workflow = parseWorkflow(staged.replace('region: europe-west4', 'project: ferry-prod-42'), 'staged.yaml');
    expect(workflow.environments?.[1]).toMatchObject({ name: 'production', project: 'ferry-prod-42' });
    expect(workflow.environments?.[1].region).toBeUndefined();
  });

  const env = (block: string) => `${head}environments:\n${block}`;
  const staging = `  - name: staging\n    endpoint: { displayName: a }\n`;
  it.each<[string, string, RegExp]>([
    [
      'a top-level endpoint as well',
      `${staged}endpoint: { displayName: staged }\n`,
      /staged\.yaml: endpoint: is set together with environments: move it into each environment \(environments\[\]\.endpoint\)/,
    ],
    [
      'a duplicated name',
      env(`${staging}  - name: staging\n    endpoint: { displayName: b }\n`),
      /staged\.yaml: environments\[1\]\.name: "staging" is already environments\[0\]'s name; names must be unique/,
    ],
    [
      'an upper-case name',
      env(`  - name: Staging\n    endpoint: { displayName: a }\n`),
      /staged\.yaml: environments\.0\.name: must match pattern/,
    ],
    [
      'a one-letter name (not a valid Model Registry alias)',
      env(`  - name: s\n    endpoint: { displayName: a }\n`),
      /environments\.0\.name: must match pattern/,
    ],
    [
      'a name ferry uses as an alias',
      env(`  - name: default\n    endpoint: { displayName: a }\n`),
      /environments\[0\]\.name: "default" is a Model Registry alias ferry sets itself/,
    ],
    [
      'a name shaped like a version alias',
      env(`  - name: v2\n    endpoint: { displayName: a }\n`),
      /environments\[0\]\.name: "v2" is a Model Registry alias ferry sets itself/,
    ],
    ['an environment without an endpoint', env(`  - name: staging\n`), /environments\.0\.endpoint: is required/],
    [
      'an unknown field in an environment',
      env(`  - name: staging\n    endpoint: { displayName: a }\n    zone: us-central1-a\n`),
      /environments\.0\.zone: is not a known field/,
    ],
    [
      'two environments on one endpoint in the same place',
      env(`${staging}  - name: production\n    endpoint: { displayName: a }\n`),
      /environments\[1\]\.endpoint\.displayName: "a" is also environments\[0\]'s endpoint in \(own project\)\/\(own region\)/,
    ],
    [
      'two environments on one endpoint in the same other region',
      env(
        `  - name: staging\n    region: europe-west4\n    endpoint: { displayName: a }\n  - name: production\n    region: europe-west4\n    endpoint: { displayName: a }\n`,
      ),
      /environments\[1\]\.endpoint\.displayName: .* in \(own project\)\/europe-west4/,
    ],
    ['a malformed region', env(`${staging}    region: Europe_West4\n`), /environments\.0\.region: must match pattern/],
    ['a malformed project', env(`${staging}    project: My_Project\n`), /environments\.0\.project: must match pattern/],
    [
      'an environment rollout whose steps do not rise above its canary',
      env(`${staging}    rollout: { canaryPercent: 60 }\n`),
      /environments\[0\]\.rollout\.steps\[0\]: is 50; steps must rise above the canary \(60\)/,
    ],
    [
      'environment gates that pass anything',
      env(`${staging}    gates: { minMatchRate: 0, maxErrorRate: 1 }\n`),
      /environments\[0\]\.gates: minMatchRate 0 with maxErrorRate 1 passes any candidate/,
    ],
    [
      'an environment endpoint with too many replicas',
      env(`  - name: staging\n    endpoint: { displayName: a, maxReplicas: 5000 }\n`),
      /environments\[0\]\.endpoint\.maxReplicas: is 5000; ferry refuses more than 1000/,
    ],
    [
      'an environment approval with a bad timeout',
      env(`${staging}    approval: { before: promote, timeout: 0h }\n`),
      /environments\[0\]\.approval\.timeout: "0h" is not a duration above zero/,
    ],
    ['an empty list', `${head}environments: []\n`, /environments: must NOT have fewer than 1 items/],
    ['neither endpoint nor environments', head, /staged\.yaml: endpoint: is required/],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parseWorkflow(text, 'staged.yaml')).toThrow(WorkflowError);
    expect(() => parseWorkflow(text, 'staged.yaml')).toThrow(message);
  });

  it('refuses environments in a TFLite workflow', () => {
    const text = `
name: phones
match: mobile/phones/{version}/model.tflite
artifact: tflite
mobile: { modelName: phones }
validation: { goldenSet: golden/phones.jsonl }
environments:
  - name: staging
    endpoint: { displayName: a }
`;
    expect(() => parseWorkflow(text, 'phones.yaml')).toThrow(
      /phones\.yaml: environments: applies to SavedModel workflows .* remove it from this TFLite workflow/,
    );
  });
});

describe('workflowWarnings: environments', () => {
  it('names the environment whose setting is weak', () => {
    const workflow = parseWorkflow(
      staged
        .replace('gates: { maxErrorRate: 0.1 }', 'gates: { maxErrorRate: 0.6 }')
        .replace('minReplicas: 2 }', 'minReplicas: 2, maxReplicas: 200 }'),
      'staged.yaml',
    );
    expect(workflowWarnings(workflow).map((w) => w.field)).toEqual([
      'environments[0].gates.maxErrorRate',
      'environments[1].endpoint.maxReplicas',
    ]);
  });

  it('still warns on the top-level fields of a workflow without environments', () => {
    const workflow = parseWorkflow(`${head}endpoint: { displayName: s, maxReplicas: 200 }\n`, 'single.yaml');
    expect(workflowWarnings(workflow).map((w) => w.field)).toEqual(['endpoint.maxReplicas']);
  });
});
