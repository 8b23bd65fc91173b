import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { formatWarning, workflowWarnings } from '../../../../../functions/core/workflow/workflow-warnings';

const workflow = (extra: { rollout?: string; gates?: string; endpoint?: string }) =>
  parseWorkflow(
    [
      'name: demo',
      'match: models/demo/{version}/',
      'artifact: savedmodel',
      'model: { displayName: demo }',
      `endpoint: { displayName: demo${extra.endpoint ? `, ${extra.endpoint}` : ''} }`,
      `validation: { goldenSet: golden/demo.jsonl${extra.gates ? `, gates: { ${extra.gates} }` : ''} }`,
      extra.rollout ? `rollout: { ${extra.rollout} }` : '',
    ].join('\n'),
    'workflows/demo.yaml',
  );

describe('workflowWarnings', () => {
  it.each([
    [
      'a 100 % canary',
      { rollout: 'canaryPercent: 100' },
      /^workflows\/demo\.yaml: rollout\.canaryPercent: is 100: .*no canary/,
    ],
    [
      'no required matches',
      { gates: 'minMatchRate: 0' },
      /^workflows\/demo\.yaml: validation\.gates\.minMatchRate: is 0: any answers pass/,
    ],
    [
      'no required matches, but a latency gate, and every error allowed',
      { gates: 'minMatchRate: 0, maxErrorRate: 1, maxP95LatencyMs: 200' },
      /validation\.gates\.minMatchRate: is 0/,
    ],
    [
      'most errors allowed',
      { gates: 'maxErrorRate: 0.8' },
      /^workflows\/demo\.yaml: validation\.gates\.maxErrorRate: is 0\.8: .*lower it/,
    ],
    [
      'many replicas',
      { endpoint: 'maxReplicas: 500' },
      /^workflows\/demo\.yaml: endpoint\.maxReplicas: is 500: .*quota/,
    ],
  ])('warns on %s, naming the file and field', (_label, extra, message) => {
    const warnings = workflowWarnings(workflow(extra)).map(formatWarning);
    expect(warnings).toContainEqual(expect.stringMatching(message));
  });

  it.each([
    ['the defaults', {}],
    ['a 50 % canary', { rollout: 'canaryPercent: 50' }],
    ['half the errors allowed', { gates: 'maxErrorRate: 0.5' }],
    ['100 replicas', { endpoint: 'maxReplicas: 100' }],
  ])('says nothing about %s', (_label, extra) => {
    expect(workflowWarnings(workflow(extra))).toEqual([]);
  });
});
