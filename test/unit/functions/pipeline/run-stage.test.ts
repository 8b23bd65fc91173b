import type { RunRecord } from '../../../../functions/core/run/run-record';
import { advance } from '../../../../functions/core/run/transitions';
import { runStage, type Stage } from '../../../../functions/pipeline/run-stage';
import { TOPICS } from '../../../../functions/pipeline/topics';
import { fixedClock, MemoryPublisher, MemoryRuns, silentLogger } from '../../../helpers/memory-ports';
import { sampleRun } from '../../../helpers/sample-run';

const clock = fixedClock();
const base: RunRecord = sampleRun({}, clock.now().toISOString());

function setup(work: Stage['work']) {
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const deps = { runs, publisher, clock, log: silentLogger() };
  let calls = 0;
  const stage: Stage = {
    name: 'registerModel',
    expects: { state: 'checked' },
    produces: [{ state: 'registered' }],
    work: async (run) => {
      calls += 1;
      return work(run);
    },
    next: (run) => [{ topic: TOPICS.modelRegistered, data: { runId: run.runId } }],
  };
  return { runs, publisher, deps, stage, calls: () => calls };
}

describe('runStage', () => {
  it('does the work once, stores the run, publishes the next message and a run event', async () => {
    const { runs, publisher, deps, stage, calls } = setup(async (run) => advance(run, 'registered', clock.now(), 'flowers@1'));
    await runs.create(base);
    await runStage(deps, base.runId, stage);
    await runStage(deps, base.runId, stage);
    expect(calls()).toBe(1);
    expect((await runs.get(base.runId))?.value.state).toBe('registered');
    expect(publisher.on(TOPICS.runEvents)).toEqual([{ runId: base.runId, workflow: 'flowers', state: 'registered', detail: 'flowers@1', at: clock.now().toISOString() }]);
    // The duplicate delivery finds the run registered and sends the next message again.
    expect(publisher.on(TOPICS.modelRegistered)).toHaveLength(2);
  });

  it('rethrows transient errors so the delivery is retried, leaving the run as it was', async () => {
    const { runs, deps, stage } = setup(async () => {
      throw Object.assign(new Error('UNAVAILABLE'), { code: 14 });
    });
    await runs.create(base);
    await expect(runStage(deps, base.runId, stage)).rejects.toThrow('UNAVAILABLE');
    expect((await runs.get(base.runId))?.value.state).toBe('checked');
  });

  it('ends the run failed on a permanent error, with the reason, and sends nothing next', async () => {
    const { runs, publisher, deps, stage } = setup(async () => {
      throw Object.assign(new Error('3 INVALID_ARGUMENT: bad container'), { code: 3 });
    });
    await runs.create(base);
    await runStage(deps, base.runId, stage);
    const run = (await runs.get(base.runId))?.value;
    expect(run).toMatchObject({ state: 'failed', outcome: 'failed', reason: 'registerModel: 3 INVALID_ARGUMENT: bad container' });
    expect(publisher.on(TOPICS.modelRegistered)).toHaveLength(0);
    expect(publisher.on(TOPICS.runEvents)).toEqual([expect.objectContaining({ state: 'failed', outcome: 'failed' })]);
  });

  it('decides again when the run changed underneath (compare-and-set lost)', async () => {
    const { runs, deps, stage, calls } = setup(async (run) => {
      const stored = await runs.get(run.runId);
      if (calls() === 1 && stored) await runs.update({ ...stored.value, updatedAt: 'touched' }, stored.generation);
      return advance(run, 'registered', clock.now());
    });
    await runs.create(base);
    await runStage(deps, base.runId, stage);
    expect(calls()).toBe(2);
    expect((await runs.get(base.runId))?.value.state).toBe('registered');
  });

  it('drops a message for a run that does not exist', async () => {
    const { deps, stage, calls } = setup(async (run) => run);
    await runStage(deps, 'nope', stage);
    expect(calls()).toBe(0);
  });

  it('publishes the next message on redelivery when the first attempt failed to publish after storing the state', async () => {
    const { runs, publisher, deps, stage } = setup(async (run) => advance(run, 'registered', clock.now()));
    await runs.create(base);
    publisher.failNext = 1;
    await expect(runStage(deps, base.runId, stage)).rejects.toThrow('publish failed');
    await runStage(deps, base.runId, stage);
    expect(publisher.on(TOPICS.modelRegistered)).toHaveLength(1);
  });
});
