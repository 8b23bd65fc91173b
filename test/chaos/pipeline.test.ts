import type { Storage } from '@google-cloud/storage';
import type { LocalStack } from '../../emulators/local-stack';
import { ownPubsub } from '../../emulators/local-cloud';
import { seededRandom } from '../../emulators/random';
import { startChaosStack, sleep, type ChaosStack } from './chaos-stack';
import { checkInvariants, type DroppedRun } from './invariants';
import { chaosScenario, chaosWorkflowFiles, type ChaosScenario } from './scenario';

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
/** Wall ms per virtual ms: Pub/Sub backoff 10–600 s becomes 0.1–6 s, longer than a cold restart. */
const TIME_SCALE = 0.01;

describe('the pipeline under chaos', () => {
  let chaos: ChaosStack;
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    const workflows = Object.assign({}, ...SEEDS.map((seed) => chaosWorkflowFiles(seed))) as Record<string, string>;
    chaos = await startChaosStack(workflows, TIME_SCALE);
    ({ stack, storage } = chaos);
    process.stdout.write(`chaos: ${SEEDS.length} scenario(s), fault rate ${RATE}\n`);
  }, 180_000);
  afterAll(() => chaos?.stop());

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
    const { storage: gcs, vertex, firebaseMl } = stack.cloud;
    const pubsub = ownPubsub(stack.cloud);
    gcs.faults.setRandom({ rate, codes: [503, 429, 500], duplicateRate, seed });
    pubsub.faults.setRandom({ rate, codes: [14, 4], duplicateRate, seed: seed + 1 });
    vertex.faults.setRandom({ rate, codes: [14, 4, 8], seed: seed + 2 });
    firebaseMl.faults.setRandom({ rate, codes: [503, 429], seed: seed + 3 });
    vertex.setOperationDuration('DeployModel', scenario.deployMs);
    vertex.setOperationDuration('UndeployModel', scenario.undeployMs);
  }

  function clearFaults(): void {
    for (const emulator of [stack.cloud.storage, ownPubsub(stack.cloud), stack.cloud.vertex, stack.cloud.firebaseMl])
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
        for (const drop of lane) results.push(await chaos.dropAndWait(drop, random));
        return results;
      });
      const mobile = Promise.all(scenario.mobile.map((drop) => chaos.dropAndWait(drop, random)));
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
    for (const r of runs) r.run = (await chaos.readRun(r.runId)) ?? r.run;
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
