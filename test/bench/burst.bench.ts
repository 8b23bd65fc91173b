import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import { isTerminal, type RunRecord } from '../../functions/core/run/run-record';
import { runIdFor } from '../../functions/core/run/run-id';
import { checkInvariants, type DroppedRun } from '../chaos/invariants';
import type { Bench, BenchRow } from './harness';
import { mobileWorkflow, savedModelWorkflow, seconds, startBenchStack } from './pipeline-stack';

const WORKFLOWS = 10;
/** How long the burst may take before runs still going are counted as stuck. */
const RUN_DEADLINE_MS = 300_000;
const ARTIFACTS = 200;
/** Half the workflows serve online (SavedModel), half publish to phones (TFLite). */
const isMobile = (w: number) => w % 2 === 1;
const workflowName = (w: number) => `burst${w}`;

export const bench: Bench = {
  id: 'burst',
  title: `Burst: ${ARTIFACTS} artifacts across ${WORKFLOWS} workflows dropped at once, Vertex LROs at zero`,
  async run(): Promise<BenchRow[]> {
    const workflows: Record<string, string> = {};
    for (let w = 0; w < WORKFLOWS; w += 1) {
      const name = workflowName(w);
      workflows[name] = isMobile(w)
        ? mobileWorkflow(name, 'golden/burst.jsonl')
        : savedModelWorkflow(name, 'golden/burst.jsonl', ', maxRequests: 400');
    }
    const bench = await startBenchStack(workflows, { timeScale: 0.001 });
    try {
      await bench.put('golden/burst.jsonl', exampleGoldenSet(0.5, 2));
      const savedModel = Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2 }));
      const tflite = writeExampleTflite({ a: 0.5, b: 2 });
      const drops = Array.from({ length: ARTIFACTS }, (_, i) => {
        const w = i % WORKFLOWS;
        const version = String(Math.floor(i / WORKFLOWS) + 1);
        const name = workflowName(w);
        const bucketPath = isMobile(w) ? `mobile/${name}/${version}/model.tflite` : `models/${name}/${version}/`;
        return { w, version, name, bucketPath };
      });
      // Baseline: one artifact per workflow kind alone, on the same (by then warm) stack.
      const single = async (w: number, version: string) => {
        const name = workflowName(w);
        const bucketPath = isMobile(w) ? `mobile/${name}/${version}/model.tflite` : `models/${name}/${version}/`;
        const start = process.hrtime.bigint();
        if (isMobile(w)) await bench.put(bucketPath, tflite);
        else await bench.putAll(bucketPath, savedModel, 1);
        await bench.waitForRun(runIdFor(name, version, bench.stack.buckets.artifacts, bucketPath), 'terminal');
        return seconds(start);
      };
      await single(0, 'warm');
      await single(1, 'warm');
      const oneEach = (await single(0, 'solo')) + (await single(1, 'solo'));

      const start = process.hrtime.bigint();
      await Promise.all(
        drops.map(async (d) => {
          if (isMobile(d.w)) await bench.put(d.bucketPath, tflite);
          else for (const [path, bytes] of savedModel) await bench.put(`${d.bucketPath}${path}`, bytes);
        }),
      );
      const runs: DroppedRun[] = await Promise.all(
        drops.map(async (d) => {
          const runId = runIdFor(d.name, d.version, bench.stack.buckets.artifacts, d.bucketPath);
          // A run still going at the deadline is a finding, not a crash of the benchmark: report it.
          const run: RunRecord | undefined = await bench
            .waitForRun(runId, 'terminal', RUN_DEADLINE_MS)
            .catch(() => bench.readRun(runId));
          return {
            runId,
            run,
            drop: {
              workflow: d.name,
              kind: isMobile(d.w) ? 'tflite' : 'savedmodel',
              version: d.version,
              good: true,
              bucketPath: d.bucketPath,
            },
          };
        }),
      );
      const burstS = seconds(start);
      const stuck = runs.filter((r) => !r.run || !isTerminal(r.run));
      const states: Record<string, number> = {};
      for (const r of runs) states[r.run?.state ?? 'none'] = (states[r.run?.state ?? 'none'] ?? 0) + 1;
      const wrong = runs.filter((r) => r.run?.state !== (r.drop.kind === 'tflite' ? 'published' : 'promoted'));
      const problems = await checkInvariants(bench.stack, bench.storage, runs, 'burst');
      const correct = ARTIFACTS - wrong.length;
      return [
        {
          name: `runs/s, ${ARTIFACTS} dropped at once (until all terminal or ${RUN_DEADLINE_MS / 1000} s)`,
          value: ARTIFACTS / burstS,
          unit: 'runs/s',
          baseline: { name: 'one SavedModel + one TFLite run alone', value: 2 / oneEach },
          detail: `${burstS.toFixed(1)} s; outcomes ${JSON.stringify(states)}`,
        },
        {
          name: 'runs not terminal at the deadline',
          value: stuck.length,
          unit: 'runs',
          detail:
            stuck.length > 0 ? `first: ${stuck[0].runId} ${stuck[0].run?.state ?? 'no record'}` : 'every run ended',
        },
        {
          name: 'runs ending as expected (promoted / published)',
          value: correct,
          unit: `of ${ARTIFACTS}`,
          detail:
            wrong.length > 0
              ? `first unexpected: ${wrong[0].runId} ${wrong[0].run?.state}: ${wrong[0].run?.reason?.slice(0, 160)}`
              : 'all good artifacts shipped',
        },
        {
          name: 'invariant violations after the burst',
          value: problems.length,
          unit: 'problems',
          detail:
            problems.slice(0, 3).join(' | ') ||
            'none (no duplicates, no traffic on rejected models, splits sum to 100)',
        },
      ];
    } finally {
      await bench.stack.stop();
    }
  },
};
