import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import type { RunRecord } from '../../functions/core/run/run-record';
import { runIdFor } from '../../functions/core/run/run-id';
import type { Bench, BenchRow } from './harness';
import { seconds, startBenchStack } from './pipeline-stack';

/** The demo's `flowers` workflow: canary 10 %, steps 50 → 100, keep one previous version. */
const FLOWERS = [
  'name: flowers',
  'match: models/flowers/{version}/',
  'artifact: savedmodel',
  'model: { displayName: flowers }',
  'endpoint: { displayName: flowers }',
  'rollout: { canaryPercent: 10, steps: [50, 100], keepPrevious: 1 }',
  'validation: { goldenSet: golden/flowers.jsonl, minCandidateAnswers: 20, gates: { minMatchRate: 0.99, maxErrorRate: 0.01, maxP95LatencyRatio: 3 } }',
  '',
].join('\n');

/** Seconds between the first and the last timeline entry of each state, for the detail column. */
function stages(run: RunRecord): string {
  const t0 = Date.parse(run.createdAt);
  return run.timeline
    .map(
      (t) =>
        `${t.state}${t.step !== undefined && t.step >= 0 ? `@${t.step}` : ''} +${((Date.parse(t.at) - t0) / 1000).toFixed(2)}s`,
    )
    .join(', ');
}

export const bench: Bench = {
  id: 'promote-latency',
  title: "End-to-end latency of the demo's promote path, emulated waits at zero (deploy LROs 0 min, polls every 5 ms)",
  async run(): Promise<BenchRow[]> {
    const bench = await startBenchStack({ flowers: FLOWERS });
    const rows: BenchRow[] = [];
    try {
      await bench.put('golden/flowers.jsonl', exampleGoldenSet(0.5, 2));
      const versions: Array<[string, number, string]> = [
        ['1', 2, 'v1 on an empty endpoint → 100 %'],
        ['2', 3, 'v2 (wrong answers) → rejected at the 10 % canary, rolled back'],
        ['3', 2, 'v3 10 % → 50 % → 100 %, v2 retired'],
      ];
      for (const [version, b, title] of versions) {
        const files = Object.entries(writeExampleSavedModel({ a: 0.5, b, numShards: 2 }));
        const root = `models/flowers/${version}/`;
        let start = process.hrtime.bigint();
        await bench.putAll(`uploadonly/${version}/`, files, 1);
        const uploadS = seconds(start);
        start = process.hrtime.bigint();
        await bench.putAll(root, files, 1);
        const run = await bench.waitForRun(
          runIdFor('flowers', version, bench.stack.buckets.artifacts, root),
          'terminal',
        );
        const totalS = seconds(start);
        rows.push({
          name: `${title}: drop → ${run.state}`,
          value: totalS * 1000,
          unit: 'ms',
          baseline: { name: 'uploading the same files alone', value: uploadS * 1000 },
          detail: stages(run),
        });
      }
      return rows;
    } finally {
      await bench.stack.stop();
    }
  },
};
