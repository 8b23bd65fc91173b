import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { retryDelayMs } from '../../emulators/pubsub/backoff';
import { seededRandom } from '../../emulators/random';
import { GRPC } from '../../functions/core/grpc-codes';
import type { RunRecord } from '../../functions/core/run/run-record';
import { runIdFor } from '../../functions/core/run/run-id';
import { RUN_TIMEOUT_MS, sleep, startChaosStack, type ChaosStack } from './chaos-stack';
import { checkInvariants, type DroppedRun } from './invariants';
import type { ChaosDrop } from './scenario';

/**
 * Named outages, each longer than one retry can ride out, on the chaos stack (functions in their
 * own processes, Pub/Sub's retry and dead-letter policies on a virtual clock). Each scenario
 * checks the chaos invariants (liveness included) and what its outage must end in.
 */
const TIME_SCALE = 0.01;
const MINUTE = 60_000;
/** Delivery attempts before a stage message is dead-lettered (the stack's, as Terraform sets it). */
const MAX_DELIVERIES = 10;
/**
 * The virtual time Pub/Sub spends retrying a message before it dead-letters it: the backoffs
 * between its 10 deliveries (10 s doubling to 600 s: about 40 minutes).
 */
/** The stack's trigger subscriptions: retry policy 10–600 s, as Terraform declares it. */
const TRIGGER_RULES = {
  ackDeadlineMs: 600_000,
  retentionMs: 0,
  pushEndpoint: 'push',
  retry: { minMs: 10_000, maxMs: 600_000 },
};
/** The longest backoff between deliveries (the retry policy's maximum, 600 s). */
const MAX_BACKOFF_MS = retryDelayMs(30, TRIGGER_RULES, 1);
const DEAD_LETTER_WINDOW_MS = Array.from({ length: MAX_DELIVERIES - 1 }, (_, i) =>
  retryDelayMs(i + 1, TRIGGER_RULES, 1),
).reduce((a, b) => a + b, 0);

const workflow = (name: string, rollout: string) =>
  [
    `name: ${name}`,
    `match: models/${name}/{version}/`,
    'artifact: savedmodel',
    `model: { displayName: ${name} }`,
    `endpoint: { displayName: ${name} }`,
    `rollout: ${rollout}`,
    'validation: { goldenSet: golden/chaos.jsonl, minCandidateAnswers: 8, maxRequests: 400, gates: { minMatchRate: 0.99, maxErrorRate: 0.6, maxP95LatencyRatio: 1000 } }',
    '',
  ].join('\n');

const WORKFLOWS = {
  'outage-vertex.yaml': workflow('outage-vertex', '{ canaryPercent: 10, steps: [100], keepPrevious: 1 }'),
  'outage-retire.yaml': workflow('outage-retire', '{ canaryPercent: 10, steps: [100], keepPrevious: 2 }'),
  'outage-predict.yaml': workflow('outage-predict', '{ canaryPercent: 10, steps: [50, 100], keepPrevious: 1 }'),
};

const drop = (name: string, version: number, good = true): ChaosDrop => ({
  workflow: name,
  kind: 'savedmodel',
  version: String(version),
  good,
  bucketPath: `models/${name}/${version}/`,
});

