import { EndpointServiceClient } from '@google-cloud/aiplatform/build/src/v1';
import type { LocalStack } from '../../emulators/local-stack';
import { vertexConfig } from '../../functions/adapters/vertex/vertex-config';
import { ownPubsub } from '../../emulators/local-cloud';
import { runIdFor } from '../../functions/core/run/run-id';
import type { RunRecord } from '../../functions/core/run/run-record';
import { ARTIFACTS, startChaosStack, type ChaosStack } from './chaos-stack';

/** Faults as the pipeline suite's default (CHAOS_FAULT_RATE), while a promotion chains environments. */
const RATE = Number(process.env.CHAOS_FAULT_RATE ?? 0.05);
const SEEDS = [11, 12, 13];
const TIME_SCALE = 0.01;
const workflow = (name: string) => `name: ${name}
match: models/${name}/{version}/
artifact: savedmodel
model: { displayName: ${name} }
rollout: { canaryPercent: 10, steps: [100] }
validation: { goldenSet: golden/chaos.jsonl, minCandidateAnswers: 10 }
environments:
  - { name: staging, endpoint: { displayName: ${name}-staging }, rollout: { canaryPercent: 50, steps: [100] } }
  - { name: production, endpoint: { displayName: ${name}-production } }
`;

/**
 * Environments under seeded random faults (UNAVAILABLE, DEADLINE_EXCEEDED, 429/5xx, dropped and
 * duplicated deliveries) while a promotion in staging starts production. Liveness: the version's
 * production run exists exactly once and ends promoted, or ended otherwise with production's split
 * restored exactly; staging's run ended promoted and stays so.
 */
describe('environments under chaos', () => {
  let chaos: ChaosStack;
  let stack: LocalStack;

  beforeAll(async () => {
    chaos = await startChaosStack(
      Object.fromEntries(SEEDS.map((seed) => [`staged${seed}.yaml`, workflow(`staged${seed}`)])),
      TIME_SCALE,
    );
    ({ stack } = chaos);
  }, 180_000);
  afterAll(() => chaos?.stop());

  it.each(SEEDS)('chains staging to production with seed %i', async (seed) => {
    const name = `staged${seed}`;
    const { storage: gcs, vertex } = stack.cloud;
    const pubsub = ownPubsub(stack.cloud);
    gcs.faults.setRandom({ rate: RATE, codes: [503, 429, 500], duplicateRate: RATE, seed });
    pubsub.faults.setRandom({ rate: RATE, codes: [14, 4], duplicateRate: RATE, seed: seed + 1 });
    vertex.faults.setRandom({ rate: RATE, codes: [14, 4, 8], seed: seed + 2 });
    let staging: RunRecord | undefined;
    let production: RunRecord | undefined;
    const root = `models/${name}/1/`;
    const productionId = runIdFor(name, '1', stack.buckets.artifacts, root, 1, 'production');
    try {
      for (const [path, bytes] of ARTIFACTS.good) await chaos.put(`${root}${path}`, bytes);
      staging = await chaos.waitForRun(runIdFor(name, '1', stack.buckets.artifacts, root));
      if (staging?.state === 'promoted') production = await chaos.waitForRun(productionId);
    } finally {
      for (const emulator of [gcs, pubsub, vertex]) emulator.faults.reset();
    }
    // Read once more without faults: a run read before a last duplicate settled.
    staging = await chaos.readRun(runIdFor(name, '1', stack.buckets.artifacts, root));
    production = await chaos.readRun(productionId);
    expect(staging?.state).toBe('promoted');
    expect(production).toBeDefined();
    expect(['promoted', 'failed', 'rejected', 'aborted']).toContain(production!.state);
    if (production!.state !== 'promoted' && production!.deployment) {
      // Not promoted: traffic restored exactly (a first model's is none at all).
      const client = new EndpointServiceClient(vertexConfig().clientOptions);
      try {
        const [endpoint] = await client.getEndpoint({ name: production!.endpoint!.name });
        expect(endpoint.trafficSplit ?? {}).toEqual(production!.deployment.previousSplit);
      } finally {
        await client.close();
      }
    }
    const [files] = await chaos.storage.bucket(stack.buckets.state).getFiles({ prefix: `runs/${name}-1-production` });
    expect(files.map((f) => f.name)).toEqual([`runs/${productionId}.json`]);
  });
});
