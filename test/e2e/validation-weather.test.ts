import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { runIdFor } from '../../functions/core/run/run-id';

/** gRPC RESOURCE_EXHAUSTED: what Vertex answers for HTTP 429 (quota). */
const RESOURCE_EXHAUSTED = 8;
/** Predict calls that fail before the endpoint answers again; all fall in the canary's sample. */
const THROTTLED_CALLS = 3;

/** A workflow that tolerates no candidate error at all: one 429 counted against it would reject it. */
function workflowsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-workflows-'));
  writeFileSync(
    join(dir, 'weather.yaml'),
    [
      'name: weather',
      'match: models/weather/{version}/',
      'artifact: savedmodel',
      'model: { displayName: weather }',
      'endpoint: { displayName: weather }',
      'validation: { goldenSet: golden/weather.jsonl, minCandidateAnswers: 10, gates: { maxErrorRate: 0 } }',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('validation on the local stack, in bad weather', () => {
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    stack = await startLocalStack({ workflowsDir: workflowsDir(), deployDurationMs: 60_000, timeScale: 0.0005 });
    storage = new Storage({ apiEndpoint: stack.cloud.storage.url, projectId: stack.cloud.projectId });
  }, 60_000);
  afterAll(() => stack?.stop());

  const put = (name: string, contents: Uint8Array | string) =>
    storage
      .bucket(stack.buckets.artifacts)
      .file(name)
      .save(typeof contents === 'string' ? contents : Buffer.from(contents), { resumable: false });

  it('promotes a good model whose canary met 429s from Predict, with maxErrorRate 0', async () => {
    await put('golden/weather.jsonl', exampleGoldenSet(0.5, 2));
    stack.cloud.vertex.faults.failNext('Predict', THROTTLED_CALLS, RESOURCE_EXHAUSTED, 'Quota exceeded.');
    const calls = () => stack.cloud.vertex.state().calls.Predict ?? 0;
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
      await put(`models/weather/1/${path}`, bytes);
    const root = 'models/weather/1/';
    const run = await waitForRun(
      storage,
      stack.buckets.state,
      runIdFor('weather', '1', stack.buckets.artifacts, root),
      90_000,
    );
    expect(calls()).toBeGreaterThan(THROTTLED_CALLS);
    expect(run.state).toBe('promoted');
    expect(run.decisions?.[0]).toMatchObject({ passed: true, failedRequests: 0, transportErrors: THROTTLED_CALLS });
    expect(run.decisions?.every((d) => d.failedRequests === 0)).toBe(true);
  });
});
