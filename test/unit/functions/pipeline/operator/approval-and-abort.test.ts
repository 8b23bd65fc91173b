import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { requestApproval } from '../../../../../functions/core/run/approval';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import type { Logger } from '../../../../../functions/pipeline/ports';
import { abortRun } from '../../../../../functions/pipeline/operator/abort-run';
import { decideApproval } from '../../../../../functions/pipeline/operator/decide-approval';
import { leaseKey } from '../../../../../functions/pipeline/stages/endpoint-lease';
import { reconcile } from '../../../../../functions/pipeline/stages/reconcile';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import { fixedClock, MemoryDocuments, MemoryPublisher, MemoryRuns } from '../../../../helpers/memory-ports';
import { MemoryEndpoints } from '../../../../helpers/memory-vertex';
import { MemoryRegistry } from '../../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../../helpers/sample-run';

const ENDPOINT = 'projects/p/locations/l/endpoints/1';
const HOUR = 3_600_000;

function workflow(approval: string) {
  return parseWorkflow(
    [
      'name: flowers',
      'match: models/flowers/{version}/',
      'artifact: savedmodel',
      'model: {displayName: flowers}',
      'endpoint: {displayName: flowers}',
      'rollout: {canaryPercent: 10, steps: [50, 100]}',
      `approval: ${approval}`,
      'validation: {goldenSet: golden/flowers.jsonl}',
      '',
    ].join('\n'),
    'flowers.yaml',
  );
}

