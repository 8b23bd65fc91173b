import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { seededRandom } from '../../emulators/random';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import { isTerminal, type RunRecord } from '../../functions/core/run/run-record';
import { runIdFor } from '../../functions/core/run/run-id';
import { checkInvariants, type DroppedRun } from './invariants';
import { chaosScenario, chaosWorkflowFiles, type ChaosDrop, type ChaosScenario } from './scenario';

/**
 * The pipeline under seeded random faults in every emulator (UNAVAILABLE, DEADLINE_EXCEEDED,
 * RESOURCE_EXHAUSTED/429, 5xx, dropped and duplicated deliveries, slow LROs) and SIGKILLed
 * function instances. `CHAOS_SEED=n` replays one scenario; `CHAOS_SCENARIOS` (default 12) and
 * `CHAOS_BASE_SEED` choose how many and which; `CHAOS_FAULT_RATE` (default 0.05) how hostile.
 */
const RATE = Number(process.env.CHAOS_FAULT_RATE ?? 0.05);
const SEEDS = process.env.CHAOS_SEED
  ? [Number(process.env.CHAOS_SEED)]
  : Array.from(
      { length: Number(process.env.CHAOS_SCENARIOS ?? 12) },
      (_, i) => Number(process.env.CHAOS_BASE_SEED ?? 1) + i,
    );
/** How long one run may take under chaos before it counts as stuck. */
const RUN_TIMEOUT_MS = 150_000;
/** Wall ms per virtual ms: Pub/Sub backoff 10–600 s becomes 0.1–6 s, longer than a cold restart. */
const TIME_SCALE = 0.01;

