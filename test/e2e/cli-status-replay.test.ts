import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { statusCommand } from '../../cli/commands/status';
import type { SignalSource } from '../../cli/stop-signal';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { ownPubsub } from '../../emulators/local-cloud';
import { DEAD_LETTER_INBOX } from '../../emulators/stack-subscriptions';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { runIdFor } from '../../functions/core/run/run-id';
import { captureIo } from '../helpers/capture-io';
import { ferryCli } from '../helpers/ferry-cli';
import { until } from '../helpers/until';
import { putArtifact, readRun, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

const UNAVAILABLE = 14;
const WORKFLOW = 'parked';

/**
 * `ferry status --watch` and its filters, and `ferry replay`, on a local stack whose Vertex
 * UploadModel is down until registerModel's message is dead-lettered. The functions run in their
 * own processes, as in Cloud Functions: the CLI closes the adapters' clients it used.
 */
describe('ferry status --watch and ferry replay on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;
  const logFile = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = logFile;
    const workflows = writeWorkflows({
      [WORKFLOW]: savedModelWorkflow(WORKFLOW, `goldenSet: golden/${WORKFLOW}.jsonl, minCandidateAnswers: 10`),
    });
    stack = await startLocalStack({
      workflowsDir: workflows,
      timeScale: 0.0005,
      maxDeliveryAttempts: 5,
      functionProcesses: true,
    });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    storage = stackStorage(stack);
    await putArtifact(storage, stack, `golden/${WORKFLOW}.jsonl`, exampleGoldenSet(0.5, 2), { createOnly: true });
  }, 120_000);
  afterAll(() => stack?.stop());

  const inboxBacklog = () =>
    ownPubsub(stack.cloud)
      .subscriptions()
      .find((s) => s.name.endsWith(`/${DEAD_LETTER_INBOX}`))!.backlog;
  const runId = () => runIdOf(stack, WORKFLOW, '1');
  const attempt = (n: number) => runIdFor(WORKFLOW, '1', stack.buckets.artifacts, `models/${WORKFLOW}/1/`, n);
  const runCount = async () => (await storage.bucket(stack.buckets.state).getFiles({ prefix: 'runs/' }))[0].length;
  const cli = ferryCli;

  it("watches a run fail by dead letter, filters it, and replays the letter once: the run's next attempt promotes", async () => {
    // The watch starts before the run: its first frame has no run, a later one the failed run.
    const frames: string[] = [];
    const watchIo = captureIo();
    // Ctrl-C ends the watch: sent to a signal source of the test's own, not to the test process.
    const signals = Object.assign(new EventEmitter(), { exit: () => undefined }) as unknown as EventEmitter &
      SignalSource;
    const watching = statusCommand(signals)(['--watch', '--workflow', WORKFLOW], {
      ...watchIo,
      out: (text) => {
        frames.push(text);
        if (text.includes('! failed')) signals.emit('SIGINT', 'SIGINT');
      },
    });
    await until('the first frame', () => frames[0]);
    stack.cloud.vertex.faults.failNext('UploadModel', 100_000, UNAVAILABLE, 'The service is currently unavailable.');
    try {
      for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
        await putArtifact(storage, stack, `models/${WORKFLOW}/1/${path}`, bytes, { createOnly: true });
      expect(await watching).toBe(0);
    } finally {
      stack.cloud.vertex.faults.reset();
    }
    expect(frames[0]).toContain('no runs (matching) yet');
    expect(frames.at(-1)).toMatch(new RegExp(`${runId()} .*! failed[\\s\\S]*ended by dead letter`));
    const failed = (await readRun(storage, stack, runId()))!;
    const letterId = failed.deadLetterId!;
    expect(letterId).toBeTruthy();

    // Filters: the failed run by state, workflow and age; none in another state or from the future.
    const json = await cli('status', '--json', '--state', 'failed', '--workflow', WORKFLOW, '--since', '1h');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).runs.map((r: { runId: string }) => r.runId)).toEqual([runId()]);
    const promoted = await cli('status', '--json', '--state', 'promoted');
    expect(JSON.parse(promoted.out).runs).toEqual([]);
    const later = await cli('status', '--json', '--since', new Date(Date.now() + 60_000).toISOString());
    expect(JSON.parse(later.out).runs).toEqual([]);
    const badState = await cli('status', '--state', 'done');
    expect(badState.code).toBe(2);
    expect(badState.err).toMatch(/--state "done": not a run state; use one of checked, .*failed/);
    const badSince = await cli('status', '--since', 'yesterday');
    expect(badSince.code).toBe(2);
    expect(badSince.err).toMatch(/--since "yesterday": not a duration or an ISO time; use e\.g\. --since 30m/);

    // A listing changes nothing: the letter stays parked.
    await until('the letter in the inbox', async () =>
      (await cli('replay')).out.includes(letterId) ? true : undefined,
    );
    const listing = await cli('replay');
    expect(listing.code).toBe(0);
    // The letter ended its run: replaying it starts the run's next attempt, not a republish.
    expect(listing.out).toContain(
      `${letterId}  registerModel-trigger (5 deliveries) → retry: it ended run ${runId()} (failed), so its next attempt ${attempt(2)} starts`,
    );
    expect(listing.out).toContain('nothing replayed: name the ids, or add --all --yes');
    expect(inboxBacklog()).toBe(1);
    expect((await cli('replay', '--all')).out).toContain(letterId);
    const unknown = await cli('replay', 'no-such-letter');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe(`no parked dead letter no-such-letter (already replayed, or a typo); parked: ${letterId}`);

    // Replay: attempt 2 of the run starts, and only then is the letter taken off the inbox.
    const replayed = await cli('replay', letterId);
    expect(replayed).toMatchObject({ code: 0, err: '' });
    expect(replayed.out).toContain(
      `${letterId}: attempt 2 of ${runId()} started: ${attempt(2)}; taken off the inbox\n  follow it with: ferry status ${attempt(2)}`,
    );
    expect(ownPubsub(stack.cloud).deadLetters()).toHaveLength(1);
    // Acked, not merely leased: the inbox holds nothing, waiting or leased.
    expect(inboxBacklog()).toBe(0);
    const completed = await waitForRun(storage, stack.buckets.state, attempt(2), 90_000);
    expect(completed).toMatchObject({
      state: 'promoted',
      attempt: 2,
      retryOf: runId(),
      operatorActions: [{ verb: 'replay', reason: `replaying dead letter ${letterId}` }],
    });
    // The attempt the letter ended stays as it ended.
    expect(await readRun(storage, stack, runId())).toEqual(failed);

    // A second replay finds nothing parked and changes nothing: no attempt 3.
    const runs = await runCount();
    const again = await cli('replay', letterId);
    expect(again.code).toBe(1);
    expect(again.err).toBe(`no parked dead letter ${letterId} (already replayed, or a typo); none is parked`);
    expect(JSON.parse((await cli('status', '--json')).out).deadLetters).toEqual([]);
    expect(await runCount()).toBe(runs);
    expect(await readRun(storage, stack, attempt(3))).toBeUndefined();
  }, 180_000);
});
