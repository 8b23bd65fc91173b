import { memoryFiles } from '../../functions/artifacts/artifact-files';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { runIdFor } from '../../functions/core/run/run-id';
import { parseGoldenSet } from '../../functions/core/validation/golden-set';
import { candidateAnswers, newTally, percentile } from '../../functions/core/validation/tally';
import { INSTANCES_PER_REQUEST, sampleEndpoint } from '../../functions/pipeline/stages/sample-endpoint';
import { loadLocalModel } from '../../functions/runtime/load-local-model';
import type { Bench, BenchRow } from './harness';
import { savedModelWorkflow, seconds, startBenchStack } from './pipeline-stack';

const INSTANCES = 10_000;

export const bench: Bench = {
  id: 'validation',
  title: `Validation throughput: ${INSTANCES.toLocaleString('en')} golden instances through the emulated endpoint (validatePredictions' sampler)`,
  async run(): Promise<BenchRow[]> {
    const model = writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 });
    const xs = Array.from({ length: INSTANCES }, (_, i) => (i % 2000) / 10 - 100);
    const golden = parseGoldenSet(new TextEncoder().encode(exampleGoldenSet(0.5, 2, xs)), 'bench golden set');
    const bench = await startBenchStack({
      valid: savedModelWorkflow('valid', 'golden/valid.jsonl', ', gates: { minMatchRate: 1 }'),
    });
    try {
      await bench.put('golden/valid.jsonl', exampleGoldenSet(0.5, 2));
      await bench.putAll('models/valid/1/', Object.entries(model));
      const run = await bench.waitForRun(
        runIdFor('valid', '1', bench.stack.buckets.artifacts, 'models/valid/1/'),
        'terminal',
      );
      if (run.state !== 'promoted' || !run.endpoint || !run.deployment)
        throw new Error(`validation bench: setup run ended ${run.state}: ${run.reason}`);
      // The same predictor the function uses (official PredictionServiceClient over gRPC).
      const { predictor, clock } = await import('../../functions/entry/wiring');
      const deps = { predictor, clock, elapsedMs: () => performance.now() };
      const noDeadline = Number.POSITIVE_INFINITY;
      const validation = {
        goldenSet: 'golden/valid.jsonl',
        minCandidateAnswers: INSTANCES,
        maxRequests: INSTANCES,
        gates: { minMatchRate: 1, maxErrorRate: 0 },
      };
      const endpoint = run.endpoint.name;
      const candidate = run.deployment.deployedModelId;
      const warmUp = newTally(candidate);
      await sampleEndpoint(
        deps,
        endpoint,
        golden.slice(0, 200),
        { ...validation, minCandidateAnswers: 200 },
        validation.gates,
        warmUp,
        noDeadline,
      );
      let start = process.hrtime.bigint();
      const tally = newTally(candidate);
      await sampleEndpoint(deps, endpoint, golden, validation, validation.gates, tally, noDeadline);
      const endpointS = seconds(start);
      const answered = candidateAnswers(tally);
      const mine = tally.byModel[candidate];
      if (answered < INSTANCES || mine.matches !== mine.answers)
        throw new Error(`validation bench: ${answered} answers, ${mine.matches} matches`);

      const local = await loadLocalModel(memoryFiles(model));
      start = process.hrtime.bigint();
      for (let i = 0; i < golden.length; i += INSTANCES_PER_REQUEST)
        await local.predict(golden.slice(i, i + INSTANCES_PER_REQUEST).map((g) => g.instance));
      const localS = seconds(start);
      local.dispose();
      return [
        {
          name: `golden instances/s through the endpoint (${INSTANCES_PER_REQUEST} per request)`,
          value: answered / endpointS,
          unit: 'inst/s',
          baseline: { name: "same batches straight into ferry's runtime", value: INSTANCES / localS },
          detail: `${answered} answers in ${endpointS.toFixed(1)} s, all matched; p95 request ${percentile(mine.latenciesMs, 95).toFixed(2)} ms`,
        },
      ];
    } finally {
      await bench.stack.stop();
    }
  },
};
