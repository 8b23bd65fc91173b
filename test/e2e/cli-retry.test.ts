import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { runIdFor } from '../../functions/core/run/run-id';
import { ferryCli } from '../helpers/ferry-cli';
import { putArtifact, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

const INVALID_ARGUMENT = 3;
const WORKFLOW = 'again';

/**
 * `ferry retry` on the local stack: a run whose DeployModel Vertex refused once, retried, promotes
 * its one Model Registry version; a second retry changes nothing; a rejected run is retried only
 * with --force. The functions run in their own processes, as in Cloud Functions: the CLI closes
 * the adapters' clients it used, which must not be the functions' own.
 */
describe('ferry retry on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    const workflows = writeWorkflows({
      [WORKFLOW]: savedModelWorkflow(WORKFLOW, `goldenSet: golden/${WORKFLOW}.jsonl, minCandidateAnswers: 10`),
    });
    stack = await startLocalStack({ workflowsDir: workflows, timeScale: 0.0005, functionProcesses: true });
    storage = stackStorage(stack);
    await putArtifact(storage, stack, `golden/${WORKFLOW}.jsonl`, exampleGoldenSet(0.5, 2), { createOnly: true });
  }, 120_000);
  afterAll(() => stack?.stop());

  const cli = ferryCli;
  /** y = a*x + 2: the golden set expects a = 0.5, so any other slope is rejected. */
  const drop = async (version: string, a = 0.5) => {
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a, b: 2, numShards: 1 })))
      await putArtifact(storage, stack, `models/${WORKFLOW}/${version}/${path}`, bytes, { createOnly: true });
  };
  const attempt = (version: string, n: number) =>
    runIdFor(WORKFLOW, version, stack.buckets.artifacts, `models/${WORKFLOW}/${version}/`, n);
  const runCount = async () => (await storage.bucket(stack.buckets.state).getFiles({ prefix: 'runs/' }))[0].length;
  const versions = () =>
    stack.cloud.vertex.state().models.flatMap((m) => m.versions.filter((v) => v.labels.ferry_workflow === WORKFLOW));
  const end = (runId: string) => waitForRun(storage, stack.buckets.state, runId, 90_000);

  it('retries a failed run into a promotion of the same version; a second retry changes nothing', async () => {
    // Vertex refuses the first DeployModel (a permanent error): the run ends failed, registered.
    stack.cloud.vertex.faults.failNext('DeployModel', 1, INVALID_ARGUMENT, 'machine type not available');
    await drop('1');
    const first = await end(runIdOf(stack, WORKFLOW, '1'));
    expect(first).toMatchObject({ state: 'failed', model: { versionId: '1' } });
    expect(first.reason).toContain('machine type not available');

    const retried = await cli('retry', first.runId, '--reason', 'quota raised');
    expect(retried).toMatchObject({ code: 0, err: '' });
    const second = attempt('1', 2);
    expect(retried.out).toBe(
      `${second}: attempt 2 of ${first.runId} started (checked)\nfollow it with: ferry status ${second}`,
    );
    const promoted = await end(second);
    expect(promoted).toMatchObject({
      state: 'promoted',
      attempt: 2,
      retryOf: first.runId,
      model: first.model,
      operatorActions: [{ verb: 'retry', reason: 'quota raised' }],
    });
    expect(promoted.timeline[0].detail).toMatch(
      new RegExp(`^attempt 2 of models/${WORKFLOW}/1/, retrying ${first.runId} \\(failed\\) by \\S+: quota raised$`),
    );
    expect(promoted.timeline.find((t) => t.state === 'registered')?.detail).toContain('nothing uploaded');
    // One Model Registry version for the artifact, now the default.
    expect(versions()).toHaveLength(1);
    expect(versions()[0].versionAliases).toEqual(expect.arrayContaining(['default', 'v1']));

    // Twice in a row: the second finds attempt 2 and changes nothing.
    const runs = await runCount();
    const again = await cli('retry', first.runId);
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toBe(
      `${first.runId} was already retried: attempt 2 is ${second} (promoted); nothing new started\nfollow it with: ferry status ${second}`,
    );
    expect(await runCount()).toBe(runs);
    expect(await end(second)).toEqual(promoted);

    // A promoted run has nothing to retry.
    const done = await cli('retry', second);
    expect(done.code).toBe(1);
    expect(done.err).toBe(`run ${second}: promoted: nothing to retry (to put an earlier version back: ferry rollback)`);
    const unknown = await cli('retry', 'no-such-run');
    expect(unknown).toMatchObject({
      code: 1,
      err: 'no run no-such-run: list the runs with ferry status (--state failed)',
    });
  }, 240_000);

  it('retries a rejected run only with --force, and its gates judge the same version again', async () => {
    await drop('2', 3);
    const rejected = await end(runIdOf(stack, WORKFLOW, '2'));
    expect(rejected.state).toBe('rejected');
    const runs = await runCount();

    const refused = await cli('retry', rejected.runId);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      new RegExp(
        `^run ${rejected.runId}: rejected \\(.*\\): its gates judged it; retry with --force to deploy it again anyway$`,
      ),
    );
    expect(await runCount()).toBe(runs);

    const forced = await cli('retry', rejected.runId, '--force');
    expect(forced.code).toBe(0);
    const again = await end(attempt('2', 2));
    expect(again).toMatchObject({ state: 'rejected', attempt: 2, model: rejected.model });
    expect(again.timeline.map((t) => t.state)).toEqual(expect.arrayContaining(['deployed', 'rolling-back']));
    expect(versions()).toHaveLength(2);
    expect(versions().find((v) => v.versionId === rejected.model!.versionId)?.versionAliases).toContain('rejected');
  }, 240_000);
});