/** A logger that keeps each line's fields, so the alert line can be checked. */
function fieldLogger(): Logger & { lines: Array<{ message: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  const record = (message: string, fields?: Record<string, unknown>) => void lines.push({ message, fields });
  return { lines, info: record, warn: record, error: record };
}

/** Run v2 validated at the 10 % canary (v1 = 111 at 90 %), waiting for approval to step up. */
async function setUp(approval = '{before: each-step, timeout: 24h}', step = -1) {
  const clock = fixedClock('2026-11-30T10:00:00.000Z');
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const leases = new MemoryDocuments();
  const endpoints = new MemoryEndpoints();
  const registry = new MemoryRegistry();
  const flowers = workflow(approval);
  const workflows = new WorkflowSet([flowers]);
  const split = step === -1 ? { '111': 90, '222': 10 } : { '111': 50, '222': 50 };
  endpoints.add(ENDPOINT, ['111', '222'], split);
  const deployed = sampleRun({
    runId: 'flowers-2-abc',
    state: 'deployed',
    step,
    model: { name: 'm', versionId: '2', versionName: 'm@2', servingImage: 'img' },
    endpoint: { name: ENDPOINT },
    deployment: { deployedModelId: '222', previousSplit: { '111': 100 }, split },
  });
  const action = step + 1 >= flowers.rollout.steps.length - 1 && step >= 0 ? 'promote' : 'step-up';
  const waiting = requestApproval(deployed, flowers, action, 'validated at 10 %', clock.now());
  await runs.create(waiting);
  await leases.create(leaseKey('flowers'), { runId: waiting.runId, since: waiting.updatedAt });
  const log = fieldLogger();
  const deps = {
    runs,
    publisher,
    clock,
    log,
    leases,
    workflows,
    rollout: { endpoints, registry, clock },
  };
  const state = async () => (await runs.get(waiting.runId))!.value;
  return { deps, clock, runs, publisher, endpoints, registry, leases, log, state, runId: waiting.runId };
}

describe('a run awaiting approval', () => {
  it('is held with its canary serving and says which command to run', async () => {
    const t = await setUp();
    const run = await t.state();
    expect(run.state).toBe('awaiting-approval');
    expect(run.approval).toMatchObject({
      action: 'step-up',
      onTimeout: 'reject',
      deadline: '2026-12-01T10:00:00.000Z',
    });
    expect(run.timeline.at(-1)?.detail).toContain(`ferry approve ${t.runId}`);
    expect(run.timeline.at(-1)?.detail).toContain('step up to 50 %');
    expect(t.endpoints.endpoints.get(ENDPOINT)?.trafficSplit).toEqual({ '111': 90, '222': 10 });
  });

  it('approved, steps up to the next traffic step, records who and why, and asks for the next validation', async () => {
    const t = await setUp();
    const decided = await decideApproval(t.deps, t.runId, { verb: 'approve', by: 'ana@laptop', reason: 'looks fine' });
    expect(decided.result).toBe('decided');
    const run = await t.state();
    expect(run).toMatchObject({ state: 'deployed', step: 0 });
    expect(run.approval).toBeUndefined();
    expect(run.operatorActions).toEqual([
      { verb: 'approve', by: 'ana@laptop', at: '2026-11-30T10:00:00.000Z', step: -1, reason: 'looks fine' },
    ]);
    expect(t.endpoints.endpoints.get(ENDPOINT)?.trafficSplit).toEqual({ '111': 50, '222': 50 });
    expect(t.publisher.on(TOPICS.modelDeployed)).toEqual([{ runId: t.runId, step: 0 }]);
    expect(t.publisher.on(TOPICS.runEvents)).toEqual([
      expect.objectContaining({
        state: 'deployed',
        detail: expect.stringContaining('approved by ana@laptop (looks fine)'),
      }),
    ]);
  });

  it('approved before promoting, enters promoting (the promotion steps follow through awaitOperation)', async () => {
    const t = await setUp('{before: promote}', 0);
    expect((await t.state()).approval?.action).toBe('promote');
    await decideApproval(t.deps, t.runId, { verb: 'approve', by: 'ana' });
    expect((await t.state()).state).toBe('promoting');
    expect(t.publisher.on(TOPICS.operationPending)).toEqual([expect.objectContaining({ purpose: 'retire' })]);
  });

  it('rejected, gets the exact previous split back and its candidate undeployed, ends rejected', async () => {
    const t = await setUp();
    await decideApproval(t.deps, t.runId, { verb: 'reject', by: 'ana', reason: 'wrong labels' });
    const run = await t.state();
    expect(run.state).toBe('rolling-back');
    expect(run.reason).toBe('rejected by ana (wrong labels)');
    expect(t.endpoints.endpoints.get(ENDPOINT)?.trafficSplit).toEqual({ '111': 100 });
    expect(t.endpoints.endpoints.get(ENDPOINT)?.deployedModels.map((d) => d.id)).toEqual(['111']);
    expect(t.registry.aliases.get('m@2')).toContain('rejected');
    expect(t.publisher.on(TOPICS.operationPending)).toEqual([expect.objectContaining({ purpose: 'rollback' })]);
  });

  it.each(['approve', 'reject'] as const)('%s twice: the second changes nothing and says it was done', async (verb) => {
    const t = await setUp();
    await decideApproval(t.deps, t.runId, { verb, by: 'ana' });
    const first = await t.runs.get(t.runId);
    const published = t.publisher.messages.length;
    const calls = t.endpoints.calls.length;
    const again = await decideApproval(t.deps, t.runId, { verb, by: 'ana' });
    expect(again).toMatchObject({ result: 'not-waiting', already: { verb, by: 'ana' } });
    expect((await t.runs.get(t.runId))?.generation).toBe(first?.generation);
    expect(t.publisher.messages).toHaveLength(published);
    expect(t.endpoints.calls).toHaveLength(calls);
  });

  it('reject after approve is refused as not waiting, with no earlier reject to point at', async () => {
    const t = await setUp();
    await decideApproval(t.deps, t.runId, { verb: 'approve', by: 'ana' });
    expect(await decideApproval(t.deps, t.runId, { verb: 'reject', by: 'bo' })).toEqual({
      result: 'not-waiting',
      run: expect.objectContaining({ state: 'deployed' }),
    });
  });

  it('an unknown run is not found', async () => {
    const t = await setUp();
    expect(await decideApproval(t.deps, 'nope', { verb: 'approve', by: 'ana' })).toEqual({ result: 'not-found' });
  });
});

describe('the reconciler and approval timeouts', () => {
  it('logs the approval-overdue alert once past half the timeout, and never treats the wait as a stall', async () => {
    const t = await setUp('{before: each-step, timeout: 2h}');
    t.clock.advance(59 * 60_000);
    expect((await reconcile(t.deps)).overdue).toEqual([]);
    t.clock.advance(2 * 60_000);
    expect((await reconcile(t.deps)).overdue).toEqual([t.runId]);
    expect((await reconcile(t.deps)).overdue).toEqual([]);
    const alerts = t.log.lines.filter((l) => l.fields?.alert === 'approval-overdue');
    expect(alerts).toEqual([
      expect.objectContaining({ fields: { alert: 'approval-overdue', runId: t.runId, workflow: 'flowers' } }),
    ]);
    expect((await t.state()).state).toBe('awaiting-approval');
    expect(t.publisher.messages).toEqual([]);
  });

  it('rejects past the deadline by default, restoring the split', async () => {
    const t = await setUp('{before: each-step, timeout: 2h}');
    t.clock.advance(2 * HOUR);
    expect((await reconcile(t.deps)).timedOut).toEqual([t.runId]);
    const run = await t.state();
    expect(run.state).toBe('rolling-back');
    expect(run.operatorActions?.[0]).toMatchObject({ verb: 'reject', by: 'ferry reconciler (approval timeout)' });
    expect(t.endpoints.endpoints.get(ENDPOINT)?.trafficSplit).toEqual({ '111': 100 });
  });

  it('approves past the deadline when the workflow says onTimeout: approve', async () => {
    const t = await setUp('{before: each-step, timeout: 30m, onTimeout: approve}');
    t.clock.advance(31 * 60_000);
    expect((await reconcile(t.deps)).timedOut).toEqual([t.runId]);
    expect(await t.state()).toMatchObject({ state: 'deployed', step: 0 });
  });
});

describe('ferry abort', () => {
  it('mid-canary: restores the exact previous split, ends aborted, releases the endpoint', async () => {
    const t = await setUp();
    const result = await abortRun(t.deps, t.runId, { by: 'ana', reason: 'bad data' });
    expect(result.result).toBe('aborted');
    const run = await t.state();
    expect(run).toMatchObject({ state: 'aborted', outcome: 'aborted' });
    expect(run.operatorActions).toEqual([expect.objectContaining({ verb: 'abort', by: 'ana', reason: 'bad data' })]);
    expect(t.endpoints.endpoints.get(ENDPOINT)?.trafficSplit).toEqual({ '111': 100 });
    expect(t.endpoints.endpoints.get(ENDPOINT)?.deployedModels.map((d) => d.id)).toEqual(['111']);
    expect(await t.leases.get(leaseKey('flowers'))).toBeUndefined();
    expect(t.publisher.on(TOPICS.runEvents).at(-1)).toMatchObject({ state: 'aborted', outcome: 'aborted' });
  });

  it('twice: the second finds it ended and changes nothing', async () => {
    const t = await setUp();
    await abortRun(t.deps, t.runId, { by: 'ana' });
    const generation = (await t.runs.get(t.runId))?.generation;
    const published = t.publisher.messages.length;
    expect((await abortRun(t.deps, t.runId, { by: 'ana' })).result).toBe('already-ended');
    expect((await t.runs.get(t.runId))?.generation).toBe(generation);
    expect(t.publisher.messages).toHaveLength(published);
  });

  it('a run with no traffic yet ends aborted without touching the endpoint', async () => {
    const t = await setUp();
    const checked = sampleRun({ runId: 'flowers-3-def', state: 'checked' });
    await t.runs.create(checked);
    expect((await abortRun(t.deps, checked.runId, { by: 'ana' })).result).toBe('aborted');
    expect((await t.runs.get(checked.runId))?.value.state).toBe('aborted');
    expect(t.endpoints.calls).toEqual([]);
  });

  it.each([
    ['promoting', /being promoted.*ferry rollback flowers/],
    ['rolling-back', /already rolling back/],
  ] as const)('refuses a run that is %s', async (state, why) => {
    const t = await setUp();
    const run: RunRecord = sampleRun({ runId: 'flowers-4-ghi', state, workflow: 'flowers' });
    await t.runs.create(run);
    expect(await abortRun(t.deps, run.runId, { by: 'ana' })).toMatchObject({
      result: 'refused',
      why: expect.stringMatching(why),
    });
    expect((await t.runs.get(run.runId))?.value.state).toBe(state);
  });
});
