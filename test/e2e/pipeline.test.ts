import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { ownPubsub } from '../../emulators/local-cloud';
import { seededRandom } from '../../emulators/random';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import type { RunRecord } from '../../functions/core/run/run-record';
import { putArtifact, readRun, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

/** One workflow per scenario, so each has its own model and endpoint. */
const SCENARIOS = [
  'order',
  'late',
  'wide',
  'flaky',
  'invalid',
  'crash',
  'badgolden',
  'nogolden',
  'beside',
  'queue',
  'crashdeploy',
  'twins',
  'lonely',
];

function workflowsDir(): string {
  return writeWorkflows(
    Object.fromEntries(
      SCENARIOS.map((name) => {
        const goldenSet = name === 'beside' ? './golden.jsonl' : `golden/${name}.jsonl`;
        return [name, savedModelWorkflow(name, `goldenSet: ${goldenSet}, minCandidateAnswers: 10`)];
      }),
    ),
  );
}

/** The longest a test waits for the stack to have nothing on its way (a bound for a hang, not a window). */
const SETTLE_MS = 240_000;

// A run may take up to runOf's 90 s on a loaded machine (the first one also warms every client
// up); the 30 s default would cut it short. A bound for a hang, not a window anything waits out.
jest.setTimeout(120_000);

describe('the pipeline on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    stack = await startLocalStack({
      workflowsDir: workflowsDir(),
      deployDurationMs: 20 * 60_000,
      timeScale: 0.0005,
      maxDeliveryAttempts: 5,
    });
    storage = stackStorage(stack);
    for (const name of SCENARIOS.filter((n) => n !== 'nogolden' && n !== 'beside'))
      await put(
        `golden/${name}.jsonl`,
        name === 'badgolden' ? '{"instance": {"x": [1]}, "expected": [2.5]}\n{"instance": ' : exampleGoldenSet(0.5, 2),
      );
  }, 60_000);
  afterAll(() => stack?.stop());

  // Each test starts on a quiet stack and ends with nothing parked on the dead-letter topic by its
  // own runs: checked once every delivery it caused has been answered, so a letter would be there.
  // Settling after the 250-shard test takes its 250 file events; on a busy machine that can be a minute.
  let deadLettersBefore = 0;
  beforeEach(async () => {
    await stack.settled(SETTLE_MS);
    deadLettersBefore = stack.deadLetters().length;
  }, SETTLE_MS + 10_000);
  afterEach(async () => {
    await stack.settled(SETTLE_MS);
    expect(stack.deadLetters().slice(deadLettersBefore)).toEqual([]);
  }, SETTLE_MS + 10_000);

  const put = (name: string, contents: Uint8Array | string) =>
    putArtifact(storage, stack, name, contents, { createOnly: true });
  const files = (numShards: number, extra?: { count: number; elements: number }, b = 2) =>
    Object.entries(writeExampleSavedModel({ a: 0.5, b, numShards, extraVariables: extra }));
  const runOf = (name: string, version = '1', timeoutMs = 90_000) =>
    waitForRun(storage, stack.buckets.state, runIdOf(stack, name, version), timeoutMs);
  /** The run record, or undefined when no run has started for this version. */
  const runRecordOf = (name: string) => readRun(storage, stack, runIdOf(stack, name, '1'));
  /** What onArtifact recorded as still missing from a SavedModel folder (undefined: no record). */
  const missingFrom = async (name: string) => {
    const file = storage.bucket(stack.buckets.state).file(`pending/${runIdOf(stack, name, '1')}.json`);
    const [exists] = await file.exists();
    return exists
      ? (JSON.parse((await file.download())[0].toString('utf8')) as { missing: string[] }).missing
      : undefined;
  };
  const versionsLabelled = (runId: string) =>
    stack.cloud.vertex
      .state()
      .models.flatMap((m) => m.versions)
      .filter((v) => v.labels.ferry_run === runId);

  it('starts one run from duplicated, out-of-order finalize events', async () => {
    stack.cloud.storage.faults.duplicateNext('push', 3);
    const all = files(2);
    for (const [path, bytes] of [...all].reverse()) await put(`models/order/1/${path}`, bytes);
    const run = await runOf('order');
    await stack.settled(); // every duplicate has been handled: a second run or version would show now
    expect(run.state).toBe('promoted');
    expect(versionsLabelled(run.runId)).toHaveLength(1);
    expect(run.timeline.filter((t) => t.state === 'checked')).toHaveLength(1);
  });

  it('works once when every stage message is delivered twice at the same moment', async () => {
    const calls = () => ({ ...stack.cloud.vertex.state().calls });
    const before = calls();
    ownPubsub(stack.cloud).faults.duplicateNext('push', 1000);
    try {
      for (const [path, bytes] of files(1)) await put(`models/twins/1/${path}`, bytes);
      const run = await runOf('twins');
      await stack.settled(); // both copies of every message answered: a second call would be counted
      expect(run.state).toBe('promoted');
      expect(versionsLabelled(run.runId)).toHaveLength(1);
      expect(run.timeline.map((t) => t.state).filter((s) => s === 'registered' || s === 'deploying')).toEqual([
        'registered',
        'deploying',
      ]);
      const after = calls();
      expect((after.UploadModel ?? 0) - (before.UploadModel ?? 0)).toBe(1);
      expect((after.DeployModel ?? 0) - (before.DeployModel ?? 0)).toBe(1);
      expect(stack.cloud.vertex.state().endpoints.find((e) => e.displayName === 'twins')?.deployedModels).toHaveLength(
        1,
      );
    } finally {
      ownPubsub(stack.cloud).faults.reset();
    }
  });

  it('rolls back a bad first version on an empty endpoint by undeploying it: no traffic left on it', async () => {
    for (const [path, bytes] of files(1, undefined, 3)) await put(`models/lonely/1/${path}`, bytes);
    const run = await runOf('lonely');
    expect(run.state).toBe('rejected');
    expect(run.timeline.find((t) => t.state === 'rolling-back')?.detail).toMatch(
      /split restored to no traffic \(it was the first model\)/,
    );
    const endpoint = stack.cloud.vertex.state().endpoints.find((e) => e.displayName === 'lonely');
    expect(endpoint).toMatchObject({ deployedModels: [], trafficSplit: {} });
  });

  it('waits for shards that arrive last, then starts once', async () => {
    const all = files(2);
    const isAnchor = ([path]: [string, unknown]) => path === 'saved_model.pb' || path === 'variables/variables.index';
    const shards = all.filter((file) => !isAnchor(file));
    for (const [path, bytes] of all.filter(isAnchor)) await put(`models/late/1/${path}`, bytes);
    // Both events have been handled: onArtifact recorded the missing shards and started nothing.
    await stack.settled();
    expect(await missingFrom('late')).toEqual(shards.map(([path]) => path));
    expect(await runRecordOf('late')).toBeUndefined();
    for (const [path, bytes] of shards) await put(`models/late/1/${path}`, bytes);
    expect((await runOf('late')).state).toBe('promoted');
  });

  // 250 shards on the whole stack; 1,000 run through onArtifact's unit test and the fan-in bench.
  // At 1,000, two busy loops on 2 cores starve the local emulators until events run out of
  // deliveries (5 here, where Eventarc retries for 24 h): a test of the machine, not of ferry.
  it('promotes a SavedModel of 250 shards uploaded in random order', async () => {
    const all = files(250, { count: 249, elements: 1 });
    const random = seededRandom(7);
    all.sort(() => random() - 0.5);
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = worker; i < all.length; i += 8) await put(`models/wide/1/${all[i][0]}`, all[i][1]);
      }),
    );
    const run = await runOf('wide', '1', 280_000);
    expect(run.state).toBe('promoted');
    expect((run.inspection?.variables as { shards: number }).shards).toBe(250);
  }, 300_000);

  it('retries a deployment through Vertex UNAVAILABLE and still promotes', async () => {
    stack.cloud.vertex.faults.failNext('DeployModel', 2, 14, 'The service is currently unavailable.');
    for (const [path, bytes] of files(1)) await put(`models/flaky/1/${path}`, bytes);
    const run = await runOf('flaky');
    expect(run.state).toBe('promoted');
    expect(stack.cloud.vertex.state().endpoints.find((e) => e.displayName === 'flaky')?.deployedModels).toHaveLength(1);
  });

  it('fails a run on INVALID_ARGUMENT without a retry storm', async () => {
    const before = stack.cloud.vertex.state().calls.UploadModel ?? 0;
    stack.cloud.vertex.faults.failNext(
      'UploadModel',
      1,
      3,
      'List of found errors: 1.Field: model.container_spec.image_uri; Message: Invalid image.',
    );
    for (const [path, bytes] of files(1)) await put(`models/invalid/1/${path}`, bytes);
    const run = await runOf('invalid');
    expect(run).toMatchObject({ state: 'failed', outcome: 'failed' });
    expect(run.reason).toMatch(/registerModel: .*INVALID_ARGUMENT.*image_uri/);
    // The failing delivery has been answered and nothing is queued: a retry would have called by now.
    await stack.settled();
    expect((stack.cloud.vertex.state().calls.UploadModel ?? 0) - before).toBe(1);
  });

  it('registers once when the state write after UploadModel fails (a crash between the call and the write)', async () => {
    // The stage is held at MergeVersionAliases, after UploadModel and before its run record write.
    const merge = stack.cloud.vertex.faults.hold('MergeVersionAliases');
    try {
      for (const [path, bytes] of files(1)) await put(`models/crash/1/${path}`, bytes);
      await merge.reached;
      expect(
        stack.cloud.vertex.state().models.flatMap((m) => m.versions.filter((v) => v.labels.ferry_workflow === 'crash')),
      ).toHaveLength(1);
      // No other storage writer is left (every file event answered), so the next insert is the run
      // record write: it fails as if the function died there (enough 503s that the Storage
      // client's own retries give up, so the stage throws).
      await stack.cloud.storage.idle();
      stack.cloud.storage.faults.failNext('objects.insert', 5, 503);
    } finally {
      merge.release();
    }
    const run = await runOf('crash');
    expect(run.state).toBe('promoted');
    expect(versionsLabelled(run.runId)).toHaveLength(1);
    expect(run.timeline.find((t) => t.state === 'registered')?.detail).toMatch(/found from an earlier attempt/);
  }, 60_000);

  it('deploys once when the state write after DeployModel fails (a crash between the call and the write)', async () => {
    const before = stack.cloud.vertex.state().calls.DeployModel ?? 0;
    const redelivered = ownPubsub(stack.cloud).counters().redelivered;
    const deploy = stack.cloud.vertex.faults.hold('DeployModel');
    try {
      for (const [path, bytes] of files(1)) await put(`models/crashdeploy/1/${path}`, bytes);
      await deploy.reached;
      // DeployModel has arrived and will start the deployment once released; with every file event
      // answered, the next insert is the run record write after it, and it fails.
      expect((stack.cloud.vertex.state().calls.DeployModel ?? 0) - before).toBe(1);
      await stack.cloud.storage.idle();
      stack.cloud.storage.faults.failNext('objects.insert', 5, 503);
    } finally {
      deploy.release();
    }
    const run = await runOf('crashdeploy');
    expect(run.state).toBe('promoted');
    // The deploy stage failed after DeployModel and was delivered again; the retry found the
    // deployment by its run-derived id instead of deploying a second copy.
    expect(ownPubsub(stack.cloud).counters().redelivered).toBeGreaterThan(redelivered);
    const endpoint = stack.cloud.vertex.state().endpoints.find((e) => e.displayName === 'crashdeploy');
    expect(endpoint?.deployedModels.map((d) => d.id)).toEqual([run.deployment?.deployedModelId]);
  }, 60_000);

  it('rejects an artifact whose golden set does not parse, naming the file and line, before deploying', async () => {
    for (const [path, bytes] of files(1)) await put(`models/badgolden/1/${path}`, bytes);
    const run = await runOf('badgolden');
    await stack.settled(); // a registration, had one been started, would have happened by now
    expect(run.state).toBe('rejected');
    expect(run.reason).toMatch(/gs:\/\/ferry-artifacts\/golden\/badgolden\.jsonl: line 2: not JSON/);
    expect(
      stack.cloud.vertex.state().models.some((m) => m.versions.some((v) => v.labels.ferry_workflow === 'badgolden')),
    ).toBe(false);
  });

  it('rejects an artifact whose golden set is missing, before deploying', async () => {
    for (const [path, bytes] of files(1)) await put(`models/nogolden/1/${path}`, bytes);
    const run: RunRecord = await runOf('nogolden');
    expect(run.state).toBe('rejected');
    expect(run.reason).toMatch(/golden\/nogolden\.jsonl: golden set not found/);
  });

  it('waits for a golden set kept beside the model (a training job writes it last)', async () => {
    for (const [path, bytes] of files(2)) await put(`models/beside/1/${path}`, bytes);
    await stack.settled(); // every file event handled: the folder waits for its golden set, no run
    expect(await missingFrom('beside')).toEqual(['golden.jsonl']);
    expect(await runRecordOf('beside')).toBeUndefined();
    await put('models/beside/1/golden.jsonl', exampleGoldenSet(0.5, 2));
    expect((await runOf('beside')).state).toBe('promoted');
  });

  it('rolls out two versions dropped at once one after the other on their endpoint', async () => {
    await Promise.all(
      ['1', '2'].map(async (version) => {
        for (const [path, bytes] of files(1)) await put(`models/queue/${version}/${path}`, bytes);
      }),
    );
    const [first, second] = await Promise.all([runOf('queue', '1'), runOf('queue', '2')]);
    expect([first.state, second.state]).toEqual(['promoted', 'promoted']);
    const [earlier, later] =
      Date.parse(first.updatedAt) < Date.parse(second.updatedAt) ? [first, second] : [second, first];
    // The later run deployed only once the earlier one had ended, against the split it left.
    expect(Date.parse(later.timeline.find((t) => t.state === 'deploying')?.at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(earlier.updatedAt),
    );
    expect(later.deployment?.previousSplit).toEqual({ [earlier.deployment?.deployedModelId as string]: 100 });
  });
});
