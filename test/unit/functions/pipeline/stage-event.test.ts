import type { RunRecord } from '../../../../functions/core/run/run-record';
import { parseDeployedMessage, parseStageMessage } from '../../../../functions/pipeline/messages';
import type { Logger } from '../../../../functions/pipeline/ports';
import { handleStageEvent, type StageEventDeps } from '../../../../functions/pipeline/stage-event';
import { leaseKey } from '../../../../functions/pipeline/stages/endpoint-lease';
import { TOPICS } from '../../../../functions/pipeline/topics';
import { fixedClock, MemoryDocuments, MemoryPublisher, MemoryRuns, silentLogger } from '../../../helpers/memory-ports';
import { MemoryEndpoints } from '../../../helpers/memory-vertex';
import { MemoryRegistry } from '../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../helpers/sample-run';

const HOUR = 60 * 60 * 1000;
const MAX_AGE = 6 * HOUR;
const ENDPOINT = 'projects/p/locations/l/endpoints/1';
const INCUMBENT = '111';
const CANDIDATE = '222';
const RUN_ID = 'flowers-7-abc';

function canaryRun(): RunRecord {
  return sampleRun({
    state: 'deployed',
    step: 0,
    model: {
      name: 'projects/p/locations/l/models/9',
      versionId: '2',
      versionName: 'projects/p/locations/l/models/9@2',
      servingImage: 'img',
    },
    endpoint: { name: ENDPOINT },
    deployment: {
      deployedModelId: CANDIDATE,
      previousSplit: { [INCUMBENT]: 100 },
      split: { [INCUMBENT]: 90, [CANDIDATE]: 10 },
    },
  });
}

/** The give-up and decode paths of every stage function, over ferry's own ports in memory. */
async function setUp(run: RunRecord, withRollout: boolean) {
  const clock = fixedClock();
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const leases = new MemoryDocuments();
  const endpoints = new MemoryEndpoints();
  const registry = new MemoryRegistry();
  const log = silentLogger();
  endpoints.add(ENDPOINT, [INCUMBENT, CANDIDATE], { [INCUMBENT]: 90, [CANDIDATE]: 10 });
  await runs.create(run);
  await leases.create(leaseKey(run.workflow), { runId: run.runId, since: run.createdAt });
  const deps: StageEventDeps = {
    runs,
    publisher,
    clock,
    log,
    leases,
    maxEventAgeMs: MAX_AGE,
    ...(withRollout ? { rollout: () => ({ endpoints, registry, clock }) } : {}),
  };
  const handled: Array<{ runId: string; since?: string }> = [];
  const stage = async (message: { runId: string; since?: string }, _log: Logger) => {
    handled.push(message);
  };
  const delivery = (json: unknown, time: string) => ({
    name: 'validatePredictions',
    eventId: 'e-1',
    time,
    data: { message: { data: 'x' } },
    decode: () => json,
  });
  const stored = async () => (await runs.get(run.runId))?.value;
  return { deps, clock, runs, publisher, leases, endpoints, log, handled, stage, delivery, stored };
}

/** An ISO time `ms` before the clock's now. */
const before = (clock: { now(): Date }, ms: number) => new Date(clock.now().getTime() - ms).toISOString();

