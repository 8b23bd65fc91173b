import { seededRandom } from '../../emulators/random';

/** One artifact a chaos scenario drops, and whether it deserves to ship. */
export interface ChaosDrop {
  workflow: string;
  kind: 'savedmodel' | 'tflite';
  version: string;
  /** Answers y = 0.5x + 2 (the golden set's truth); a bad one is off by one, or corrupt. */
  good: boolean;
  bucketPath: string;
}

export interface ChaosScenario {
  seed: number;
  /** Probability that any emulated call fails with a transient error. */
  faultRate: number;
  duplicateRate: number;
  /** Virtual length of DeployModel / UndeployModel (slow LROs). */
  deployMs: number;
  undeployMs: number;
  /** Function instances killed (SIGKILL) while runs are in flight. */
  crashes: number;
  /** SavedModel versions per workflow go one after another (one rollout per endpoint at a time). */
  savedModelLanes: ChaosDrop[][];
  /** TFLite drops, all at once. */
  mobile: ChaosDrop[];
}

/** The workflows a scenario uses: its own model, endpoint and mobile model, so scenarios share a stack. */
export function chaosWorkflowFiles(seed: number): Record<string, string> {
  const gates = 'gates: { minMatchRate: 0.99, maxErrorRate: 0.6, maxP95LatencyRatio: 1000 }';
  const files: Record<string, string> = {};
  for (const lane of [0, 1]) {
    const name = `chaos${seed}-m${lane}`;
    files[`${name}.yaml`] = [
      `name: ${name}`,
      `match: models/${name}/{version}/`,
      'artifact: savedmodel',
      `model: { displayName: ${name} }`,
      `endpoint: { displayName: ${name} }`,
      'rollout: { canaryPercent: 10, steps: [50, 100], keepPrevious: 1 }',
      `validation: { goldenSet: golden/chaos.jsonl, minCandidateAnswers: 8, maxRequests: 400, ${gates} }`,
      '',
    ].join('\n');
  }
  const mobile = `chaos${seed}-mobile`;
  files[`${mobile}.yaml`] = [
    `name: ${mobile}`,
    `match: mobile/${mobile}/{version}/model.tflite`,
    'artifact: tflite',
    'validation: { goldenSet: golden/chaos.jsonl, gates: { minMatchRate: 1 } }',
    `mobile: { modelName: ${mobile.replace(/-/g, '_')}, tags: [chaos], channels: { firebaseMl: true, firebaseStorage: true }, maxSizeBytes: 1000000 }`,
    '',
  ].join('\n');
  return files;
}

/** Everything a seed decides: the same seed replays the same drops, fault rates and crash count. */
export function chaosScenario(seed: number, faultRate: number): ChaosScenario {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const lanes = [0, 1].map((lane) => {
    const name = `chaos${seed}-m${lane}`;
    const count = 2 + pick(2);
    return Array.from({ length: count }, (_, i): ChaosDrop => ({
      workflow: name,
      kind: 'savedmodel',
      version: String(i + 1),
      // The first version is good so later ones have an incumbent to roll back to.
      good: i === 0 || random() < 0.6,
      bucketPath: `models/${name}/${i + 1}/`,
    }));
  });
  const mobileName = `chaos${seed}-mobile`;
  const mobile = Array.from({ length: 2 + pick(2) }, (_, i): ChaosDrop => ({
    workflow: mobileName,
    kind: 'tflite',
    version: String(i + 1),
    good: random() < 0.5,
    bucketPath: `mobile/${mobileName}/${i + 1}/model.tflite`,
  }));
  return {
    seed,
    faultRate,
    duplicateRate: 0.05 + random() * 0.15,
    deployMs: pick(20) * 60_000,
    undeployMs: pick(5) * 60_000,
    crashes: 1 + pick(4),
    savedModelLanes: lanes,
    mobile,
  };
}