describe('outages longer than a retry', () => {
  let chaos: ChaosStack;
  const random = seededRandom(7);

  beforeAll(async () => {
    chaos = await startChaosStack(WORKFLOWS, TIME_SCALE);
  }, 180_000);
  afterAll(() => chaos?.stop());

  async function expectInvariants(runs: DroppedRun[], prefix: string): Promise<void> {
    await chaos.stack.cloud.storage.idle();
    await chaos.stack.reconcileNow();
    await chaos.stack.settled();
    for (const r of runs) r.run = (await chaos.readRun(r.runId)) ?? r.run;
    expect(await checkInvariants(chaos.stack, chaos.storage, runs, prefix)).toEqual([]);
  }

  const endpointOf = (name: string) => {
    const endpoint = chaos.stack.cloud.vertex.state().endpoints.find((e) => e.displayName === name);
    if (!endpoint) throw new Error(`no endpoint ${name}`);
    return endpoint;
  };

  it('a Vertex outage longer than the dead-letter window: the run ends failed with its split restored, the next version ships', async () => {
    const name = 'outage-vertex';
    const v1 = await chaos.dropAndWait(drop(name, 1), random);
    expect(v1.run?.state).toBe('promoted');
    const before = { ...endpointOf(name).trafficSplit };
    // A slow deployment, so the run is still following it when every Vertex call starts failing.
    chaos.stack.cloud.vertex.setOperationDuration('DeployModel', 10 * MINUTE);
    const v2drop = drop(name, 2);
    const v2done = chaos.dropAndWait(v2drop, random);
    const v2id = await runIdOnceIn(chaos, v2drop, 'deploying');
    const outage = chaos.stack.cloud.vertex.faults.outage('*', GRPC.UNAVAILABLE, 'Vertex AI is unavailable');
    const outageStart = Date.now();
    // It lasts past the dead-letter window (computed, and observed: Pub/Sub has parked the stage
    // message) and past one more retry of the dead-letter handler, which meets the outage too.
    const parked = await waitFor(() =>
      chaos.stack.deadLetters().some((d) => (d.data as { runId?: string } | null)?.runId === v2id),
    );
    expect(parked).toBe(true);
    const minimum = outageStart + 1.5 * DEAD_LETTER_WINDOW_MS * TIME_SCALE;
    await sleep(Math.max(minimum - Date.now(), MAX_BACKOFF_MS * TIME_SCALE));
    outage.end();
    const outageWallMs = Date.now() - outageStart;
    chaos.stack.cloud.vertex.setOperationDuration('DeployModel', 0);
    const v2 = await v2done;
    expect(v2.runId).toBe(v2id);
    expect(v2.run).toMatchObject({ state: 'failed', outcome: 'failed' });
    expect(v2.run?.deadLetterId).toEqual(expect.any(String));
    expect(v2.run?.reason).toMatch(/dead-lettered/);
    // The exact previous split, the candidate gone (its deployment finished during the outage).
    expect(endpointOf(name).trafficSplit).toEqual(before);
    expect(endpointOf(name).deployedModels.map((d) => d.id)).toEqual(Object.keys(before));
    // The lease went with the run: the next version gets its turn and ships.
    const v3 = await chaos.dropAndWait(drop(name, 3), random);
    expect(v3.run?.state).toBe('promoted');
    await expectInvariants([v1, v2, v3], `${name}`);
    process.stdout.write(
      `outage of ${Math.round(outageWallMs / TIME_SCALE / MINUTE)} virtual min (${(outageWallMs / 1000).toFixed(1)} s wall; ` +
        `dead-letter window ${Math.round(DEAD_LETTER_WINDOW_MS / MINUTE)} min): ` +
        `${v2.runId} ${v2.run?.state}: ${v2.run?.reason}\n`,
    );
  }, 400_000);

  it("a function killed between promote's undeploys: the promotion finishes, each old version undeployed once", async () => {
    const name = 'outage-retire';
    const kept: DroppedRun[] = [];
    for (const version of [1, 2, 3]) kept.push(await chaos.dropAndWait(drop(name, version), random));
    expect(kept.map((r) => r.run?.state)).toEqual(['promoted', 'promoted', 'promoted']);
    expect(endpointOf(name).deployedModels).toHaveLength(3);
    // The operator lowers keepPrevious to 0 and redeploys the functions: v4's promotion retires three.
    writeFileSync(
      join(chaos.workflowsDir, 'outage-retire.yaml'),
      workflow(name, '{ canaryPercent: 10, steps: [100], keepPrevious: 0 }'),
    );
    const processes = chaos.stack.processes!;
    for (const fn of Object.keys(chaos.stack.functions)) {
      processes.kill(fn);
      await processes.start(fn);
    }
    const vertex = chaos.stack.cloud.vertex;
    vertex.setOperationDuration('UndeployModel', 5 * MINUTE);
    const calls = () => vertex.state().calls.UndeployModel ?? 0;
    const undeploysBefore = calls();
    const first = vertex.faults.hold('UndeployModel');
    const v4done = chaos.dropAndWait(drop(name, 4), random);
    await first.reached;
    first.release();
    // The second undeploy: held at Vertex while awaitOperation is killed, then let through, so
    // Vertex starts it but the function never records it.
    const second = vertex.faults.hold('UndeployModel');
    await second.reached;
    processes.kill('awaitOperation');
    second.release();
    await processes.start('awaitOperation');
    const v4 = await v4done;
    vertex.setOperationDuration('UndeployModel', 0);
    expect(v4.run?.state).toBe('promoted');
    const endpoint = endpointOf(name);
    expect(endpoint.deployedModels.map((d) => d.id)).toEqual([v4.run?.deployment?.deployedModelId]);
    expect(Object.values(endpoint.trafficSplit)).toEqual([100]);
    expect(v4.run?.promotion?.leftovers ?? {}).toEqual({});
    // Three deployments retired; a retried step may ask again for the one in flight (refused as busy).
    expect(calls() - undeploysBefore).toBeGreaterThanOrEqual(3);
    await expectInvariants([...kept, v4], `${name}`);
    process.stdout.write(
      `killed awaitOperation mid-undeploy: ${v4.runId} ${v4.run?.state}; UndeployModel calls ${calls() - undeploysBefore}\n`,
    );
  }, 400_000);

  it('Predict answering 429 for a minute during a canary: the good candidate is promoted, the weather recorded', async () => {
    const name = 'outage-predict';
    const v1 = await chaos.dropAndWait(drop(name, 1), random);
    expect(v1.run?.state).toBe('promoted');
    // A slow deployment, so the storm is on before the canary's first Predict.
    chaos.stack.cloud.vertex.setOperationDuration('DeployModel', 5 * MINUTE);
    const v2drop = drop(name, 2);
    const v2done = chaos.dropAndWait(v2drop, random);
    await runIdOnceIn(chaos, v2drop, 'deploying');
    // A wall-clock minute: validation's Predict backoff runs on the function's real clock.
    const storm = chaos.stack.cloud.vertex.faults.outage('Predict', GRPC.RESOURCE_EXHAUSTED, 'Quota exceeded');
    chaos.stack.cloud.vertex.setOperationDuration('DeployModel', 0);
    await sleep(MINUTE);
    storm.end();
    const v2 = await v2done;
    expect(v2.run?.state).toBe('promoted');
    const weather = (v2.run?.decisions ?? []).reduce((n, d) => n + d.transportErrors, 0);
    expect(weather).toBeGreaterThan(0);
    const bad = await chaos.dropAndWait(drop(name, 3, false), random);
    expect(bad.run?.state).toBe('rejected');
    await expectInvariants([v1, v2, bad], `${name}`);
    process.stdout.write(`429 for a minute: ${v2.runId} promoted after ${weather} transport errors retried\n`);
  }, 400_000);
});

/** Waits until the drop's run reaches `state` (the dropAndWait for it is already under way); its id. */
async function runIdOnceIn(chaos: ChaosStack, d: ChaosDrop, state: RunRecord['state']): Promise<string> {
  const runId = runIdFor(d.workflow, d.version, chaos.stack.buckets.artifacts, d.bucketPath);
  const run = await chaos.waitForRun(runId, (r) => r.state === state);
  if (run?.state !== state) throw new Error(`${runId} never reached ${state}: ${run?.state ?? 'no run'}`);
  return runId;
}

/** Polls `check` every 200 ms until it holds or RUN_TIMEOUT_MS passes; whether it held. */
async function waitFor(check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (!check() && Date.now() < deadline) await sleep(200);
  return check();
}
