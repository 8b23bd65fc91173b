import type { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { putArtifact, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

/** Wall-clock ms per virtual ms on this stack. */
const TIME_SCALE = 0.001;
/** How long awaitOperation follows an operation per invocation before handing it on. */
const AWAIT_BUDGET_MS = 300;
/** Virtual durations: each outlasts several invocations' budgets (2 s and 1 s of wall-clock time). */
const UPLOAD_VIRTUAL_MS = 2000 / TIME_SCALE;
const CREATE_ENDPOINT_VIRTUAL_MS = 1000 / TIME_SCALE;

/**
 * UploadModel and CreateEndpoint can outlast a 300 s function; ferry hands them to awaitOperation
 * as it does DeployModel, so a slow upload is followed, never uploaded again.
 */
describe('slow Vertex operations on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    const dir = writeWorkflows({
      slow: savedModelWorkflow('slow', 'goldenSet: golden/slow.jsonl, minCandidateAnswers: 10'),
    });
    stack = await startLocalStack({
      workflowsDir: dir,
      timeScale: TIME_SCALE,
      awaitBudgetMs: AWAIT_BUDGET_MS,
      awaitPollMs: 50,
    });
    stack.cloud.vertex.setOperationDuration('UploadModel', UPLOAD_VIRTUAL_MS);
    stack.cloud.vertex.setOperationDuration('CreateEndpoint', CREATE_ENDPOINT_VIRTUAL_MS);
    storage = stackStorage(stack);
  }, 60_000);
  afterAll(() => stack?.stop());

  const put = (name: string, contents: Uint8Array | string) =>
    putArtifact(storage, stack, name, contents, { createOnly: true });

  it('follows an upload and an endpoint creation longer than the budget, leaving exactly one version', async () => {
    await put('golden/slow.jsonl', exampleGoldenSet(0.5, 2));
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
      await put(`models/slow/1/${path}`, bytes);
    const runId = runIdOf(stack, 'slow', '1');
    const run = await waitForRun(storage, stack.buckets.state, runId, 90_000);
    expect(run.state).toBe('promoted');
    const details = run.timeline.map((t) => t.detail ?? '');
    expect(details).toContainEqual(expect.stringMatching(/^UploadModel .* still running; following it$/));
    expect(details).toContainEqual(expect.stringMatching(/^CreateEndpoint .* still running; following it$/));
    const state = stack.cloud.vertex.state();
    expect(state.models.flatMap((m) => m.versions).filter((v) => v.labels.ferry_run === runId)).toHaveLength(1);
    expect(state.calls.UploadModel).toBe(1);
    expect(state.calls.CreateEndpoint).toBe(1);
  });
});
