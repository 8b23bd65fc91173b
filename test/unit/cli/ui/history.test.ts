import type { RunRecord } from '../../../../functions/core/run/run-record';
import { endpointHistory } from '../../../../cli/ui/server/history';
import { sampleRun } from '../../../helpers/sample-run';

const decision = (step: number, trafficPercent: number) =>
  ({ step, trafficPercent, passed: true }) as NonNullable<RunRecord['decisions']>[number];
const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** v1: first model, promoted; v2: canary 10 → 50 → promoted; v3: canary 10, rejected; v4: rollback to v1. */
const v1 = sampleRun(
  {
    runId: 'r1',
    version: '1',
    state: 'promoted',
    step: -1,
    deployment: { deployedModelId: '101', previousSplit: {}, split: { '101': 100 } },
    timeline: [
      { state: 'checked', at: at(0) },
      { state: 'deploying', at: at(1), step: -1 },
      { state: 'deployed', at: at(2), step: -1 },
      { state: 'promoted', at: at(3) },
    ],
  },
  at(0),
);
const v2 = sampleRun(
  {
    runId: 'r2',
    version: '2',
    state: 'promoted',
    step: 0,
    decisions: [decision(-1, 10), decision(0, 50)],
    deployment: { deployedModelId: '102', previousSplit: { '101': 100 }, split: { '101': 50, '102': 50 } },
    timeline: [
      { state: 'deploying', at: at(10), step: -1 },
      { state: 'deployed', at: at(11), step: -1 },
      { state: 'deployed', at: at(12), step: 0 },
      { state: 'promoting', at: at(13) },
      { state: 'promoted', at: at(14) },
    ],
  },
  at(10),
);
const v3 = sampleRun(
  {
    runId: 'r3',
    version: '3',
    state: 'rejected',
    step: -1,
    deployment: { deployedModelId: '103', previousSplit: { '102': 100 }, split: { '102': 90, '103': 10 } },
    timeline: [
      { state: 'deploying', at: at(20), step: -1 },
      { state: 'rolling-back', at: at(21) },
      { state: 'rejected', at: at(22) },
    ],
  },
  at(20),
);
const back = sampleRun(
  {
    runId: 'r4',
    kind: 'rollback',
    version: '1',
    state: 'rolled-back',
    deployment: { deployedModelId: '101', previousSplit: { '102': 100 }, split: { '101': 100 } },
    timeline: [
      { state: 'registered', at: at(30) },
      { state: 'deploying', at: at(31), step: -1 },
      { state: 'rolled-back', at: at(32) },
    ],
  },
  at(30),
);

describe('endpointHistory', () => {
  it("rebuilds each change of split from the runs' timelines, by version label", () => {
    expect(endpointHistory([back, v3, v1, v2])).toEqual([
      { at: at(1), split: { v1: 100 } },
      { at: at(10), split: { v1: 90, v2: 10 } },
      { at: at(12), split: { v1: 50, v2: 50 } },
      { at: at(14), split: { v2: 100 } },
      { at: at(20), split: { v2: 90, v3: 10 } },
      { at: at(22), split: { v2: 100 } },
      { at: at(32), split: { v1: 100 } },
    ]);
  });

  it('ends with the live split, named by version, or by deployed-model id when no run names it', () => {
    const live = {
      at: new Date(at(40)),
      endpoint: {
        name: 'e',
        trafficSplit: { '101': 80, '777': 20 },
        deployedModels: [],
      },
    };
    expect(endpointHistory([v1], live)).toEqual([
      { at: at(1), split: { v1: 100 } },
      { at: at(40), split: { v1: 80, '777': 20 } },
    ]);
    expect(endpointHistory([v1], { ...live, endpoint: { ...live.endpoint, trafficSplit: { '101': 100 } } })).toEqual([
      { at: at(1), split: { v1: 100 } },
    ]);
  });

  it('adds nothing for a failed run or a step whose percent the record does not say', () => {
    const failed = sampleRun({
      runId: 'f',
      state: 'failed',
      step: 1,
      deployment: { deployedModelId: '105', previousSplit: { '101': 100 } },
      timeline: [
        { state: 'deployed', at: at(50), step: 0 },
        { state: 'failed', at: at(51) },
      ],
    });
    expect(endpointHistory([failed])).toEqual([]);
  });
});
