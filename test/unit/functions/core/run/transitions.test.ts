import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { advance, endRun, stageAction, TransitionError } from '../../../../../functions/core/run/transitions';
import { sampleRun } from '../../../../helpers/sample-run';

const now = new Date('2026-11-23T10:00:00Z');
const run: RunRecord = sampleRun({}, now.toISOString());

describe('advance', () => {
  it('moves along the allowed path and records the timeline', () => {
    const registered = advance(run, 'registered', now, 'flowers@2');
    expect(registered.state).toBe('registered');
    expect(registered.timeline.at(-1)).toEqual({ state: 'registered', at: now.toISOString(), detail: 'flowers@2' });
    expect(run.timeline).toHaveLength(1);
  });

  it('sets the outcome and reason on terminal states', () => {
    const back = advance(
      advance(advance(advance(run, 'registered', now), 'deploying', now), 'deployed', now),
      'rolling-back',
      now,
    );
    const rejected = advance(back, 'rejected', now, 'match rate 0 %');
    expect(rejected).toMatchObject({ outcome: 'rejected', reason: 'match rate 0 %' });
  });

  it.each([
    ['checked', 'promoted'],
    ['registered', 'deployed'],
    ['promoted', 'failed'],
  ] as const)('refuses %s → %s', (from, to) => {
    expect(() => advance({ ...run, state: from }, to, now)).toThrow(TransitionError);
  });
});

describe('endRun', () => {
  it('fails a running run and leaves a finished one alone', () => {
    expect(endRun(run, 'failed', 'bad config', now)).toMatchObject({
      state: 'failed',
      outcome: 'failed',
      reason: 'bad config',
    });
    const promoted = { ...run, state: 'promoted' as const, outcome: 'promoted' as const };
    expect(endRun(promoted, 'failed', 'late duplicate', now)).toBe(promoted);
  });

  it('rejects only where rejection is a way out, else fails', () => {
    expect(endRun(run, 'rejected', 'corrupt artifact', now).state).toBe('rejected');
    expect(endRun({ ...run, state: 'registered' }, 'rejected', 'x', now).state).toBe('failed');
  });
});

describe('stageAction', () => {
  it.each([
    [{ state: 'checked' }, 'run'],
    [{ state: 'registered' }, 'republish'],
    [{ state: 'deploying' }, 'ignore'],
    [{ state: 'failed' }, 'ignore'],
  ] as const)('register stage with the run %j → %s', (stored, action) => {
    expect(stageAction({ ...run, ...stored }, { state: 'checked' }, [{ state: 'registered' }])).toBe(action);
  });

  it('tells traffic steps apart', () => {
    const deployed = { ...run, state: 'deployed' as const, step: 0 };
    expect(
      stageAction(deployed, { state: 'deployed', step: 0 }, [
        { state: 'deployed', step: 1 },
        { state: 'rolling-back' },
      ]),
    ).toBe('run');
    expect(
      stageAction({ ...deployed, step: 1 }, { state: 'deployed', step: 0 }, [
        { state: 'deployed', step: 1 },
        { state: 'rolling-back' },
      ]),
    ).toBe('republish');
  });
});

describe('a promotion whose candidate holds default', () => {
  const promoting: RunRecord = {
    ...run,
    state: 'promoting',
    model: { name: 'm', versionId: '4', versionName: 'm@4', servingImage: 'img' },
    promotion: { defaultMoved: true, retiring: ['111'], leftovers: { '222': 'undeploy refused' } },
  };

  it('can only end promoted: a failure becomes a warning naming the leftovers', () => {
    const ended = endRun(promoting, 'failed', 'still failing after 360 min of retries', now);
    expect(ended).toMatchObject({ state: 'promoted', outcome: 'promoted' });
    expect(ended.reason).toMatch(
      /default → m@4.*warning: still failing after 360 min of retries; 222, 111 may still be deployed/,
    );
  });

  it('cannot roll back', () => {
    expect(() => advance(promoting, 'rolling-back', now)).toThrow(TransitionError);
  });

  it('ends failed while default has not moved yet (nothing to hide: the candidate is not default)', () => {
    const before = { ...promoting, promotion: { defaultMoved: false } };
    expect(endRun(before, 'failed', 'merge refused', now)).toMatchObject({ state: 'failed', reason: 'merge refused' });
  });
});
