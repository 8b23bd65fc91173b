import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { leaseKey } from '../../../../../functions/pipeline/stages/endpoint-lease';
import { endRunSafely, type EndRunDeps } from '../../../../../functions/pipeline/stages/end-run-safely';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import {
  fixedClock,
  MemoryDocuments,
  MemoryPublisher,
  MemoryRuns,
  silentLogger,
} from '../../../../helpers/memory-ports';
import { MemoryEndpoints } from '../../../../helpers/memory-vertex';
import { MemoryRegistry } from '../../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../../helpers/sample-run';

const ENDPOINT = 'projects/p/locations/l/endpoints/1';
const CANDIDATE = '222';
const INCUMBENT = '111';
const VERSION = 'projects/p/locations/l/models/9@2';
const REASON = 'dead-lettered on validatePredictions-trigger after 10 deliveries (dead letter 4242)';

function deployedRun(previousSplit: Record<string, number>, split: Record<string, number>): RunRecord {
  return sampleRun({
    state: 'deployed',
    step: -1,
    model: { name: 'projects/p/locations/l/models/9', versionId: '2', versionName: VERSION, servingImage: 'img' },
    endpoint: { name: ENDPOINT },
    deployment: { deployedModelId: CANDIDATE, previousSplit, split },
  });
}

async function setUp(run: RunRecord, deployed: string[], split: Record<string, number>) {
  const clock = fixedClock();
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const leases = new MemoryDocuments();
  const endpoints = new MemoryEndpoints();
  const registry = new MemoryRegistry();
  endpoints.add(ENDPOINT, deployed, split);
  await runs.create(run);
  await leases.create(leaseKey(run.workflow), { runId: run.runId, since: run.createdAt });
  const deps: EndRunDeps = {
    runs,
    publisher,
    clock,
    log: silentLogger(),
    leases,
    rollout: { endpoints, registry, clock },
  };
  const stored = async () => (await runs.get(run.runId))?.value;
  return { deps, runs, publisher, leases, endpoints, registry, stored };
}

