import type { RunRecord } from '../../../../functions/core/run/run-record';
import { advance } from '../../../../functions/core/run/transitions';
import { announce, runStage, type Stage } from '../../../../functions/pipeline/run-stage';
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
    const { runs, publisher, deps, stage, calls } = setup(async (run) =>
      advance(run, 'registered', clock.now(), 'flowers@1'),
    );
    await runs.create(base);
    await runStage(deps, base.runId, stage);
    await runStage(deps, base.runId, stage);
    expect(calls()).toBe(1);
    expect((await runs.get(base.runId))?.value.state).toBe('registered');
    expect(publisher.on(TOPICS.runEvents)).toEqual([
      {
        runId: base.runId,
        workflow: 'flowers',
        state: 'registered',
        detail: 'flowers@1',
        at: clock.now().toISOString(),
      },
    ]);
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
    expect(run).toMatchObject({
      state: 'failed',
      outcome: 'failed',
      reason: 'registerModel: 3 INVALID_ARGUMENT: bad container',
    });
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

  describe('two deliveries at the same moment', () => {
    /** A clock whose sleep lets other promises run, as a real one does. */
    function yieldingClock() {
      const clock = fixedClock();
      return {
        ...clock,
        sleep: async (ms: number) => {
          clock.advance(ms);
          await new Promise((resolve) => setImmediate(resolve));
        },
      };
    }

    it('lets only one of them work; the other waits, finds the stage done and sends the next message again', async () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const { runs, publisher, deps, stage, calls } = setup(async (run) => {
        await gate;
        return advance(run, 'registered', clock.now());
      });
      await runs.create(base);
      // The first sleep is the second delivery starting to wait: only then may the first finish.
      const waiting = yieldingClock();
      const both = {
        ...deps,
        clock: {
          ...waiting,
          sleep: async (ms: number) => {
            open();
            await waiting.sleep(ms);
          },
        },
      };
      await Promise.all([runStage(both, base.runId, stage), runStage(both, base.runId, stage)]);
      expect(calls()).toBe(1);
      const stored = (await runs.get(base.runId))?.value;
      expect(stored?.state).toBe('registered');
      expect(stored?.claim).toBeUndefined();
      expect(publisher.on(TOPICS.modelRegistered)).toHaveLength(2);
    });

    it("hands a delivery back for retry while a claim holds, and takes over once a crashed holder's claim expires", async () => {
      const { runs, deps, stage, calls } = setup(async (run) => advance(run, 'registered', clock.now()));
      const until = new Date(clock.now().getTime() + 60_000).toISOString();
      await runs.create({ ...base, claim: { by: 'a crashed instance', stage: 'registerModel', until } });
      const local = { ...deps, clock: yieldingClock(), claimMs: 60_000 };
      await expect(runStage(local, base.runId, stage)).rejects.toMatchObject({
        code: 10,
        message: expect.stringMatching(/another delivery is working on run .*claimed until/),
      });
      expect(calls()).toBe(0);
      local.clock.advance(60_000);
      await runStage(local, base.runId, stage);
      expect(calls()).toBe(1);
      expect((await runs.get(base.runId))?.value).toMatchObject({ state: 'registered' });
    });

    it('gives the claim back on a transient error, so the redelivery need not wait for it to expire', async () => {
      let fail = true;
      const { runs, deps, stage, calls } = setup(async (run) => {
        if (fail) throw Object.assign(new Error('UNAVAILABLE'), { code: 14 });
        return advance(run, 'registered', clock.now());
      });
      await runs.create(base);
      await expect(runStage(deps, base.runId, stage)).rejects.toThrow('UNAVAILABLE');
      expect((await runs.get(base.runId))?.value.claim).toBeUndefined();
      fail = false;
      const sleeps: number[] = [];
      await runStage({ ...deps, clock: { ...clock, sleep: async (ms) => void sleeps.push(ms) } }, base.runId, stage);
      expect(calls()).toBe(2);
      expect(sleeps).toEqual([]);
    });

    it('gives the claim back when the state write after the work fails', async () => {
      const { runs, deps, stage } = setup(async (run) => advance(run, 'registered', clock.now()));
      await runs.create(base);
      const update = runs.update.bind(runs);
      let writes = 0;
      runs.update = async (run, generation) => {
        writes += 1;
        if (writes === 2) throw Object.assign(new Error('503 backend error'), { code: 503 });
        return update(run, generation);
      };
      await expect(runStage(deps, base.runId, stage)).rejects.toThrow('503');
      expect((await runs.get(base.runId))?.value).toMatchObject({ state: 'checked' });
      expect((await runs.get(base.runId))?.value.claim).toBeUndefined();
    });

    it.each([
      ['an unreadable expiry', { by: 'x', stage: 'registerModel', until: 'soon' }],
      ['no expiry', { by: 'x', stage: 'registerModel' }],
      ['an expiry long past', { by: 'x', stage: 'registerModel', until: '2000-01-01T00:00:00Z' }],
    ])('treats a claim with %s as expired rather than blocking the run forever', async (_what, claim) => {
      const { runs, deps, stage, calls } = setup(async (run) => advance(run, 'registered', clock.now()));
      await runs.create({ ...base, claim: claim as RunRecord['claim'] });
      await runStage(deps, base.runId, stage);
      expect((await runs.get(base.runId))?.value).toMatchObject({ state: 'registered' });
      expect((await runs.get(base.runId))?.value.claim).toBeUndefined();
      expect(calls()).toBe(1);
    });
  });
});

describe('announce', () => {
  const publisher = new MemoryPublisher();
  const log = silentLogger();
  const lines: string[] = [];
  const logger = {
    ...log,
    info: (message: string, fields?: Record<string, unknown>) =>
      void lines.push(JSON.stringify({ message, ...fields })),
  };

  beforeEach(() => {
    publisher.messages.length = 0;
    lines.length = 0;
  });

  it('names the dead letter on the event that ends a run it ended, even when a later stage ends it', async () => {
    const deploying = advance(advance(base, 'registered', clock.now()), 'deploying', clock.now());
    const rolling = advance({ ...deploying, deadLetterId: '4242' }, 'rolling-back', clock.now(), 'dead-lettered');
    await announce({ publisher, log: logger }, deploying, rolling);
    // The rollback's undeploy finished in awaitOperation: the run ends there.
    const failed = advance(rolling, 'failed', clock.now(), 'dead-lettered (dead letter 4242)');
    await announce({ publisher, log: logger }, rolling, failed);
    expect(publisher.on(TOPICS.runEvents)).toEqual([
      expect.not.objectContaining({ deadLetterId: expect.anything() as unknown }),
      expect.objectContaining({ state: 'failed', outcome: 'failed', deadLetterId: '4242' }),
    ]);
  });

  it('logs workflow, state and outcome: the fields terraform/monitoring.tf counts', async () => {
    const registered = advance(base, 'registered', clock.now());
    const failed = advance(registered, 'failed', clock.now(), 'no');
    await announce({ publisher, log: logger }, base, failed);
    expect(lines.map((l) => JSON.parse(l) as object)).toEqual([
      expect.objectContaining({ runId: base.runId, workflow: 'flowers', state: 'registered' }),
      expect.objectContaining({ runId: base.runId, workflow: 'flowers', state: 'failed', outcome: 'failed' }),
    ]);
    expect(JSON.parse(lines[0])).not.toHaveProperty('outcome');
  });
});
