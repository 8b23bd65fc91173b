import { STALL_BUDGET_MS, stallVerdict } from '../../../../../functions/core/run/stall-budgets';
import { sampleRun } from '../../../../helpers/sample-run';

const at = (iso: string) => new Date(iso);
const MIN = 60_000;

describe('stallVerdict', () => {
  const run = sampleRun({ state: 'deployed', updatedAt: '2026-11-23T10:00:00.000Z' });
  const later = (ms: number) => new Date(Date.parse(run.updatedAt) + ms);

  it('leaves a run within its state budget alone, nudges it past it, and ends it a budget after the nudge', () => {
    const budget = STALL_BUDGET_MS.deployed;
    expect(stallVerdict(run, later(budget))).toBe('fresh');
    expect(stallVerdict(run, later(budget + 1))).toBe('nudge');
    const nudged = { ...run, nudgedAt: later(budget + 1).toISOString() };
    expect(stallVerdict(nudged, later(2 * budget))).toBe('nudged');
    expect(stallVerdict(nudged, later(2 * budget + 2))).toBe('end');
  });

  it('forgets a nudge once the run has changed state since', () => {
    const moved = { ...run, nudgedAt: '2026-11-23T09:00:00.000Z' };
    expect(stallVerdict(moved, at('2026-11-23T10:01:00.000Z'))).toBe('fresh');
  });

  it('gives deployments and undeploys the operation timeout, and never touches ended runs', () => {
    expect(STALL_BUDGET_MS.deploying).toBeGreaterThan(120 * MIN);
    expect(STALL_BUDGET_MS['rolling-back']).toBeGreaterThan(120 * MIN);
    expect(STALL_BUDGET_MS.checked).toBeLessThan(60 * MIN);
    expect(stallVerdict({ ...run, state: 'failed' }, later(365 * 24 * 60 * MIN))).toBe('fresh');
  });
});
