import { rollbackRun } from '../../../../../functions/core/rollout/rollback-run';
import { deployedModelIdFor } from '../../../../../functions/core/run/run-id';
import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import type { OperationMessage } from '../../../../../functions/pipeline/messages';
import { runStage } from '../../../../../functions/pipeline/run-stage';
import { AWAIT_DEFAULTS, awaitOperation } from '../../../../../functions/pipeline/stages/await-operation';
import { deployModelStage } from '../../../../../functions/pipeline/stages/deploy-model';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import { fixedClock, MemoryPublisher, MemoryRuns, silentLogger } from '../../../../helpers/memory-ports';
import { MemoryEndpoints, MemoryRegistry } from '../../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../../helpers/sample-run';

const ENDPOINT = 'projects/p/locations/l/endpoints/ferry-flowers';
const MODEL = 'projects/p/locations/l/models/9';
const workflows = new WorkflowSet([
  parseWorkflow(
    'name: flowers\nmatch: models/flowers/{version}/\nartifact: savedmodel\nmodel: {displayName: flowers}\nendpoint: {displayName: flowers}\nvalidation: {goldenSet: g.jsonl}\n',
    'flowers.yaml',
  ),
]);

const promoted = (version: string, minute: number): RunRecord =>
  sampleRun({
    runId: `flowers-${version}-abc`,
    version,
    root: `models/flowers/${version}/`,
    state: 'promoted',
    outcome: 'promoted',
    updatedAt: new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString(),
    model: { name: MODEL, versionId: version, versionName: `${MODEL}@${version}`, servingImage: 'img' },
  });

/** The stack of a rollback from v2 to v1: its ports, its run stored as the CLI creates it. */
async function setUp(deployed: Array<{ id: string; version: string; percent: number }>) {
  const clock = fixedClock();
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const endpoints = new MemoryEndpoints();
  const registry = new MemoryRegistry();
  await registry.mergeAliases(`${MODEL}@2`, ['default']);
  if (deployed.length)
    endpoints.add({
      name: ENDPOINT,
      trafficSplit: Object.fromEntries(deployed.map((d) => [d.id, d.percent])),
      deployedModels: deployed.map((d) => ({
        id: d.id,
        model: MODEL,
        modelVersionId: d.version,
        displayName: `ferry-${d.id}`,
      })),
    });
  const [v1, v2] = [promoted('1', 1), promoted('2', 2)];
  const run = rollbackRun({ target: v1, serving: v2, runs: [v1, v2], by: 'ana', now: clock.now() });
  await runs.create(run);
  const log = silentLogger();
  const deps = { runs, publisher, clock, log, endpoints, registry, workflows };
  const deploy = () => runStage(deps, run.runId, deployModelStage(deps));
  const stored = async () => (await runs.get(run.runId))!.value;
  const follow = async () => {
    const [message] = publisher.on(TOPICS.operationPending) as OperationMessage[];
    await awaitOperation({ ...deps, ...AWAIT_DEFAULTS, pollMs: 1000 }, message);
  };
  return { run, deps, endpoints, registry, publisher, deploy, stored, follow };
}

describe('deployModel for a rollback run', () => {
  it('gives a version still deployed 100 % at once, moves default, and ends rolled-back', async () => {
    const t = await setUp([
      { id: '111', version: '1', percent: 0 },
      { id: '222', version: '2', percent: 100 },
    ]);
    await t.deploy();
    const run = await t.stored();
    expect(run).toMatchObject({
      state: 'rolled-back',
      outcome: 'rolled-back',
      deployment: { deployedModelId: '111', previousSplit: { '111': 0, '222': 100 }, split: { '111': 100 } },
    });
    expect(run.timeline.at(-1)?.detail).toBe(
      `v1 (${MODEL}@1, deployed as 111) back at 100 %, default moved; previous split {"111":0,"222":100}`,
    );
    expect((await t.endpoints.get(ENDPOINT)).trafficSplit).toEqual({ '111': 100, '222': 0 });
    expect(t.endpoints.calls).toEqual(['setSplit {"111":100,"222":0}']);
    expect(t.registry.holder('default')).toBe(`${MODEL}@1`);
    // Nothing follows a run that has ended: no validation, no operation to follow.
    expect(t.publisher.on(TOPICS.operationPending)).toEqual([]);
    expect(t.publisher.on(TOPICS.modelDeployed)).toEqual([]);
  });

  it('deploys a version no longer deployed again at 100 %, then moves default once it is up', async () => {
    const t = await setUp([{ id: '222', version: '2', percent: 100 }]);
    await t.deploy();
    const id = deployedModelIdFor(t.run.runId);
    expect(await t.stored()).toMatchObject({
      state: 'deploying',
      deployment: { deployedModelId: id, previousSplit: { '222': 100 } },
    });
    expect(t.registry.holder('default')).toBe(`${MODEL}@2`);
    await t.follow();
    const run = await t.stored();
    expect(run).toMatchObject({ state: 'rolled-back', outcome: 'rolled-back' });
    expect(run.reason).toBe(
      `v1 (${MODEL}@1) deployed again as ${id}, back at 100 %, default moved; previous split {"222":100}`,
    );
    const endpoint = await t.endpoints.get(ENDPOINT);
    expect(endpoint.trafficSplit).toEqual({ [id]: 100 });
    // The version rolled back from stays deployed without traffic: retiring it is a promotion's job.
    expect(endpoint.deployedModels.map((d) => [d.id, d.modelVersionId])).toEqual([
      ['222', '2'],
      [id, '1'],
    ]);
    expect(t.registry.holder('default')).toBe(`${MODEL}@1`);
    expect(t.publisher.on(TOPICS.modelDeployed)).toEqual([]);
  });

  it('ends failed with the split unchanged when the DeployModel fails', async () => {
    const t = await setUp([{ id: '222', version: '2', percent: 100 }]);
    await t.deploy();
    t.endpoints.operation = async () => ({ done: true, error: { code: 8, message: 'quota exceeded' } });
    await t.follow();
    expect(await t.stored()).toMatchObject({
      state: 'failed',
      reason: 'DeployModel failed: quota exceeded (code 8); the previous traffic split is unchanged',
    });
    expect((await t.endpoints.get(ENDPOINT)).trafficSplit).toEqual({ '222': 100 });
    expect(t.registry.holder('default')).toBe(`${MODEL}@2`);
  });

  it('ends failed, saying why, when the endpoint is gone', async () => {
    const t = await setUp([]);
    await t.deploy();
    expect(await t.stored()).toMatchObject({
      state: 'failed',
      reason:
        'deployModel: the flowers endpoint (flowers) does not exist, so there is nothing to roll back; drop the version again to deploy it',
    });
  });

  it('does nothing for a duplicate of its message once the run has ended', async () => {
    const t = await setUp([
      { id: '111', version: '1', percent: 0 },
      { id: '222', version: '2', percent: 100 },
    ]);
    await t.deploy();
    const ended = await t.stored();
    await t.deploy();
    expect(await t.stored()).toEqual(ended);
    expect(t.endpoints.calls).toHaveLength(1);
  });
});
