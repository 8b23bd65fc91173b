import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { deployedModelIdFor } from '../../functions/core/run/run-id';
import type { RunState } from '../../functions/core/run/run-record';
import { ferryCli } from '../helpers/ferry-cli';
import { until } from '../helpers/until';
import { putArtifact, readRun, runIdOf, stackStorage, writeWorkflows } from '../helpers/stack-io';

const WORKFLOW = 'gated';

/**
 * The operator's verbs on the local stack, through `ferry approve|reject|abort` as a person runs
 * them: a workflow with `approval: {before: promote}` stops each candidate at awaiting-approval
 * with its canary serving; approve promotes, reject and abort restore the exact previous split;
 * each verb run twice changes nothing the second time.
 */
describe('ferry approve, reject and abort on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    process.env.FERRY_OPERATOR = 'ana@ops';
    const workflows = writeWorkflows({
      [WORKFLOW]: [
        `name: ${WORKFLOW}`,
        `match: models/${WORKFLOW}/{version}/`,
        'artifact: savedmodel',
        `model: { displayName: ${WORKFLOW} }`,
        `endpoint: { displayName: ${WORKFLOW} }`,
        'approval: { before: promote, timeout: 24h }',
        `validation: { goldenSet: golden/${WORKFLOW}.jsonl, minCandidateAnswers: 10 }`,
        '',
      ].join('\n'),
    });
    stack = await startLocalStack({ workflowsDir: workflows, timeScale: 0.0005 });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    storage = stackStorage(stack);
    await putArtifact(storage, stack, `golden/${WORKFLOW}.jsonl`, exampleGoldenSet(0.5, 2), { createOnly: true });
  }, 60_000);
  afterAll(async () => {
    delete process.env.FERRY_OPERATOR;
    delete process.env.FERRY_ARTIFACTS_BUCKET;
    await stack?.stop();
  });

  const cli = ferryCli;
  const drop = async (version: string) => {
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
      await putArtifact(storage, stack, `models/${WORKFLOW}/${version}/${path}`, bytes, { createOnly: true });
    return runIdOf(stack, WORKFLOW, version);
  };
  const reach = (runId: string, state: RunState) =>
    until(`${runId} ${state}`, async () => {
      const run = await readRun(storage, stack, runId);
      return run?.state === state ? run : undefined;
    });
  const endpoint = () => stack.cloud.vertex.state().endpoints.find((e) => e.displayName === WORKFLOW)!;
  const generation = async (runId: string) =>
    (await storage.bucket(stack.buckets.state).file(`runs/${runId}.json`).getMetadata())[0].generation;
  const dep = deployedModelIdFor;

  it('approve: a first model waits at awaiting-approval, then is promoted; approving again changes nothing', async () => {
    const v1 = await drop('1');
    const waiting = await reach(v1, 'awaiting-approval');
    expect(waiting.timeline.at(-1)?.detail).toContain(`ferry approve ${v1}`);
    expect(endpoint().trafficSplit).toEqual({ [dep(v1)]: 100 });

    const approved = await cli('approve', v1, '--reason', 'first model, checked by hand');
    expect(approved).toMatchObject({ code: 0, err: '' });
    expect(approved.out).toContain(`run ${v1} approved by ana@ops: promoting it`);
    const promoted = await reach(v1, 'promoted');
    expect(promoted.operatorActions).toEqual([
      expect.objectContaining({ verb: 'approve', by: 'ana@ops', reason: 'first model, checked by hand' }),
    ]);

    const before = await generation(v1);
    const again = await cli('approve', v1);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`run ${v1} was already approved by ana@ops`);
    expect(await generation(v1)).toBe(before);
  });

  it('reject: the canary serves while it waits; rejecting restores the exact previous split', async () => {
    const v1 = runIdOf(stack, WORKFLOW, '1');
    const v2 = await drop('2');
    await reach(v2, 'awaiting-approval');
    expect(endpoint().trafficSplit).toEqual({ [dep(v1)]: 90, [dep(v2)]: 10 });

    const noReason = await cli('reject', v2);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('--reason');

    const rejected = await cli('reject', v2, '--reason', 'labels look wrong');
    expect(rejected).toMatchObject({ code: 0, err: '' });
    const ended = await reach(v2, 'rejected');
    expect(ended.reason).toBe('rejected by ana@ops (labels look wrong)');
    expect(endpoint().trafficSplit).toEqual({ [dep(v1)]: 100 });
    await until('the candidate undeployed', () => endpoint().deployedModels.length === 1);

    const before = await generation(v2);
    const again = await cli('reject', v2, '--reason', 'again');
    expect(again.code).toBe(0);
    expect(again.out).toContain('was already rejected by ana@ops');
    expect(await generation(v2)).toBe(before);
    const approveNow = await cli('approve', v2);
    expect(approveNow.code).toBe(1);
    expect(approveNow.err).toBe(`run ${v2} is rejected, not awaiting approval: there is nothing to approve`);
  });

  it('abort: mid-canary, restores the split and frees the endpoint for the next version; aborting again changes nothing', async () => {
    const v1 = runIdOf(stack, WORKFLOW, '1');
    const v3 = await drop('3');
    await reach(v3, 'awaiting-approval');
    expect(endpoint().trafficSplit).toEqual({ [dep(v1)]: 90, [dep(v3)]: 10 });

    const aborted = await cli('abort', v3, '--reason', 'wrong data snapshot');
    expect(aborted).toMatchObject({ code: 0, err: '' });
    expect(aborted.out).toContain(`run ${v3} aborted by ana@ops; split restored to {"${dep(v1)}":100}`);
    const run = await reach(v3, 'aborted');
    expect(run.outcome).toBe('aborted');
    expect(endpoint().trafficSplit).toEqual({ [dep(v1)]: 100 });

    const before = await generation(v3);
    const again = await cli('abort', v3);
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toBe(`run ${v3} has already ended aborted; nothing changed`);
    expect(await generation(v3)).toBe(before);

    // The endpoint's turn was released: the next version deploys, waits, and is approved.
    const v4 = await drop('4');
    await reach(v4, 'awaiting-approval');
    expect((await cli('approve', v4)).code).toBe(0);
    await reach(v4, 'promoted');
    expect(endpoint().trafficSplit).toMatchObject({ [dep(v4)]: 100 });
  });

  it('names what it cannot act on', async () => {
    const unknown = await cli('approve', 'no-such-run');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no run no-such-run');
    const promoted = await cli('abort', runIdOf(stack, WORKFLOW, '4'));
    expect(promoted.out).toContain('has already ended promoted; nothing changed');
    const usage = await cli('approve');
    expect(usage.code).toBe(2);
  });

  it('ferry status shows a SavedModel still waiting for a shard, with what it waits for', async () => {
    const files = writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2 });
    const lacking = Object.keys(files).find((path) => path.includes('data-00001-of-00002'))!;
    for (const [path, bytes] of Object.entries(files))
      if (path !== lacking)
        await putArtifact(storage, stack, `models/${WORKFLOW}/9/${path}`, bytes, { createOnly: true });
    const v9 = runIdOf(stack, WORKFLOW, '9');
    // Each file's event ticks itself off the record: wait until only the missing shard is left.
    await until('the pending record down to the missing shard', async () => {
      const shown = await cli('status', '--json', v9);
      return shown.code === 0 && JSON.parse(shown.out).waitingForFiles[0]?.missing.length === 1;
    });
    const status = await cli('status', v9);
    expect(status.code).toBe(0);
    expect(status.out).toContain('SavedModels waiting for files: 1');
    expect(status.out).toMatch(
      new RegExp(`${v9}: waiting since \\S+ for 1 file\\(s\\): ${lacking.replace(/[.]/g, '\\.')}`),
    );
    const json = JSON.parse((await cli('status', '--json', '--workflow', WORKFLOW)).out);
    expect(json.waitingForFiles).toEqual([expect.objectContaining({ runId: v9, missing: [lacking] })]);
    expect(JSON.parse((await cli('status', '--json', '--state', 'failed')).out).waitingForFiles).toEqual([]);
    expect(await readRun(storage, stack, v9)).toBeUndefined();
  });
});