describe('endRunSafely', () => {
  it('restores the exact previous split of a 10 % canary, undeploys the candidate and ends the run failed', async () => {
    const t = await setUp(
      deployedRun({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 }),
      [INCUMBENT, CANDIDATE],
      {
        [INCUMBENT]: 90,
        [CANDIDATE]: 10,
      },
    );
    const result = await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON, patch: { deadLetterId: '4242' } });
    expect(result).toBe('ended');
    expect(t.endpoints.endpoints.get(ENDPOINT)).toMatchObject({
      trafficSplit: { [INCUMBENT]: 100 },
      deployedModels: [{ id: INCUMBENT }],
    });
    const run = await t.stored();
    expect(run).toMatchObject({ state: 'failed', outcome: 'failed', deadLetterId: '4242' });
    expect(run?.reason).toContain('dead letter 4242');
    expect(run?.claim).toBeUndefined();
    expect(run?.timeline.map((e) => e.state)).toEqual(['deployed', 'rolling-back', 'failed']);
    expect(run?.timeline[1].detail).toContain(`split restored to {"${INCUMBENT}":100}`);
    expect(t.registry.aliases.get(VERSION)).toEqual([]);
    expect(t.publisher.on(TOPICS.runEvents).map((e) => (e as { state: string }).state)).toEqual([
      'rolling-back',
      'failed',
    ]);
    // The event that ends the run names the dead letter, so a notification can say what ended it.
    expect(t.publisher.on(TOPICS.runEvents).at(-1)).toMatchObject({ state: 'failed', deadLetterId: '4242' });
    expect(await t.leases.get(leaseKey('flowers'))).toBeUndefined();
  });

  it('undeploys a first model entirely: Vertex refuses an empty split while it is deployed', async () => {
    const t = await setUp(deployedRun({}, { [CANDIDATE]: 100 }), [CANDIDATE], { [CANDIDATE]: 100 });
    expect(await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON })).toBe('ended');
    expect(t.endpoints.endpoints.get(ENDPOINT)).toEqual({ trafficSplit: {}, deployedModels: [] });
    expect(t.endpoints.calls).not.toContain('setSplit');
    expect((await t.stored())?.state).toBe('failed');
  });

  it('changes nothing for a run that has already ended', async () => {
    const ended = { ...deployedRun({}, {}), state: 'promoted' as const, outcome: 'promoted' as const };
    const t = await setUp(ended, [CANDIDATE], { [CANDIDATE]: 100 });
    expect(await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON })).toBe('already-ended');
    expect(t.endpoints.calls).toEqual([]);
    expect(await t.stored()).toEqual(ended);
    expect(t.publisher.messages).toEqual([]);
  });

  it('does nothing more on a second delivery of the same dead letter', async () => {
    const t = await setUp(
      deployedRun({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 }),
      [INCUMBENT, CANDIDATE],
      {
        [INCUMBENT]: 90,
        [CANDIDATE]: 10,
      },
    );
    await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON });
    const [calls, events, run] = [t.endpoints.calls.length, t.publisher.messages.length, await t.stored()];
    expect(await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON })).toBe('already-ended');
    expect([t.endpoints.calls.length, t.publisher.messages.length, await t.stored()]).toEqual([calls, events, run]);
  });

  it('rolls back once when two deliveries arrive at the same moment', async () => {
    const t = await setUp(
      deployedRun({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 }),
      [INCUMBENT, CANDIDATE],
      {
        [INCUMBENT]: 90,
        [CANDIDATE]: 10,
      },
    );
    const results = await Promise.all([
      endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON }),
      endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON }),
    ]);
    expect(results).toContain('ended');
    expect(t.endpoints.calls.filter((c) => c === 'undeploy')).toHaveLength(1);
    expect((await t.stored())?.timeline.filter((e) => e.state === 'failed')).toHaveLength(1);
  });

  it('acknowledges a run that does not exist, and leaves a run that moved on alone', async () => {
    const t = await setUp(deployedRun({}, { [CANDIDATE]: 100 }), [CANDIDATE], { [CANDIDATE]: 100 });
    expect(await endRunSafely(t.deps, 'no-such-run', { reason: REASON })).toBe('not-found');
    const movedOn = await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON, at: { state: 'deployed', step: 0 } });
    expect(movedOn).toBe('moved-on');
    expect(t.endpoints.calls).toEqual([]);
    expect((await t.stored())?.state).toBe('deployed');
  });

  it('throws for a retry on a transient Vertex error, leaving the run unclaimed and unchanged', async () => {
    const t = await setUp(
      deployedRun({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 }),
      [INCUMBENT, CANDIDATE],
      {
        [INCUMBENT]: 90,
        [CANDIDATE]: 10,
      },
    );
    t.endpoints.failures.push({ method: 'setSplit', code: 14 });
    await expect(endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON })).rejects.toThrow('setSplit: injected');
    expect(await t.stored()).toMatchObject({ state: 'deployed' });
    expect((await t.stored())?.claim).toBeUndefined();
    expect(await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON })).toBe('ended');
    expect(t.endpoints.endpoints.get(ENDPOINT)?.trafficSplit).toEqual({ [INCUMBENT]: 100 });
  });

  it('waits for a DeployModel still running, then undeploys the deployment it made', async () => {
    const operation = `${ENDPOINT}/operations/77`;
    const run = {
      ...deployedRun({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 }),
      state: 'deploying' as const,
    };
    run.deployment = { ...run.deployment!, operation };
    const t = await setUp(run, [INCUMBENT], { [INCUMBENT]: 100 });
    t.endpoints.operations.set(operation, { done: false });
    await expect(endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON })).rejects.toThrow(/still running/);
    expect((await t.stored())?.state).toBe('deploying');
    // The deployment completes later, with its canary share.
    t.endpoints.operations.set(operation, { done: true });
    t.endpoints.add(ENDPOINT, [INCUMBENT, CANDIDATE], { [INCUMBENT]: 90, [CANDIDATE]: 10 });
    expect(await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON })).toBe('ended');
    expect(t.endpoints.endpoints.get(ENDPOINT)).toMatchObject({
      trafficSplit: { [INCUMBENT]: 100 },
      deployedModels: [{ id: INCUMBENT }],
    });
  });

  it('leaves a run that may hold traffic to a function that can roll it back', async () => {
    const t = await setUp(deployedRun({}, { [CANDIDATE]: 100 }), [CANDIDATE], { [CANDIDATE]: 100 });
    const { rollout: _, ...withoutVertex } = t.deps;
    expect(await endRunSafely(withoutVertex, 'flowers-7-abc', { reason: REASON })).toBe('cannot-roll-back');
    expect((await t.stored())?.state).toBe('deployed');
  });

  it('ends a run that holds no traffic without touching Vertex', async () => {
    const t = await setUp(sampleRun({ state: 'registered' }), [INCUMBENT], { [INCUMBENT]: 100 });
    expect(await endRunSafely(t.deps, 'flowers-7-abc', { reason: REASON })).toBe('ended');
    expect(t.endpoints.calls).toEqual([]);
    expect(await t.stored()).toMatchObject({ state: 'failed', reason: REASON });
  });
});
