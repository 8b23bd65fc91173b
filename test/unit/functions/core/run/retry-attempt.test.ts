import { retryAttempt, type RetryRequest } from '../../../../../functions/core/run/retry-attempt';
import { runIdFor } from '../../../../../functions/core/run/run-id';
import type { RunRecord, RunState } from '../../../../../functions/core/run/run-record';
import { sampleRun } from '../../../../helpers/sample-run';

const FIRST = runIdFor('flowers', '7', 'artifacts', 'models/flowers/7/');
const at = new Date('2026-11-30T09:00:00Z');
const request: RetryRequest = { verb: 'retry', by: 'ana@laptop', at, reason: 'quota raised' };
const model = { name: 'm/1', versionId: '3', versionName: 'm/1@3', servingImage: 'img' };

const ended = (state: RunState, overrides: Partial<RunRecord> = {}): RunRecord =>
  sampleRun({
    runId: FIRST,
    state,
    outcome: state as RunRecord['outcome'],
    reason: `${state} for a reason`,
    timeline: [
      { state: 'checked', at: '2026-11-23T10:00:00.000Z' },
      { state, at: '2026-11-23T10:05:00.000Z' },
    ],
    inspection: { tensorflowVersion: '2.15.0' },
    ...overrides,
  });

const refusal = (run: RunRecord, req: RetryRequest = request) => {
  const decision = retryAttempt(run, req);
  if (decision.ok) throw new Error('expected a refusal');
  return decision.refusal;
};

describe('retryAttempt', () => {
  it('makes attempt 2 of a failed run: checked, same artifact and inspection, its version reused', () => {
    const decision = retryAttempt(ended('failed', { model, step: 2, deadLetterId: '42' }), request);
    expect(decision).toEqual({
      ok: true,
      next: {
        runId: `${FIRST}-a2`,
        workflow: 'flowers',
        kind: 'savedmodel',
        attempt: 2,
        retryOf: FIRST,
        bucket: 'artifacts',
        root: 'models/flowers/7/',
        version: '7',
        state: 'checked',
        step: -1,
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
        timeline: [
          {
            state: 'checked',
            at: at.toISOString(),
            detail: `attempt 2 of models/flowers/7/, retrying ${FIRST} (failed) by ana@laptop: quota raised`,
          },
        ],
        inspection: { tensorflowVersion: '2.15.0' },
        model,
        operatorActions: [{ verb: 'retry', by: 'ana@laptop', at: at.toISOString(), reason: 'quota raised' }],
      },
    });
  });

  it('numbers attempts on from the one retried, and registers anew when none registered', () => {
    const decision = retryAttempt(ended('aborted', { runId: `${FIRST}-a2`, attempt: 2, retryOf: FIRST }), {
      verb: 'replay',
      by: 'bo',
      at,
    });
    expect(decision.ok && decision.next).toMatchObject({ runId: `${FIRST}-a3`, attempt: 3, retryOf: `${FIRST}-a2` });
    expect(decision.ok && decision.next.model).toBeUndefined();
    expect(decision.ok && decision.next.operatorActions).toEqual([{ verb: 'replay', by: 'bo', at: at.toISOString() }]);
  });

  it('retries a rejected run only with force', () => {
    const rejected = ended('rejected', { model, reason: 'rejected at 10 %: accuracy 0.7 < 0.9' });
    expect(refusal(rejected)).toBe(
      `run ${FIRST}: rejected (rejected at 10 %: accuracy 0.7 < 0.9): its gates judged it; retry with --force to deploy it again anyway`,
    );
    const forced = retryAttempt(rejected, { ...request, force: true });
    expect(forced.ok && forced.next).toMatchObject({ attempt: 2, state: 'checked', model });
  });

  it('never retries a run its static checks rejected, even with force', () => {
    const run = ended('rejected', {
      reason: 'static checks failed: no serving signature',
      timeline: [{ state: 'rejected', at: '2026-11-23T10:00:00.000Z' }],
    });
    expect(refusal(run, { ...request, force: true })).toMatch(
      /rejected by its static checks \(static checks failed: no serving signature\): .*fix it and drop it as a new version/,
    );
  });

  it.each([
    ['promoted', /promoted: nothing to retry \(to put an earlier version back: ferry rollback\)/],
    ['published', /published: nothing to retry/],
    ['rolled-back', /rolled back: nothing to retry/],
    ['deployed', new RegExp(`still deployed: abort it first \\(ferry abort ${FIRST}\\), then retry it`)],
    ['checked', /still checked: abort it first/],
  ] as const)('refuses a %s run, saying what to do', (state, message) => {
    expect(refusal(ended(state), { ...request, force: true })).toMatch(message);
  });

  it('refuses a rollback run: ferry rollback again', () => {
    expect(refusal(ended('failed', { kind: 'rollback' }))).toBe(
      `run ${FIRST}: a rollback is not retried: run \`ferry rollback\` again if it is still wanted`,
    );
  });
});