type Files = Array<[string, Uint8Array]>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the pipeline under chaos', () => {
  let stack: LocalStack;
  let storage: Storage;
  const artifacts: {
    good: Files;
    bad: Files;
    goodTflite: Uint8Array;
    wrongTflite: Uint8Array;
    corruptTflite: Uint8Array;
  } = {
    good: Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2 })),
    bad: Object.entries(writeExampleSavedModel({ a: 0.5, b: 3, numShards: 2 })),
    goodTflite: writeExampleTflite({ a: 0.5, b: 2 }),
    wrongTflite: writeExampleTflite({ a: 0.5, b: 3 }),
    corruptTflite: writeExampleTflite({ a: 0.5, b: 2 }).fill(0xee, 4, 8),
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-chaos-'));
    const workflows = join(dir, 'workflows');
    mkdirSync(workflows);
    for (const seed of SEEDS)
      for (const [file, text] of Object.entries(chaosWorkflowFiles(seed))) writeFileSync(join(workflows, file), text);
    process.env.FERRY_LOG_FILE = join(dir, 'functions.log');
    stack = await startLocalStack({
      workflowsDir: workflows,
      timeScale: TIME_SCALE,
      functionProcesses: true,
      maxDeliveryAttempts: 10,
      awaitPollMs: 50,
      awaitBudgetMs: 2000,
    });
    storage = new Storage({ apiEndpoint: stack.cloud.storage.url, projectId: stack.cloud.projectId });
    await storage
      .bucket(stack.buckets.artifacts)
      .file('golden/chaos.jsonl')
      .save(exampleGoldenSet(0.5, 2), { resumable: false });
    process.stdout.write(
      `chaos: ${SEEDS.length} scenario(s), fault rate ${RATE}, function logs in ${process.env.FERRY_LOG_FILE}\n`,
    );
  }, 180_000);
  afterAll(() => stack?.stop());

  /** Create-only upload that survives the faults it meets (a 412 means an earlier attempt landed). */
  async function put(name: string, bytes: Uint8Array): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await storage
          .bucket(stack.buckets.artifacts)
          .file(name)
          .save(Buffer.from(bytes), { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code === 412) return;
        if (attempt >= 10) throw error;
        await sleep(50 * attempt);
      }
    }
  }

  /** The stored run, read through faults (a failed read is just another poll). */
  async function readRun(runId: string): Promise<RunRecord | undefined> {
    try {
      const [bytes] = await storage.bucket(stack.buckets.state).file(`runs/${runId}.json`).download();
      return JSON.parse(bytes.toString('utf8')) as RunRecord;
    } catch {
      return undefined;
    }
  }

  async function dropAndWait(drop: ChaosDrop, random: () => number): Promise<DroppedRun> {
    const runId = runIdFor(drop.workflow, drop.version, stack.buckets.artifacts, drop.bucketPath);
    if (drop.kind === 'savedmodel') {
      const files = [...(drop.good ? artifacts.good : artifacts.bad)].sort(() => random() - 0.5);
      for (const [path, bytes] of files) await put(`${drop.bucketPath}${path}`, bytes);
    } else {
      const bad = random() < 0.5 ? artifacts.wrongTflite : artifacts.corruptTflite;
      await put(drop.bucketPath, drop.good ? artifacts.goodTflite : bad);
    }
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    let run: RunRecord | undefined;
    while (Date.now() < deadline) {
      run = (await readRun(runId)) ?? run;
      if (run && isTerminal(run)) break;
      await sleep(200);
    }
    return { drop, runId, run };
  }

  /** Kills function instances at random moments (SIGKILL, mid-call or idle) and starts fresh ones. */
  async function crashLoop(
    scenario: ChaosScenario,
    random: () => number,
    done: () => boolean,
    log: string[],
  ): Promise<void> {
    const processes = stack.processes;
    if (!processes) return;
    const names = Object.keys(stack.functions);
    for (let crash = 0; crash < scenario.crashes && !done(); crash += 1) {
      await sleep(300 + random() * 3000);
      if (done()) return;
      const name = names[Math.floor(random() * names.length)];
      processes.kill(name);
      log.push(name);
      await processes.start(name);
    }
  }

  function setFaults(scenario: ChaosScenario): void {
    const { seed, faultRate: rate, duplicateRate } = scenario;
    const { storage: gcs, pubsub, vertex, firebaseMl } = stack.cloud;
    gcs.faults.setRandom({ rate, codes: [503, 429, 500], duplicateRate, seed });
    pubsub.faults.setRandom({ rate, codes: [14, 4], duplicateRate, seed: seed + 1 });
    vertex.faults.setRandom({ rate, codes: [14, 4, 8], seed: seed + 2 });
    firebaseMl.faults.setRandom({ rate, codes: [503, 429], seed: seed + 3 });
    vertex.setOperationDuration('DeployModel', scenario.deployMs);
    vertex.setOperationDuration('UndeployModel', scenario.undeployMs);
  }

  function clearFaults(): void {
    for (const emulator of [stack.cloud.storage, stack.cloud.pubsub, stack.cloud.vertex, stack.cloud.firebaseMl])
      emulator.faults.reset();
  }

  it.each(SEEDS)('keeps every invariant with seed %i', async (seed) => {
    const scenario = chaosScenario(seed, RATE);
    const random = seededRandom(seed ^ 0x5eed);
    const started = Date.now();
    let finished = false;
    const crashed: string[] = [];
    setFaults(scenario);
    let runs: DroppedRun[];
    try {
      const crashes = crashLoop(scenario, seededRandom(seed ^ 0xc4a5), () => finished, crashed);
      const lanes = scenario.savedModelLanes.map(async (lane) => {
        const results: DroppedRun[] = [];
        for (const drop of lane) results.push(await dropAndWait(drop, random));
        return results;
      });
      const mobile = Promise.all(scenario.mobile.map((drop) => dropAndWait(drop, random)));
      runs = [...(await Promise.all(lanes)).flat(), ...(await mobile)];
      finished = true;
      await crashes;
    } finally {
      finished = true;
      clearFaults();
    }
    await stack.cloud.storage.idle();
    // One reconcile pass, as Cloud Scheduler would run it: it must find nothing stuck, and release
    // the leases of ended runs (checked by the lease invariant).
    await stack.reconcileNow();
    await stack.settled();
    // Runs read before a last duplicate settled: read them once more without faults.
    for (const r of runs) r.run = (await readRun(r.runId)) ?? r.run;
    const problems = await checkInvariants(stack, storage, runs, `chaos${seed}-`);
    const outcomes = runs.map((r) => `${r.drop.bucketPath}${r.drop.good ? '' : ' (bad)'} → ${r.run?.state ?? 'none'}`);
    process.stdout.write(
      `chaos seed ${seed}: ${((Date.now() - started) / 1000).toFixed(1)} s, deploy ${scenario.deployMs / 60000} min virtual, ` +
        `killed [${crashed.join(', ')}], dead letters ${stack.deadLetters().length}\n  ${outcomes.join('\n  ')}\n`,
    );
    if (problems.length > 0)
      throw new Error(
        `chaos invariants broken; replay with CHAOS_SEED=${seed} npm run test:chaos\n  ${problems.join('\n  ')}`,
      );
  });
});
