import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import type { OperationMessage } from '../../../../../functions/pipeline/messages';
import { runStage } from '../../../../../functions/pipeline/run-stage';
import { AWAIT_DEFAULTS, awaitOperation } from '../../../../../functions/pipeline/stages/await-operation';
import { registerModelStage } from '../../../../../functions/pipeline/stages/register-model';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import { fixedClock, MemoryPublisher, MemoryRuns, silentLogger } from '../../../../helpers/memory-ports';
import { MemoryEndpoints, MemoryRegistry } from '../../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../../helpers/sample-run';

const workflows = new WorkflowSet([
  parseWorkflow(
    'name: flowers\nmatch: models/flowers/{version}/\nartifact: savedmodel\nmodel: {displayName: flowers}\nendpoint: {displayName: flowers}\nvalidation: {goldenSet: g.jsonl}\n',
    'flowers.yaml',
  ),
]);

/** An upload that takes longer than any one invocation: 40 polls of 10 s, over two 240 s budgets. */
const SLOW_UPLOAD_POLLS = 40;

describe('registerModel with an upload that outlasts the function', () => {
  it('records the operation, follows it through awaitOperation, and registers exactly one version', async () => {
    const clock = fixedClock();
    const runs = new MemoryRuns();
    const publisher = new MemoryPublisher();
    const deps = { runs, publisher, clock, log: silentLogger() };
    const registry = new MemoryRegistry();
    registry.uploadPolls = SLOW_UPLOAD_POLLS;
    await runs.create(sampleRun());
    const register = registerModelStage({ registry, workflows, clock });
    await runStage(deps, 'flowers-7-abc', register);
    const recorded = (await runs.get('flowers-7-abc'))?.value;
    expect(recorded).toMatchObject({ state: 'checked', pendingOperation: { kind: 'registering' } });
    // A retry of the stage (redelivery of savedmodel.ready) follows the upload instead of starting another.
    await runStage(deps, 'flowers-7-abc', register);
    expect(registry.uploads).toBe(1);
    const awaitDeps = { ...deps, endpoints: new MemoryEndpoints(), registry, workflows, ...AWAIT_DEFAULTS };
    let delivered = 0;
    for (let guard = 0; guard < 20; guard += 1) {
      const follows = publisher.on(TOPICS.operationPending).slice(delivered) as OperationMessage[];
      const resumes = publisher.on(TOPICS.savedModelReady);
      if (resumes.length > 0) break;
      delivered += follows.length;
      for (const message of follows) {
        expect(message).toMatchObject({ purpose: 'register', operation: recorded?.pendingOperation?.name });
        await awaitOperation(awaitDeps, message);
      }
    }
    expect(publisher.on(TOPICS.savedModelReady)).toEqual([{ runId: 'flowers-7-abc' }]);
    await runStage(deps, 'flowers-7-abc', register);
    const run = (await runs.get('flowers-7-abc'))?.value;
    expect(run).toMatchObject({ state: 'registered', model: { versionId: '1' } });
    expect(run?.pendingOperation).toBeUndefined();
    expect(registry.uploads).toBe(1);
    expect(registry.versions).toHaveLength(1);
    expect(publisher.on(TOPICS.modelRegistered)).toEqual([{ runId: 'flowers-7-abc' }]);
  });

  it('ends the run failed, naming the upload, when the operation fails', async () => {
    const clock = fixedClock();
    const runs = new MemoryRuns();
    const registry = new MemoryRegistry();
    registry.operation = async () => ({ done: true, error: { code: 3, message: 'bad container' } });
    await runs.create(sampleRun({ pendingOperation: { kind: 'registering', name: 'm/operations/1', startedAt: '' } }));
    const deps = { runs, publisher: new MemoryPublisher(), clock, log: silentLogger() };
    await runStage(deps, 'flowers-7-abc', registerModelStage({ registry, workflows, clock }));
    expect((await runs.get('flowers-7-abc'))?.value).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/UploadModel m\/operations\/1 failed: bad container \(code 3\)/),
    });
    expect(registry.uploads).toBe(0);
  });
});

describe('registerModel for a ferry retry attempt', () => {
  const setup = async () => {
    const clock = fixedClock();
    const runs = new MemoryRuns();
    const publisher = new MemoryPublisher();
    const registry = new MemoryRegistry();
    const deps = { runs, publisher, clock, log: silentLogger() };
    return { clock, runs, publisher, registry, deps, register: registerModelStage({ registry, workflows, clock }) };
  };

  it('reuses the version an earlier attempt registered: no upload, candidate again, rejected dropped', async () => {
    const { runs, publisher, registry, deps, register } = await setup();
    // Attempt 1 registered version 1, then its validation rejected it.
    await runs.create(sampleRun());
    await runStage(deps, 'flowers-7-abc', register);
    const first = (await runs.get('flowers-7-abc'))!.value.model!;
    await registry.mergeAliases(first.versionName, ['rejected', '-candidate']);
    await runs.create(sampleRun({ runId: 'flowers-7-abc-a2', attempt: 2, retryOf: 'flowers-7-abc', model: first }));

    await runStage(deps, 'flowers-7-abc-a2', register);
    const run = (await runs.get('flowers-7-abc-a2'))!.value;
    expect(run).toMatchObject({ state: 'registered', model: first });
    expect(run.timeline.at(-1)?.detail).toBe(
      `${first.versionName} (v7, candidate), reused from flowers-7-abc: nothing uploaded`,
    );
    expect(registry.uploads).toBe(1);
    expect(registry.versions).toHaveLength(1);
    expect(registry.aliases.get(first.versionName)).toEqual(['v7', 'candidate']);
    expect(publisher.on(TOPICS.modelRegistered)).toContainEqual({ runId: 'flowers-7-abc-a2' });
  });

  it('finds a version the retried attempt uploaded after it had failed, instead of uploading another', async () => {
    const { runs, registry, deps, register } = await setup();
    await registry.upload({
      displayName: 'flowers',
      artifactUri: 'gs://artifacts/models/flowers/7/',
      servingImage: 'img',
      labels: { ferry_run: 'flowers-7-abc' },
      aliases: ['v7'],
    });
    await runs.create(sampleRun({ runId: 'flowers-7-abc-a2', attempt: 2, retryOf: 'flowers-7-abc' }));
    await runStage(deps, 'flowers-7-abc-a2', register);
    expect((await runs.get('flowers-7-abc-a2'))!.value).toMatchObject({
      state: 'registered',
      model: { versionId: '1' },
    });
    expect(registry.uploads).toBe(1);
  });
});