describe('handleStageEvent: what a stage function does with one delivery', () => {
  it('runs the stage with the message and its first publish time', async () => {
    const t = await setUp(canaryRun(), true);
    const time = before(t.clock, 1000);
    await handleStageEvent(t.deps, t.delivery({ runId: RUN_ID }, time), parseStageMessage, t.stage);
    expect(t.handled).toEqual([{ runId: RUN_ID, since: time }]);
  });

  it('keeps the older since a handed-on message carries', async () => {
    const t = await setUp(canaryRun(), true);
    const since = before(t.clock, 2 * HOUR);
    await handleStageEvent(
      t.deps,
      t.delivery({ runId: RUN_ID, since }, before(t.clock, 1000)),
      parseStageMessage,
      t.stage,
    );
    expect(t.handled).toEqual([{ runId: RUN_ID, since }]);
  });

  it('lets a stage error throw, so Pub/Sub redelivers the event', async () => {
    const t = await setUp(canaryRun(), true);
    const failing = async () => {
      throw Object.assign(new Error('UNAVAILABLE'), { code: 14 });
    };
    await expect(
      handleStageEvent(t.deps, t.delivery({ runId: RUN_ID }, before(t.clock, 1000)), parseStageMessage, failing),
    ).rejects.toThrow('UNAVAILABLE');
    expect(t.log.lines.join('\n')).toContain('the event will be retried');
    expect((await t.stored())?.state).toBe('deployed');
  });

  it.each([
    ['not JSON', () => JSON.parse('{"runId"') as unknown],
    ['missing runId', () => ({ step: 0 })],
    ['a step of the wrong type', () => ({ runId: RUN_ID, step: 'zero' })],
  ])('parks a malformed message (%s) on the dead-letter topic and acks it', async (_name, decode) => {
    const t = await setUp(canaryRun(), true);
    const delivery = { ...t.delivery(undefined, before(t.clock, 1000)), decode };
    await expect(handleStageEvent(t.deps, delivery, parseDeployedMessage, t.stage)).resolves.toBeUndefined();
    expect(t.handled).toEqual([]);
    const [parked] = t.publisher.on(TOPICS.deadLetter) as Array<Record<string, unknown>>;
    expect(parked).toMatchObject({ function: 'validatePredictions', eventId: 'e-1', data: { message: { data: 'x' } } });
    expect(String(parked.error)).not.toBe('');
    expect((await t.stored())?.state).toBe('deployed');
  });

  it('gives up on a message retried past the budget: the canary is rolled back and the run ends failed', async () => {
    const t = await setUp(canaryRun(), true);
    await handleStageEvent(
      t.deps,
      t.delivery({ runId: RUN_ID, step: 0 }, before(t.clock, MAX_AGE + 60_000)),
      parseDeployedMessage,
      t.stage,
    );
    expect(t.handled).toEqual([]);
    expect(t.endpoints.endpoints.get(ENDPOINT)).toMatchObject({
      trafficSplit: { [INCUMBENT]: 100 },
      deployedModels: [{ id: INCUMBENT }],
    });
    const run = await t.stored();
    expect(run).toMatchObject({ state: 'failed', outcome: 'failed' });
    expect(run?.reason).toContain('validatePredictions: still not through after 361 min');
    expect(await t.leases.get(leaseKey(run!.workflow))).toBeUndefined();
  });

  it('counts the age from since: hand-ons do not restart it', async () => {
    const t = await setUp(canaryRun(), true);
    const since = before(t.clock, MAX_AGE + 1);
    await handleStageEvent(
      t.deps,
      t.delivery({ runId: RUN_ID, since }, before(t.clock, 1000)),
      parseStageMessage,
      t.stage,
    );
    expect(t.handled).toEqual([]);
    expect((await t.stored())?.state).toBe('failed');
  });

  it('leaves a canary to the reconciler when the function has no Vertex ports to roll it back', async () => {
    const t = await setUp(canaryRun(), false);
    await handleStageEvent(
      t.deps,
      t.delivery({ runId: RUN_ID }, before(t.clock, MAX_AGE + 1)),
      parseStageMessage,
      t.stage,
    );
    expect(t.handled).toEqual([]);
    expect((await t.stored())?.state).toBe('deployed');
    expect(t.endpoints.endpoints.get(ENDPOINT)?.trafficSplit).toEqual({ [INCUMBENT]: 90, [CANDIDATE]: 10 });
    expect(t.log.lines.join('\n')).toMatch(/cannot roll back: the reconciler ends it/);
  });

  it('ends a run without traffic even without Vertex ports', async () => {
    const t = await setUp(sampleRun({ state: 'registered', step: -1 }), false);
    await handleStageEvent(
      t.deps,
      t.delivery({ runId: RUN_ID }, before(t.clock, MAX_AGE + 1)),
      parseStageMessage,
      t.stage,
    );
    expect((await t.stored())?.state).toBe('failed');
    expect(t.endpoints.calls).toEqual([]);
  });

  it('does nothing more when the same old message is delivered again', async () => {
    const t = await setUp(canaryRun(), true);
    const old = t.delivery({ runId: RUN_ID, step: 0 }, before(t.clock, MAX_AGE + 1));
    await handleStageEvent(t.deps, old, parseDeployedMessage, t.stage);
    const [calls, events, run] = [t.endpoints.calls.length, t.publisher.messages.length, await t.stored()];
    await handleStageEvent(t.deps, old, parseDeployedMessage, t.stage);
    expect([t.endpoints.calls.length, t.publisher.messages.length, await t.stored()]).toEqual([calls, events, run]);
    expect(t.handled).toEqual([]);
  });
});
