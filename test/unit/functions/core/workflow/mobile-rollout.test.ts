import { parseWorkflow, WorkflowError } from '../../../../../functions/core/workflow/parse-workflow';

/** A TFLite workflow whose `mobile:` block is given as YAML flow text. */
function workflow(mobile: string): string {
  return `
name: phones
match: mobile/phones/{version}/model.tflite
artifact: tflite
mobile: ${mobile}
validation: { goldenSet: golden/phones.jsonl }
`;
}

const withRollout = (rollout: string, rest = '') => workflow(`{ modelName: phones, ${rest}rollout: ${rollout} }`);

describe('mobile.rollout', () => {
  it('parses parameter, steps and every into milliseconds', () => {
    const parsed = parseWorkflow(
      withRollout('{ parameter: flowers_model, steps: [5, 25, 100], every: 24h }'),
      'w.yaml',
    );
    expect(parsed.mobile?.rollout).toEqual({ parameter: 'flowers_model', steps: [5, 25, 100], everyMs: 86_400_000 });
  });

  it('accepts a single step of 100 and a Storage-only rollout', () => {
    const parsed = parseWorkflow(
      withRollout('{ parameter: _m, steps: [100], every: 2s }', 'channels: { firebaseMl: false }, '),
      'w.yaml',
    );
    expect(parsed.mobile?.rollout).toEqual({ parameter: '_m', steps: [100], everyMs: 2000 });
  });

  it('is absent when the workflow has none', () => {
    expect(parseWorkflow(workflow('{ modelName: phones }'), 'w.yaml').mobile?.rollout).toBeUndefined();
  });

  it.each<[string, string, RegExp]>([
    [
      'steps not ascending',
      withRollout('{ parameter: p, steps: [25, 5, 100], every: 1h }'),
      /w\.yaml: mobile\.rollout\.steps\[1\]: is 5, not above the step before \(25\)/,
    ],
    [
      'a repeated step',
      withRollout('{ parameter: p, steps: [5, 5, 100], every: 1h }'),
      /mobile\.rollout\.steps\[1\]: is 5, not above/,
    ],
    [
      'steps not ending at 100',
      withRollout('{ parameter: p, steps: [5, 25], every: 1h }'),
      /w\.yaml: mobile\.rollout\.steps: ends at 25; the last step must be 100/,
    ],
    [
      'a step above 100',
      withRollout('{ parameter: p, steps: [5, 250], every: 1h }'),
      /mobile\.rollout\.steps\.1: must be <= 100/,
    ],
    [
      'a step of 0',
      withRollout('{ parameter: p, steps: [0, 100], every: 1h }'),
      /mobile\.rollout\.steps\.0: must be >= 1/,
    ],
    [
      'a fractional step',
      withRollout('{ parameter: p, steps: [2.5, 100], every: 1h }'),
      /mobile\.rollout\.steps\.0: must be integer/,
    ],
    [
      'no steps',
      withRollout('{ parameter: p, steps: [], every: 1h }'),
      /mobile\.rollout\.steps: must NOT have fewer than 1 items/,
    ],
    [
      'a parameter key Remote Config refuses',
      withRollout('{ parameter: flowers-model, steps: [100], every: 1h }'),
      /w\.yaml: mobile\.rollout\.parameter: "flowers-model" is not a Remote Config parameter key/,
    ],
    [
      'a parameter starting with a digit',
      withRollout('{ parameter: 1model, steps: [100], every: 1h }'),
      /mobile\.rollout\.parameter: "1model" is not a Remote Config parameter key/,
    ],
    [
      'every that is not a duration',
      withRollout('{ parameter: p, steps: [100], every: daily }'),
      /w\.yaml: mobile\.rollout\.every: "daily" is not a duration above zero/,
    ],
    [
      'every of zero',
      withRollout('{ parameter: p, steps: [100], every: 0h }'),
      /mobile\.rollout\.every: "0h" is not a duration/,
    ],
    ['a missing every', withRollout('{ parameter: p, steps: [100] }'), /mobile\.rollout\.every: is required/],
    ['a missing parameter', withRollout('{ steps: [100], every: 1h }'), /mobile\.rollout\.parameter: is required/],
    [
      'a misspelt field',
      withRollout('{ parameter: p, steps: [100], every: 1h, evry: 2h }'),
      /mobile\.rollout\.evry: is not a known field/,
    ],
    [
      'a rollout without any channel',
      withRollout(
        '{ parameter: p, steps: [100], every: 1h }',
        'channels: { firebaseMl: false, firebaseStorage: false }, ',
      ),
      /w\.yaml: mobile\.rollout: needs a channel to carry the candidate/,
    ],
    [
      'a model name with no room for the candidate suffix',
      workflow(`{ modelName: ${'m'.repeat(30)}, rollout: { parameter: p, steps: [100], every: 1h } }`),
      /mobile\.modelName: a staged rollout publishes version "1" as the Firebase ML model "m{30}_v1".*at most 29 characters/,
    ],
  ])('refuses %s, naming the field', (_name, text, message) => {
    expect(() => parseWorkflow(text, 'w.yaml')).toThrow(WorkflowError);
    expect(() => parseWorkflow(text, 'w.yaml')).toThrow(message);
  });

  it('lets a long model name through when Firebase ML is off (no candidate model is created)', () => {
    const text = workflow(
      `{ modelName: ${'m'.repeat(30)}, channels: { firebaseMl: false }, rollout: { parameter: p, steps: [100], every: 1h } }`,
    );
    expect(parseWorkflow(text, 'w.yaml').mobile?.rollout?.steps).toEqual([100]);
  });
});
