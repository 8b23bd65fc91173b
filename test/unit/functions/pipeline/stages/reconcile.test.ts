import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { STALL_BUDGET_MS } from '../../../../../functions/core/run/stall-budgets';
import { leaseKey } from '../../../../../functions/pipeline/stages/endpoint-lease';
import { reconcile, type ReconcileDeps } from '../../../../../functions/pipeline/stages/reconcile';
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

const START = '2026-11-23T10:00:00.000Z';
const ENDPOINT = 'projects/p/locations/l/endpoints/1';

function canaryRun(runId: string): RunRecord {
  return sampleRun({
    runId,
    state: 'deployed',
    step: -1,
    model: { name: 'm', versionId: '2', versionName: 'm@2', servingImage: 'img' },
    endpoint: { name: ENDPOINT },
    deployment: { deployedModelId: '222', previousSplit: { '111': 100 }, split: { '111': 90, '222': 10 } },
  });
}

function setUp() {
  const clock = fixedClock(START);
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const leases = new MemoryDocuments();
  const endpoints = new MemoryEndpoints();
  endpoints.add(ENDPOINT, ['111', '222'], { '111': 90, '222': 10 });
  const deps: ReconcileDeps = {
    runs,
    publisher,
    clock,
    log: silentLogger(),
    leases,
    rollout: { endpoints, registry: new MemoryRegistry(), clock },
  };
  const state = async (runId: string) => (await runs.get(runId))?.value;
  return { deps, clock, runs, publisher, leases, endpoints, state };
}

/** A pass that found nothing to do. */
const NOTHING_DONE = { nudged: [], ended: [], released: [], timedOut: [], overdue: [], widened: [], errors: [] };

describe('reconcile', () => {
  it('leaves a run within its budget alone', async () => {
    const t = setUp();
    await t.runs.create(canaryRun('fresh'));
    t.clock.advance(STALL_BUDGET_MS.deployed - 1);
    expect(await reconcile(t.deps)).toEqual(NOTHING_DONE);
    expect(t.publisher.messages).toEqual([]);
    expect(await t.state('fresh')).toEqual(canaryRun('fresh'));
  });

  it('republishes the message of a run stuck past its budget once, then ends it safely if it still does not move', async () => {
    const t = setUp();
    await t.runs.create(canaryRun('stuck'));
    t.clock.advance(STALL_BUDGET_MS.deployed + 1);
    expect((await reconcile(t.deps)).nudged).toEqual(['stuck']);
    expect(t.publisher.messages).toEqual([{ topic: TOPICS.modelDeployed, data: { runId: 'stuck', step: -1 } }]);
    expect(await t.state('stuck')).toMatchObject({ state: 'deployed', nudgedAt: t.clock.now().toISOString() });
    // A second pass within the next budget republishes nothing more.
    t.clock.advance(STALL_BUDGET_MS.deployed - 1);
    expect(await reconcile(t.deps)).toEqual(NOTHING_DONE);
    expect(t.publisher.messages).toHaveLength(1);
    t.clock.advance(2);
    expect((await reconcile(t.deps)).ended).toEqual(['stuck']);
    const ended = await t.state('stuck');
    expect(ended).toMatchObject({ state: 'failed', outcome: 'failed' });
    expect(ended?.reason).toMatch(/no progress in state deployed since 2026-11-23T10:00:00.000Z/);
    expect(t.endpoints.endpoints.get(ENDPOINT)).toMatchObject({
      trafficSplit: { '111': 100 },
      deployedModels: [{ id: '111' }],
    });
  });

  it('forgets the nudge of a run that moved on after it', async () => {
    const t = setUp();
    await t.runs.create(canaryRun('healed'));
    t.clock.advance(STALL_BUDGET_MS.deployed + 1);
    await reconcile(t.deps);
    const stored = await t.runs.get('healed');
    await t.runs.update({ ...stored!.value, step: 0, updatedAt: t.clock.now().toISOString() }, stored!.generation);
    t.clock.advance(STALL_BUDGET_MS.deployed);
    expect(await reconcile(t.deps)).toEqual(NOTHING_DONE);
    expect((await t.state('healed'))?.state).toBe('deployed');
  });

  it('does not count waiting for the endpoint behind a live rollout as a stall', async () => {
    const t = setUp();
    await t.runs.create(canaryRun('holder'));
    await t.runs.create(sampleRun({ runId: 'waiting', state: 'registered' }));
    await t.leases.create(leaseKey('flowers'), { runId: 'holder', since: START });
    t.clock.advance(STALL_BUDGET_MS.registered + 1);
    const report = await reconcile(t.deps);
    expect(report.nudged).toEqual(['holder']);
    expect(t.publisher.on(TOPICS.modelRegistered)).toEqual([]);
  });

  it('releases leases held by ended or missing runs, and keeps those of live ones', async () => {
    const t = setUp();
    await t.runs.create({ ...sampleRun({ runId: 'done', state: 'failed' }), outcome: 'failed', workflow: 'a' });
    await t.runs.create({ ...sampleRun({ runId: 'gone-wf', state: 'promoted' }), workflow: 'b' });
    await t.runs.create({ ...canaryRun('live'), workflow: 'c' });
    await t.leases.create(leaseKey('a'), { runId: 'done', since: START });
    await t.leases.create(leaseKey('b'), { runId: 'deleted-run', since: START });
    await t.leases.create(leaseKey('c'), { runId: 'live', since: START });
    expect((await reconcile(t.deps)).released.sort()).toEqual(['a', 'b']);
    expect([...t.leases.docs.keys()]).toEqual([leaseKey('c')]);
  });
});
