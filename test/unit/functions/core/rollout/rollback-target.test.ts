import { chooseRollback } from '../../../../../functions/core/rollout/rollback-target';
import { rollbackRun, rollbackRunId } from '../../../../../functions/core/rollout/rollback-run';
import type { RunRecord, RunState } from '../../../../../functions/core/run/run-record';
import { sampleRun } from '../../../../helpers/sample-run';

const MODEL = 'projects/p/locations/l/models/9';

/** A run of `flowers` for `version` that ended (or stands) in `state`, last updated at minute `minute`. */
function run(version: string, state: RunState, minute: number, overrides: Partial<RunRecord> = {}): RunRecord {
  const at = new Date(Date.UTC(2026, 10, 23, 10, minute)).toISOString();
  const terminal = ['promoted', 'rejected', 'failed', 'aborted', 'rolled-back'].includes(state);
  return sampleRun({
    runId: `flowers-${version}-${overrides.kind ?? 'savedmodel'}-${minute}`,
    version,
    root: `models/flowers/${version}/`,
    state,
    ...(terminal ? { outcome: state as RunRecord['outcome'] } : {}),
    updatedAt: at,
    model: { name: MODEL, versionId: version, versionName: `${MODEL}@${version}`, servingImage: 'img' },
    ...overrides,
  });
}

const rollback = (version: string, state: RunState, minute: number) =>
  run(version, state, minute, { kind: 'rollback' });

describe('chooseRollback', () => {
  it('goes back from the serving promotion to the one before it', () => {
    const runs = [run('1', 'promoted', 1), run('2', 'rejected', 2), run('3', 'promoted', 3)];
    const choice = chooseRollback(runs, 'flowers');
    expect(choice).toMatchObject({ action: 'rollback', target: { version: '1' }, serving: { version: '3' } });
  });

  it('after a rollback, targets the same version again (the second command changes nothing)', () => {
    const runs = [run('1', 'promoted', 1), run('2', 'promoted', 2), rollback('1', 'rolled-back', 3)];
    const choice = chooseRollback(runs, 'flowers');
    expect(choice).toMatchObject({ action: 'rollback', target: { version: '1', kind: 'savedmodel' } });
    expect(choice).toMatchObject({ serving: { kind: 'rollback', version: '1' } });
  });

  it('after a rollback and a later promotion, goes back to what served before, not to the version rolled back from', () => {
    const runs = [
      run('1', 'promoted', 1),
      run('2', 'promoted', 2),
      rollback('1', 'rolled-back', 3),
      run('3', 'promoted', 4),
    ];
    expect(chooseRollback(runs, 'flowers')).toMatchObject({
      target: { version: '1', kind: 'savedmodel' },
      serving: { version: '3' },
    });
  });

  it('--to names any promoted version, with or without its v', () => {
    const runs = [run('1', 'promoted', 1), run('2', 'promoted', 2), run('3', 'promoted', 3)];
    expect(chooseRollback(runs, 'flowers', '1')).toMatchObject({ target: { version: '1' } });
    expect(chooseRollback(runs, 'flowers', 'v2')).toMatchObject({
      target: { version: '2' },
      versions: ['3', '2', '1'],
    });
  });

  it('refuses a --to version that was never promoted, listing those that were', () => {
    const runs = [run('1', 'promoted', 1), run('2', 'rejected', 2), run('3', 'promoted', 3)];
    expect(chooseRollback(runs, 'flowers', '2')).toEqual({
      action: 'refuse',
      message: 'v2 of flowers never ended promoted, so it cannot be rolled back to; promoted versions: v3, v1',
    });
  });

  it('refuses when nothing was promoted before the serving version', () => {
    expect(chooseRollback([run('1', 'promoted', 1), run('2', 'failed', 2)], 'flowers')).toEqual({
      action: 'refuse',
      message: 'no version of flowers served before v1, which serves now: there is nothing to roll back to',
    });
    expect(chooseRollback([run('1', 'rejected', 1)], 'flowers')).toEqual({
      action: 'refuse',
      message: 'no version of flowers was ever promoted: there is nothing to roll back to',
    });
  });

  it('refuses while a run of the workflow is live, naming it and ferry abort', () => {
    const runs = [run('1', 'promoted', 1), run('2', 'promoted', 2), run('3', 'deployed', 3)];
    expect(chooseRollback(runs, 'flowers')).toEqual({
      action: 'refuse',
      message:
        'run flowers-3-savedmodel-3 of flowers is still deployed: one rollout per endpoint at a time; wait for it to end, or stop it with `ferry abort flowers-3-savedmodel-3`',
    });
  });

  it('finds a live rollback to the same version instead of starting another', () => {
    const live = rollback('1', 'deploying', 3);
    const runs = [run('1', 'promoted', 1), run('2', 'promoted', 2), live];
    expect(chooseRollback(runs, 'flowers')).toEqual({ action: 'under-way', run: live });
    expect(chooseRollback(runs, 'flowers', '1')).toEqual({ action: 'under-way', run: live });
    expect(chooseRollback(runs, 'flowers', '2')).toMatchObject({ action: 'refuse' });
  });

  it("ignores other workflows' runs", () => {
    const other = { workflow: 'weather' };
    const runs = [
      run('1', 'promoted', 1),
      run('2', 'promoted', 2),
      run('3', 'deployed', 3, other),
      run('0', 'promoted', 4, other),
    ];
    expect(chooseRollback(runs, 'flowers')).toMatchObject({ target: { version: '1' }, serving: { version: '2' } });
  });
});

describe('rollbackRun', () => {
  const target = run('1', 'promoted', 1);
  const serving = run('2', 'promoted', 2);
  const now = new Date('2026-11-23T11:00:00Z');

  it('is a registered run of kind rollback on the target version, saying who and from where', () => {
    const record = rollbackRun({ target, serving, runs: [target, serving], by: 'ana@host', reason: 'p95 up', now });
    expect(record).toMatchObject({
      kind: 'rollback',
      state: 'registered',
      version: '1',
      root: 'models/flowers/1/',
      model: target.model,
      operatorActions: [{ verb: 'rollback', by: 'ana@host', at: now.toISOString(), reason: 'p95 up' }],
      timeline: [
        {
          state: 'registered',
          detail: `rollback of flowers to v1 (${MODEL}@1) by ana@host, from v2: p95 up`,
        },
      ],
    });
    expect(record.runId).toMatch(/^flowers-rollback1-to-v1-[0-9a-f]{10}$/);
  });

  it('gets a new id for each rollback of the workflow on record, the same one for the same records', () => {
    const first = rollbackRunId([target, serving], target);
    expect(rollbackRunId([target, serving], target)).toBe(first);
    const failed = { ...rollback('1', 'failed', 3), runId: first };
    expect(rollbackRunId([target, serving, failed], target)).not.toBe(first);
  });
});
