import type { RetryRequest } from '../../../../../functions/core/run/retry-attempt';
import { runIdFor } from '../../../../../functions/core/run/run-id';
import { retryRun } from '../../../../../functions/pipeline/operator/retry-run';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import { MemoryPublisher, MemoryRuns, silentLogger } from '../../../../helpers/memory-ports';
import { sampleRun } from '../../../../helpers/sample-run';

const request: RetryRequest = { verb: 'retry', by: 'ana', at: new Date('2026-11-30T09:00:00Z') };
const FIRST = runIdFor('flowers', '7', 'artifacts', 'models/flowers/7/');
const SECOND = runIdFor('flowers', '7', 'artifacts', 'models/flowers/7/', 2);
const failed = sampleRun({ runId: FIRST, state: 'failed', outcome: 'failed', reason: 'registerModel: quota' });

const setup = async () => {
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  await runs.create(failed);
  return { runs, publisher, deps: { runs, publisher, log: silentLogger() } };
};

describe('retryRun', () => {
  it('creates the next attempt, announces it and publishes what it waits for', async () => {
    const { runs, publisher, deps } = await setup();
    const result = await retryRun(deps, FIRST, request);
    expect(result).toMatchObject({ kind: 'started', run: { runId: SECOND, state: 'checked' } });
    expect((await runs.get(SECOND))?.value).toEqual(result.kind === 'started' && result.run);
    expect(publisher.on(TOPICS.savedModelReady)).toEqual([{ runId: SECOND }]);
    expect(publisher.on(TOPICS.runEvents)).toEqual([
      expect.objectContaining({
        runId: SECOND,
        state: 'checked',
        detail: expect.stringMatching(/^attempt 2 /),
      }),
    ]);
    // The retried run itself is left as it ended.
    expect((await runs.get(FIRST))?.value).toEqual(failed);
  });

  it('a second retry finds the attempt and starts nothing; one still checked gets its message again', async () => {
    const { runs, publisher, deps } = await setup();
    await retryRun(deps, FIRST, request);
    const again = await retryRun(deps, FIRST, { ...request, reason: 'again' });
    expect(again).toMatchObject({ kind: 'exists', run: { runId: SECOND, attempt: 2 } });
    expect(await runs.list()).toHaveLength(2);
    expect(publisher.on(TOPICS.runEvents)).toHaveLength(1);
    expect(publisher.on(TOPICS.savedModelReady)).toEqual([{ runId: SECOND }, { runId: SECOND }]);
  });

  it('an attempt that has moved on is only reported: nothing is published', async () => {
    const { runs, publisher, deps } = await setup();
    await retryRun(deps, FIRST, request);
    const stored = (await runs.get(SECOND))!;
    await runs.update({ ...stored.value, state: 'promoted', outcome: 'promoted' }, stored.generation);
    const before = publisher.messages.length;
    expect(await retryRun(deps, FIRST, request)).toMatchObject({
      kind: 'exists',
      run: { state: 'promoted' },
    });
    expect(publisher.messages).toHaveLength(before);
  });

  it('starts a TFLite attempt with tflite.ready, for publishMobile', async () => {
    const { publisher, deps, runs } = await setup();
    const tflite = sampleRun({
      runId: 'mobile-run',
      kind: 'tflite',
      root: 'mobile/flowers/7/model.tflite',
      state: 'aborted',
      outcome: 'aborted',
    });
    await runs.create(tflite);
    const result = await retryRun(deps, 'mobile-run', request);
    const id = runIdFor('flowers', '7', 'artifacts', 'mobile/flowers/7/model.tflite', 2);
    expect(result).toMatchObject({ kind: 'started', run: { runId: id, kind: 'tflite', state: 'checked' } });
    expect(publisher.on(TOPICS.tfliteReady)).toEqual([{ runId: id }]);
    expect(publisher.on(TOPICS.savedModelReady)).toEqual([]);
  });

  it('refuses with the reason, and names a run it cannot find', async () => {
    const { runs, publisher, deps } = await setup();
    await runs.create(sampleRun({ runId: 'live', state: 'deployed' }));
    expect(await retryRun(deps, 'live', request)).toEqual({
      kind: 'refused',
      message: 'run live: still deployed: abort it first (ferry abort live), then retry it',
    });
    expect(await retryRun(deps, 'nope', request)).toEqual({
      kind: 'not-found',
      message: 'no run nope: list the runs with ferry status (--state failed)',
    });
    expect(publisher.messages).toEqual([]);
    expect(await runs.list()).toHaveLength(2);
  });
});
