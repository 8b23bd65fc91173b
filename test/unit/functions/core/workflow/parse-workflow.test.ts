import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  MAX_WORKFLOW_BYTES,
  parseWorkflow,
  WorkflowError,
} from '../../../../../functions/core/workflow/parse-workflow';

const WORKFLOWS = join(__dirname, '..', '..', '..', '..', '..', 'workflows');
const minimal = `
name: demo
match: models/demo/{version}/
artifact: savedmodel
model: { displayName: demo }
endpoint: { displayName: demo }
validation: { goldenSet: golden/demo.jsonl }
`;

const mobileMinimal = `
name: phones
match: mobile/phones/{version}/model.tflite
artifact: tflite
mobile: { modelName: phones }
validation: { goldenSet: golden/phones.jsonl }
`;
/** Firebase ML names and tags the service would refuse (functions/core/mobile/firebase-ml-names.ts). */
function mobileCases(): Array<[string, string, RegExp]> {
  const withMobile = (mobile: string) => mobileMinimal.replace('{ modelName: phones }', mobile);
  return [
    [
      'a model name with a dash',
      withMobile('{ modelName: phones-eu }'),
      /demo\.yaml: mobile\.modelName: "phones-eu" is not a Firebase ML model name/,
    ],
    [
      'a model name starting with a digit',
      withMobile('{ modelName: 9phones }'),
      /mobile\.modelName: .*starting with a letter/,
    ],
    [
      'a model name of 33 characters',
      withMobile(`{ modelName: ${'p'.repeat(33)} }`),
      /mobile\.modelName: .*at most 32/,
    ],
    [
      'a tag with a space',
      withMobile('{ modelName: phones, tags: [ok, "not ok"] }'),
      /demo\.yaml: mobile\.tags\[1\]: "not ok" is not a Firebase ML tag/,
    ],
    [
      'a tag of 33 characters',
      withMobile(`{ modelName: phones, tags: [${'t'.repeat(33)}] }`),
      /mobile\.tags\[0\]: .*1 to 32/,
    ],
    [
      'a duplicated tag',
      withMobile('{ modelName: phones, tags: [a, a] }'),
      /demo\.yaml: mobile\.tags: must NOT have duplicate items/,
    ],
    [
      'a tag shaped like a version tag',
      withMobile('{ modelName: phones, tags: [vision, v2] }'),
      /demo\.yaml: mobile\.tags\[1\]: "v2" looks like a version tag/,
    ],
  ];
}

