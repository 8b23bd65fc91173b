import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { ownPubsub } from '../../emulators/local-cloud';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { until } from '../helpers/until';
import { putArtifact, readRun, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

const UNAVAILABLE = 14;
const WORKFLOW = 'stall';

describe('a dead-lettered stage message on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    const workflows = writeWorkflows({
      [WORKFLOW]: savedModelWorkflow(WORKFLOW, `goldenSet: golden/${WORKFLOW}.jsonl, minCandidateAnswers: 10`),
    });
    stack = await startLocalStack({
      workflowsDir: workflows,
      deployDurationMs: 20 * 60_000,
      timeScale: 0.0005,
      maxDeliveryAttempts: 5,
    });
    storage = stackStorage(stack);
    await put(`golden/${WORKFLOW}.jsonl`, exampleGoldenSet(0.5, 2));
  }, 60_000);
  afterAll(() => stack?.stop());

  const put = (name: string, contents: Uint8Array | string) =>
    putArtifact(storage, stack, name, contents, { createOnly: true });
  const drop = async (version: string) => {
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
      await put(`models/${WORKFLOW}/${version}/${path}`, bytes);
  };
  const runId = (version: string) => runIdOf(stack, WORKFLOW, version);
  const endpoint = () => stack.cloud.vertex.state().endpoints.find((e) => e.displayName === WORKFLOW);

  it('ends the run failed with the dead letter id, restores the previous split exactly, and lets the next version through', async () => {
    await drop('1');
    const v1 = await waitForRun(storage, stack.buckets.state, runId('1'), 90_000);
    expect(v1.state).toBe('promoted');
    const incumbent = v1.deployment!.deployedModelId;

    // v2's canary validates, but moving traffic on keeps failing: Vertex UpdateEndpoint is down.
    stack.cloud.vertex.faults.failNext('UpdateEndpoint', 100_000, UNAVAILABLE, 'The service is currently unavailable.');
    try {
      await drop('2');
      const canary = await until('v2 at its canary', async () => {
        const run = await readRun(storage, stack, runId('2'));
        return run?.state === 'deployed' ? run : undefined;
      });
      expect(endpoint()?.trafficSplit).toEqual({ [incumbent]: 90, [canary.deployment!.deployedModelId]: 10 });
      await drop('3'); // waits for the endpoint's turn behind v2
      const letter = await until('the dead letter of v2', () =>
        ownPubsub(stack.cloud)
          .deadLetters()
          .find((m) => m.sourceSubscription.endsWith('validatePredictions-trigger')),
      );
      expect(JSON.parse(letter.data.toString('utf8'))).toMatchObject({ runId: runId('2') });
    } finally {
      // The outage ends; onDeadLetter, retried through it, can now restore the split.
      stack.cloud.vertex.faults.reset();
    }
    const letterId = ownPubsub(stack.cloud).deadLetters()[0].messageId;
    const v2 = await waitForRun(storage, stack.buckets.state, runId('2'), 60_000);
    expect(v2).toMatchObject({ state: 'failed', outcome: 'failed', deadLetterId: letterId });
    expect(v2.reason).toContain(`dead letter ${letterId}`);
    expect(v2.timeline.find((t) => t.state === 'rolling-back')?.detail).toContain(
      `split restored to ${JSON.stringify({ [incumbent]: 100 })}`,
    );

    const v3 = await waitForRun(storage, stack.buckets.state, runId('3'), 90_000);
    expect(v3.state).toBe('promoted');
    // v3 found the split v2 found: restored exactly, with no trace of v2.
    expect(v3.deployment?.previousSplit).toEqual({ [incumbent]: 100 });
    expect(endpoint()?.deployedModels.map((d) => d.id)).not.toContain(v2.deployment?.deployedModelId);
    expect(endpoint()?.trafficSplit).toEqual({ [v3.deployment!.deployedModelId]: 100 });
  }, 240_000);

  it('runs the reconciler from its topic: a lease held by a run that does not exist is released', async () => {
    const lease = storage.bucket(stack.buckets.state).file('leases/orphan.json');
    await lease.save(JSON.stringify({ runId: 'no-such-run', since: new Date().toISOString() }), {
      resumable: false,
      preconditionOpts: { ifGenerationMatch: 0 },
    });
    const run = storage.bucket(stack.buckets.state).file('runs/orphan-run.json');
    const ended = { ...(await readRun(storage, stack, runId('1')))!, runId: 'orphan-run', workflow: 'orphan' };
    await run.save(JSON.stringify(ended), { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    await stack.reconcileNow();
    await until('the orphan lease to be released', async () => ((await lease.exists())[0] ? undefined : true));
  }, 60_000);
});
