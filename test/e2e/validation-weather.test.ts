import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { putArtifact, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

/** gRPC RESOURCE_EXHAUSTED: what Vertex answers for HTTP 429 (quota). */
const RESOURCE_EXHAUSTED = 8;
/** Predict calls that fail before the endpoint answers again; all fall in the canary's sample. */
const THROTTLED_CALLS = 3;

/** A workflow that tolerates no candidate error at all: one 429 counted against it would reject it. */
function workflowsDir(): string {
  return writeWorkflows({
    weather: savedModelWorkflow(
      'weather',
      'goldenSet: golden/weather.jsonl, minCandidateAnswers: 10, gates: { maxErrorRate: 0 }',
    ),
  });
}

describe('validation on the local stack, in bad weather', () => {
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    stack = await startLocalStack({ workflowsDir: workflowsDir(), deployDurationMs: 60_000, timeScale: 0.0005 });
    storage = stackStorage(stack);
  }, 60_000);
  afterAll(() => stack?.stop());

  const put = (name: string, contents: Uint8Array | string) => putArtifact(storage, stack, name, contents);

  it('promotes a good model whose canary met 429s from Predict, with maxErrorRate 0', async () => {
    await put('golden/weather.jsonl', exampleGoldenSet(0.5, 2));
    stack.cloud.vertex.faults.failNext('Predict', THROTTLED_CALLS, RESOURCE_EXHAUSTED, 'Quota exceeded.');
    const calls = () => stack.cloud.vertex.state().calls.Predict ?? 0;
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
      await put(`models/weather/1/${path}`, bytes);
    const run = await waitForRun(storage, stack.buckets.state, runIdOf(stack, 'weather', '1'), 90_000);
    expect(calls()).toBeGreaterThan(THROTTLED_CALLS);
    expect(run.state).toBe('promoted');
    expect(run.decisions?.[0]).toMatchObject({ passed: true, failedRequests: 0, transportErrors: THROTTLED_CALLS });
    expect(run.decisions?.every((d) => d.failedRequests === 0)).toBe(true);
  });
});
