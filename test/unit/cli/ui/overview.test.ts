import type { RunRecord } from '../../../../functions/core/run/run-record';
import type { EndpointInfo } from '../../../../functions/pipeline/ports';
import {
  buildOverview,
  defaultCandidates,
  labelSplit,
  versionHolding,
  type OverviewInput,
} from '../../../../cli/ui/server/overview';
import { sampleRun } from '../../../helpers/sample-run';

const MODEL = 'projects/p/locations/l/models/42';
const run = (version: string, overrides: Partial<RunRecord>, at: string): RunRecord =>
  sampleRun(
    {
      runId: `flowers-${version}-h`,
      version,
      root: `models/flowers/${version}/`,
      model: { name: MODEL, versionId: version, versionName: `${MODEL}@${version}`, servingImage: 'img' },
      deployment: { deployedModelId: `10${version}`, previousSplit: {} },
      ...overrides,
    },
    at,
  );

const v1 = run('1', { state: 'promoted', outcome: 'promoted' }, '2026-11-23T10:00:00.000Z');
const v2 = run('2', { state: 'rejected', outcome: 'rejected' }, '2026-11-23T11:00:00.000Z');
const v3 = run(
  '3',
  {
    state: 'awaiting-approval',
    approval: {
      action: 'promote',
      summary: 'passed',
      requestedAt: '2026-11-23T12:05:00.000Z',
      deadline: '2026-11-24T12:05:00.000Z',
      onTimeout: 'reject',
    },
  },
  '2026-11-23T12:00:00.000Z',
);
const endpoint: EndpointInfo = {
  name: 'projects/p/locations/l/endpoints/ferry-flowers',
  trafficSplit: { '101': 90, '103': 10, '999': 0 },
  deployedModels: [
    { id: '101', model: MODEL, modelVersionId: '1', displayName: 'ferry-flowers-1-h' },
    { id: '103', model: MODEL, modelVersionId: '3', displayName: 'ferry-flowers-3-h' },
  ],
};

const input = (overrides: Partial<OverviewInput> = {}): OverviewInput => ({
  source: 'local',
  now: new Date('2026-11-23T13:00:00.000Z'),
  workflows: [
    { name: 'flowers', artifact: 'savedmodel', endpoint: { displayName: 'Flowers' } },
    { name: 'flowers-mobile', artifact: 'tflite' },
  ],
  runs: [v2, v1, v3],
  endpoints: { flowers: endpoint },
  defaultHolders: { flowers: `${MODEL}@1` },
  deadLetters: 2,
  waitingForFiles: [],
  ...overrides,
});

describe('the overview', () => {
  it('has one row per workflow: split, default version, current and last run, pending approvals', () => {
    const overview = buildOverview(input());
    expect(overview.generatedAt).toBe('2026-11-23T13:00:00.000Z');
    expect(overview.deadLetters).toBe(2);
    expect(overview.runs.map((r) => r.version)).toEqual(['3', '2', '1']);
    const [flowers, mobile] = overview.workflows;
    expect(flowers).toMatchObject({
      name: 'flowers',
      artifact: 'savedmodel',
      defaultVersion: '1',
      current: { runId: 'flowers-3-h', state: 'awaiting-approval' },
      last: { runId: 'flowers-2-h', outcome: 'rejected' },
      endpoint: {
        name: endpoint.name,
        displayName: 'Flowers',
        split: [
          { deployedModelId: '101', percent: 90, version: '1', runId: 'flowers-1-h' },
          { deployedModelId: '103', percent: 10, version: '3', runId: 'flowers-3-h' },
        ],
      },
    });
    expect(flowers.pendingApprovals).toEqual([
      expect.objectContaining({
        runId: 'flowers-3-h',
        awaitingApproval: { action: 'promote', deadline: '2026-11-24T12:05:00.000Z', onTimeout: 'reject' },
      }),
    ]);
    expect(mobile).toEqual({ name: 'flowers-mobile', artifact: 'tflite', endpoint: null, pendingApprovals: [] });
  });

  it('orders rows by name, keeps one for a workflow only its runs still name, and no endpoint when it has none', () => {
    const gone = run('1', { workflow: 'retired', runId: 'retired-1-h', state: 'promoted', outcome: 'promoted' }, 'x');
    const overview = buildOverview(
      input({ runs: [gone], endpoints: {}, defaultHolders: {}, workflows: [...input().workflows].reverse() }),
    );
    expect(overview.workflows.map((w) => [w.name, w.endpoint])).toEqual([
      ['flowers', null],
      ['flowers-mobile', null],
      ['retired', null],
    ]);
    expect(overview.workflows[0]).not.toHaveProperty('defaultVersion');
    expect(overview.workflows[0]).not.toHaveProperty('current');
  });
});

describe('labelSplit', () => {
  it('names a share by the run that deployed it, else by the deployed model display name, else leaves it unnamed', () => {
    const bare = { ...v3, deployment: undefined };
    const unknown: EndpointInfo = {
      ...endpoint,
      trafficSplit: { '103': 60, '555': 40 },
      deployedModels: [...endpoint.deployedModels, { id: '555', model: MODEL, modelVersionId: '9', displayName: 'x' }],
    };
    expect(labelSplit(unknown, [bare])).toEqual([
      { deployedModelId: '103', percent: 60, version: '3', runId: 'flowers-3-h' },
      { deployedModelId: '555', percent: 40 },
    ]);
  });

  it('prefers the newest run when two recorded the same deployed model', () => {
    const retried = { ...v3, runId: 'flowers-3-h-a2', attempt: 2, createdAt: '2026-11-23T12:30:00.000Z' };
    expect(labelSplit(endpoint, [retried, v3])[1]).toMatchObject({ runId: 'flowers-3-h-a2' });
  });
});

describe('the default version', () => {
  it('asks about the versions of runs that ended promoted or rolled back, latest first, once each', () => {
    const back = run(
      '1',
      { runId: 'rb', kind: 'rollback', state: 'rolled-back', outcome: 'rolled-back' },
      '2026-11-23T12:00:00.000Z',
    );
    const v4 = run('4', { state: 'promoted', outcome: 'promoted', updatedAt: '2026-11-23T11:30:00.000Z' }, 'x');
    expect(defaultCandidates([v1, v2, v3, v4, back])).toEqual([`${MODEL}@1`, `${MODEL}@4`]);
  });

  it('is the version of the newest run on the holder, or none', () => {
    expect(versionHolding([v1, v2], `${MODEL}@2`)).toBe('2');
    expect(versionHolding([v1, v2], undefined)).toBeUndefined();
    expect(versionHolding([v1], `${MODEL}@8`)).toBeUndefined();
  });
});