/** Settings that defeat a gate altogether (the weaker ones are warnings: workflow-warnings.test.ts). */
function gateCases(): Array<[string, string, RegExp]> {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`),
  ].join('\n');
  return [
    [
      'an empty golden set',
      minimal.replace('goldenSet: golden/demo.jsonl', 'goldenSet: ""'),
      /demo\.yaml: validation\.goldenSet: is empty: name the golden set/,
    ],
    [
      'a blank golden set',
      minimal.replace('goldenSet: golden/demo.jsonl', 'goldenSet: "  "'),
      /demo\.yaml: validation\.goldenSet: is empty/,
    ],
    [
      'a pattern watching the whole bucket',
      minimal.replace('models/demo/{version}/', '"{version}/"'),
      /demo\.yaml: match: "\{version\}\/" watches the whole bucket/,
    ],
    [
      'a TFLite pattern watching the whole bucket',
      mobileMinimal.replace('mobile/phones/{version}/model.tflite', '"{version}/model.tflite"'),
      /demo\.yaml: match: .* watches the whole bucket/,
    ],
    [
      'gates that pass any candidate',
      `${minimal.replace('validation: { goldenSet: golden/demo.jsonl }', 'validation: { goldenSet: golden/demo.jsonl, gates: { minMatchRate: 0, maxErrorRate: 1 } }')}`,
      /demo\.yaml: validation\.gates: minMatchRate 0 with maxErrorRate 1 passes any candidate/,
    ],
    [
      'a million replicas',
      minimal.replace('endpoint: { displayName: demo }', 'endpoint: { displayName: demo, maxReplicas: 1000000 }'),
      /demo\.yaml: endpoint\.maxReplicas: is 1000000; ferry refuses more than 1000/,
    ],
    ['a YAML bomb (billion laughs)', bomb, /^demo\.yaml: not usable YAML: Excessive alias count/],
  ];
}

describe('the workflow schema', () => {
  const schemaFile = join(
    __dirname,
    '..',
    '..',
    '..',
    '..',
    '..',
    'functions',
    'core',
    'workflow',
    'workflow.schema.json',
  );
  const shipped = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));

  it('is the only copy: none is left in workflows/', () => {
    expect(readdirSync(WORKFLOWS).filter((name) => name.endsWith('.json'))).toEqual([]);
    expect(shipped.length).toBeGreaterThanOrEqual(3);
  });

  it.each(shipped)('workflows/%s points YAML editors at it', (name) => {
    const first = readFileSync(join(WORKFLOWS, name), 'utf8').split('\n')[0];
    const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
    expect(target).toBeDefined();
    expect(realpathSync(resolve(WORKFLOWS, target as string))).toBe(realpathSync(schemaFile));
  });
});

describe('parseWorkflow', () => {
  it.each(['flowers.yaml', 'flowers-mobile.yaml', 'flowers-staged.yaml'])('loads the shipped workflows/%s', (name) => {
    const workflow = parseWorkflow(readFileSync(join(WORKFLOWS, name), 'utf8'), name);
    expect(workflow.file).toBe(name);
    expect(workflow.validation.goldenSet).toMatch(/^golden\//);
  });

  it('applies defaults', () => {
    const workflow = parseWorkflow(minimal, 'demo.yaml');
    expect(workflow.rollout).toEqual({ canaryPercent: 10, steps: [100], keepPrevious: 1 });
    expect(workflow.endpoint).toEqual({
      displayName: 'demo',
      machineType: 'n1-standard-2',
      minReplicas: 1,
      maxReplicas: 1,
    });
    expect(workflow.model?.servingImage).toBe('auto');
    expect(workflow.validation.gates).toMatchObject({ minMatchRate: 1, maxErrorRate: 0 });
  });

  it('ends the rollout at 100 and keeps given steps', () => {
    const workflow = parseWorkflow(`${minimal}rollout: { canaryPercent: 5, steps: [25, 50] }\n`, 'demo.yaml');
    expect(workflow.rollout.steps).toEqual([25, 50, 100]);
  });

  it.each([
    ['a misspelt field', minimal.replace('endpoint:', 'endpoitn:'), /demo\.yaml: endpoitn: is not a known field/],
    [
      'a nested misspelt field',
      minimal.replace('{ displayName: demo }\nendpoint', '{ displayName: demo, labells: {} }\nendpoint'),
      /demo\.yaml: model\.labells: is not a known field/,
    ],
    [
      'a missing field',
      minimal.replace('validation: { goldenSet: golden/demo.jsonl }\n', ''),
      /demo\.yaml: validation: is required/,
    ],
    [
      'a wrong type',
      `${minimal}rollout: { canaryPercent: ten }\n`,
      /demo\.yaml: rollout\.canaryPercent: must be integer/,
    ],
    [
      'an out-of-range percent',
      `${minimal}rollout: { canaryPercent: 150 }\n`,
      /rollout\.canaryPercent: must be <= 100/,
    ],
    [
      'falling steps',
      `${minimal}rollout: { canaryPercent: 20, steps: [50, 30] }\n`,
      /rollout\.steps\[1\]: is 30; steps must rise/,
    ],
    ['a step below the canary', `${minimal}rollout: { canaryPercent: 20, steps: [10] }\n`, /rollout\.steps\[0\]/],
    [
      'a bad artifact kind',
      minimal.replace('artifact: savedmodel', 'artifact: onnx'),
      /artifact: must be one of savedmodel, tflite/,
    ],
    [
      'a SavedModel pattern naming a file',
      minimal.replace('models/demo/{version}/', 'models/demo/{version}/saved_model.pb'),
      /match: a SavedModel is a folder/,
    ],
    [
      'a pattern without {version}',
      minimal.replace('models/demo/{version}/', 'models/demo/'),
      /match: needs exactly one \{version\}/,
    ],
    [
      'a missing endpoint for a SavedModel',
      minimal.replace('endpoint: { displayName: demo }\n', ''),
      /endpoint: is required/,
    ],
    [
      'an uppercase label',
      minimal.replace('{ displayName: demo }\nendpoint', '{ displayName: demo, labels: { team: Vision } }\nendpoint'),
      /model\.labels\.team/,
    ],
    [
      'replicas upside down',
      minimal.replace(
        'endpoint: { displayName: demo }',
        'endpoint: { displayName: demo, minReplicas: 3, maxReplicas: 2 }',
      ),
      /endpoint\.maxReplicas: is 2, below minReplicas 3/,
    ],
    ...mobileCases(),
    ...gateCases(),
    ['broken YAML', 'name: [demo\n', /demo\.yaml: line \d+: not valid YAML: Flow sequence[^:]*\]$/],
    ['a duplicated key', `${minimal}name: other\n`, /not valid YAML: Map keys must be unique/],
    ['an empty file', '', /demo\.yaml: is empty/],
    ['a list instead of a map', '- a\n- b\n', /demo\.yaml: \(top level\): must be object/],
    [
      'an oversized file',
      `# ${'x'.repeat(MAX_WORKFLOW_BYTES)}\n${minimal}`,
      /demo\.yaml: is \d+ bytes; a workflow is at most/,
    ],
  ])('refuses %s with the file and field named', (_name, text, message) => {
    expect(() => parseWorkflow(text, 'demo.yaml')).toThrow(WorkflowError);
    expect(() => parseWorkflow(text, 'demo.yaml')).toThrow(message);
  });
});
