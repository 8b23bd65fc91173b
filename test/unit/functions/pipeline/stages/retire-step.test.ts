import { PortError } from '../../../../../functions/core/errors';
import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import type { OperationMessage } from '../../../../../functions/pipeline/messages';
import type { Predictor } from '../../../../../functions/pipeline/ports';
import { runStage } from '../../../../../functions/pipeline/run-stage';
import { AWAIT_DEFAULTS, awaitOperation } from '../../../../../functions/pipeline/stages/await-operation';
import { validatePredictionsStage } from '../../../../../functions/pipeline/stages/validate-predictions';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import { fixedClock, MemoryObjects, MemoryPublisher, MemoryRuns, silentLogger } from '../../../../helpers/memory-ports';
import { MemoryEndpoints, MemoryRegistry } from '../../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../../helpers/sample-run';

const ENDPOINT = 'projects/p/locations/l/endpoints/ferry-flowers';
const MODEL = 'projects/p/locations/l/models/9';
const CANDIDATE = '4444444444';
const workflows = new WorkflowSet([
  parseWorkflow(
    'name: flowers\nmatch: models/flowers/{version}/\nartifact: savedmodel\nmodel: {displayName: flowers}\nendpoint: {displayName: flowers}\nvalidation: {goldenSet: g.jsonl}\nrollout: {canaryPercent: 10, steps: [100], keepPrevious: 1}\n',
    'flowers.yaml',
  ),
]);

/** One golden example, answered right by the candidate. */
const golden = new MemoryObjects({ 'g.jsonl': '{"instance": {"x": [1]}, "expected": [2.5]}\n' });
const predictor: Predictor = {
  predict: async (_endpoint, instances) => ({ predictions: instances.map(() => [2.5]), deployedModelId: CANDIDATE }),
};

/**
 * The candidate at 100 % after its last step, beside the incumbent it replaced (`cur`, promoted),
 * a rejected leftover (`rej`) and an older promoted version (`old`): keepPrevious 1 keeps `cur`.
 */
async function setUp() {
  const clock = fixedClock();
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const log = silentLogger();
  const endpoints = new MemoryEndpoints();
  const registry = new MemoryRegistry();
  endpoints.operationPolls = 2;
  const deployed = [
    ['1111111111', '1', 'old', 'promoted'],
    ['2222222222', '2', 'cur', 'promoted'],
    ['3333333333', '3', 'rej', 'rejected'],
    [CANDIDATE, '4', 'flowers-7-abc', undefined],
  ] as const;
  endpoints.add({
    name: ENDPOINT,
    trafficSplit: { [CANDIDATE]: 100 },
    deployedModels: deployed.map(([id, versionId, runId]) => ({
      id,
      model: MODEL,
      modelVersionId: versionId,
      displayName: `ferry-${runId}`,
    })),
  });
  for (const [, , runId, outcome] of deployed)
    if (outcome) await runs.create(sampleRun({ runId, state: outcome, outcome }));
  await registry.mergeAliases(`${MODEL}@2`, ['default']);
  await registry.mergeAliases(`${MODEL}@4`, ['candidate']);
  const run: RunRecord = sampleRun({
    state: 'deployed',
    step: 0,
    model: { name: MODEL, versionId: '4', versionName: `${MODEL}@4`, servingImage: 'img' },
    endpoint: { name: ENDPOINT },
    deployment: {
      deployedModelId: CANDIDATE,
      previousSplit: { '2222222222': 100 },
      split: { [CANDIDATE]: 100 },
    },
  });
  await runs.create(run);
  const stage = { runs, publisher, clock, log };
  const validate = validatePredictionsStage(
    { endpoints, registry, clock, objects: golden, predictor, workflows, elapsedMs: () => 1, budgetMs: 300_000 },
    0,
  );
  /** Validates at 100 %, then delivers every operation message (twice: at-least-once) until none is left. */
  async function promoteAndFollow(): Promise<RunRecord> {
    await runStage(stage, run.runId, validate);
    let delivered = 0;
    for (let guard = 0; guard < 50; guard += 1) {
      const pending = publisher.on(TOPICS.operationPending).slice(delivered) as OperationMessage[];
      if (pending.length === 0) break;
      delivered += pending.length;
      for (const message of pending)
        for (const _copy of [1, 2])
          await awaitOperation({ ...stage, endpoints, registry, workflows, ...AWAIT_DEFAULTS }, message);
    }
    return (await runs.get(run.runId))!.value;
  }
  return { endpoints, registry, publisher, promoteAndFollow };
}

describe('promotion against an endpoint that runs one operation at a time', () => {
  it('moves default, then retires the rejected leftover and the surplus version one undeploy after another', async () => {
    const { endpoints, registry, promoteAndFollow } = await setUp();
    const run = await promoteAndFollow();
    expect(run.state).toBe('promoted');
    expect(registry.holder('default')).toBe(`${MODEL}@4`);
    expect(endpoints.calls).toEqual(['undeploy 3333333333', 'undeploy 1111111111']);
    expect((await endpoints.get(ENDPOINT)).deployedModels.map((d) => d.id)).toEqual(['2222222222', CANDIDATE]);
    expect(run.reason).toMatch(/default → .*models\/9@4.*retired 3333333333, 1111111111/);
  });

  it('never rolls back once default has moved: a refused undeploy ends promoted with a warning', async () => {
    const { endpoints, registry, promoteAndFollow } = await setUp();
    endpoints.refuseUndeploy.set('1111111111', new PortError('invalid', `${ENDPOINT}: refused`));
    const run = await promoteAndFollow();
    expect(run).toMatchObject({ state: 'promoted', outcome: 'promoted' });
    expect(run.reason).toMatch(/promoted.*retired 3333333333; 1111111111 still deployed .*undeploy refused: .*refused/);
    expect(registry.holder('default')).toBe(`${MODEL}@4`);
    expect(endpoints.calls.filter((c) => c.startsWith('setSplit'))).toEqual([]);
  });

  it('keeps going past an undeploy that fails, and names the leftover', async () => {
    const { endpoints, promoteAndFollow } = await setUp();
    endpoints.failUndeploy.set('3333333333', { code: 13, message: 'internal' });
    const run = await promoteAndFollow();
    expect(run.state).toBe('promoted');
    expect(endpoints.calls).toEqual(['undeploy 3333333333', 'undeploy 1111111111']);
    expect(run.reason).toMatch(/3333333333.*internal/);
  });
});
