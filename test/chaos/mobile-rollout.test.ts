import type { LocalStack } from '../../emulators/local-stack';
import { ownPubsub } from '../../emulators/local-cloud';
import type { TemplateContent } from '../../emulators/remote-config/wire-types';
import { rolloutConditionName } from '../../functions/core/mobile/rollout-template';
import { runIdFor } from '../../functions/core/run/run-id';
import { isTerminal, type RunRecord } from '../../functions/core/run/run-record';
import { ARTIFACTS, RUN_TIMEOUT_MS, sleep, startChaosStack, type ChaosStack } from './chaos-stack';

/** Faults as the pipeline suite's default (CHAOS_FAULT_RATE); Remote Config's are twice as frequent. */
const RATE = Number(process.env.CHAOS_FAULT_RATE ?? 0.05);
const SEEDS = [31, 32];
const TIME_SCALE = 0.01;
const workflow = (name: string) => `name: ${name}
match: mobile/${name}/{version}/model.tflite
artifact: tflite
validation: { goldenSet: golden/chaos.jsonl }
mobile: { modelName: ${name}_m, rollout: { parameter: ${name}_model, steps: [5, 25, 100], every: 2s } }
`;

/**
 * Staged mobile rollouts on the stack under seeded random faults: Remote Config answering 429 and
 * 503 (firebase-admin retries some itself, ferry's deliveries the rest), Storage and Pub/Sub
 * failing, dropping and duplicating, reconciler ticks lost or doubled, and a person publishing in
 * the console at every step, racing ferry's publishes. Safety: every console edit is kept, and
 * ferry never leaves its condition or a half-moved parameter behind. Liveness: the good model
 * ends published (the parameter's default is the candidate), or its run ended with ferry's part of
 * the template restored exactly.
 */
describe('staged mobile rollouts under chaos', () => {
  let chaos: ChaosStack;
  let stack: LocalStack;

  beforeAll(async () => {
    chaos = await startChaosStack(
      Object.fromEntries(SEEDS.map((seed) => [`rollout${seed}.yaml`, workflow(`rollout${seed}`)])),
      TIME_SCALE,
    );
    ({ stack } = chaos);
  }, 180_000);
  afterAll(() => chaos?.stop());

  it.each(SEEDS)('rolls out 5 → 25 → 100 with seed %i', async (seed) => {
    const name = `rollout${seed}`;
    const parameter = `${name}_model`;
    const { storage: gcs, remoteConfig } = stack.cloud;
    const pubsub = ownPubsub(stack.cloud);
    const edit = (change: (content: TemplateContent) => void) =>
      remoteConfig.editAsConsole((content) => {
        const next = structuredClone(content);
        next.parameters ??= {};
        change(next);
        return next;
      });
    const before = { defaultValue: { value: `${name}_today` } };
    edit((content) => {
      content.parameters![parameter] = before;
    });
    const root = `mobile/${name}/1/model.tflite`;
    const runId = runIdFor(name, '1', stack.buckets.artifacts, root);
    const edits: string[] = [];
    let run: RunRecord | undefined;
    gcs.faults.setRandom({ rate: RATE, codes: [503, 429, 500], duplicateRate: RATE, seed });
    pubsub.faults.setRandom({ rate: RATE, codes: [14, 4], duplicateRate: RATE, seed: seed + 1 });
    remoteConfig.faults.setRandom({ rate: RATE * 2, codes: [429, 503], seed: seed + 2 });
    try {
      await chaos.put(root, ARTIFACTS.goodTflite);
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      let editedAt: number | undefined;
      while (Date.now() < deadline) {
        run = await chaos.readRun(runId);
        if (run && isTerminal(run)) break;
        const percent = run?.state === 'rolling-out' ? run.mobile?.rollout?.percent : undefined;
        if (percent !== undefined && percent !== editedAt) {
          // A console edit at each step, racing ferry's next publish.
          const key = `${name}_note_${percent}`;
          edit((content) => {
            content.parameters![key] = { defaultValue: { value: `edited at ${percent} %` } };
          });
          edits.push(key);
          editedAt = percent;
        }
        // Cloud Scheduler's tick (it may meet a Pub/Sub fault: a lost tick, the next one comes).
        await stack.reconcileNow().catch(() => undefined);
        await sleep(400);
      }
    } finally {
      for (const emulator of [gcs, pubsub, remoteConfig]) emulator.faults.reset();
    }
    run = await chaos.readRun(runId);
    expect(run && isTerminal(run)).toBe(true);
    const template = remoteConfig.template().body;
    expect(template.conditions?.map((c) => c.name) ?? []).not.toContain(rolloutConditionName(parameter));
    for (const key of edits) expect(template.parameters?.[key]).toBeDefined();
    if (run!.state === 'published') {
      expect(template.parameters?.[parameter]).toEqual({ defaultValue: { value: `${name}_m_v1` } });
      expect(run!.mobile?.rollout?.percent).toBe(100);
      expect(edits.length).toBeGreaterThanOrEqual(2);
    } else {
      expect(['failed', 'aborted', 'rejected']).toContain(run!.state);
      expect(template.parameters?.[parameter]).toEqual(before);
    }
  });
});
