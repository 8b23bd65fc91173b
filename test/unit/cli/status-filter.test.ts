import { filterRuns, parseSince, parseState, RUN_STATES } from '../../../cli/status-filter';
import type { RunRecord } from '../../../functions/core/run/run-record';

const NOW = new Date('2026-11-30T12:00:00Z');

describe('parseSince', () => {
  it.each([
    ['30m', '2026-11-30T11:30:00.000Z'],
    ['2h', '2026-11-30T10:00:00.000Z'],
    ['1d', '2026-11-29T12:00:00.000Z'],
    ['45s', '2026-11-30T11:59:15.000Z'],
    ['2026-11-30T07:00:00Z', '2026-11-30T07:00:00.000Z'],
    ['2026-11-29', '2026-11-29T00:00:00.000Z'],
  ])('%s', (text, at) => expect(parseSince(text, NOW).toISOString()).toBe(at));

  it.each(['', '30', 'm', '1w', '-2h', 'yesterday', '1', 'May 5', '2026-13-45T99:00:00Z'])('refuses "%s"', (text) =>
    expect(() => parseSince(text, NOW)).toThrow(/^--since ".*": not a duration or an ISO time; use e\.g\. --since 30m/),
  );
});

describe('parseState', () => {
  it('takes every run state', () => RUN_STATES.forEach((state) => expect(parseState(state)).toBe(state)));
  it('refuses an unknown one, listing the valid ones', () =>
    expect(() => parseState('done')).toThrow('--state "done": not a run state; use one of checked, registered,'));
});

describe('filterRuns', () => {
  const run = (runId: string, workflow: string, state: RunRecord['state'], createdAt: string) =>
    ({ runId, workflow, state, createdAt }) as RunRecord;
  const runs = [
    run('a-1', 'a', 'promoted', '2026-11-30T08:00:00Z'),
    run('a-2', 'a', 'failed', '2026-11-30T11:00:00Z'),
    run('b-1', 'b', 'failed', '2026-11-30T11:50:00Z'),
  ];
  const ids = (filter: Parameters<typeof filterRuns>[1]) => filterRuns(runs, filter).map((r) => r.runId);

  it('keeps every run with no filter', () => expect(ids({})).toEqual(['a-1', 'a-2', 'b-1']));
  it('by workflow', () => expect(ids({ workflow: 'a' })).toEqual(['a-1', 'a-2']));
  it('by state', () => expect(ids({ state: 'failed' })).toEqual(['a-2', 'b-1']));
  it('by start time, inclusive', () =>
    expect(ids({ since: new Date('2026-11-30T11:00:00Z') })).toEqual(['a-2', 'b-1']));
  it('all together', () =>
    expect(ids({ workflow: 'a', state: 'failed', since: parseSince('2h', NOW) })).toEqual(['a-2']));
});
