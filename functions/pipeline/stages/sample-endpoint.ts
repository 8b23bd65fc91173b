import { classifyError, errorMessage, isPortError } from '../../core/errors';
import { mismatch, type GoldenExample } from '../../core/validation/golden-set';
import { backoffMs, PREDICT_RETRY } from '../../core/validation/predict-retry';
import { batchRequests } from '../../core/validation/request-batches';
import { sampleComplete } from '../../core/validation/gates';
import {
  recordFailure,
  recordResponse,
  recordTransportError,
  totalRequests,
  type ValidationTally,
} from '../../core/validation/tally';
import type { Gates, Workflow } from '../../core/workflow/types';
import type { Clock, Predictor } from '../ports';

/** Few instances per request: every request is one more draw through the traffic split. */
export const INSTANCES_PER_REQUEST = 4;

export interface SampleDeps {
  predictor: Predictor;
  clock: Clock;
  /** Monotonic milliseconds for latencies. */
  elapsedMs: () => number;
}

/** `sampled`: enough answers (or the request budget spent) to decide; otherwise why it stopped early. */
export type SampleEnd = 'sampled' | 'time budget' | 'transient errors';

/**
 * Sends the golden set through the endpoint, adding to `tally`, until the sample can be judged by
 * `gates` (sampleComplete: enough answers, and enough requests for a latency gate's p95s) or the
 * workflow's request budget is spent; each answer is attributed to the deployed
 * model that gave it. Only what a model did is evidence: an answer, or a refusal (`invalid`, e.g.
 * INVALID_ARGUMENT on its output) counted against the candidate. Transient errors are retried with
 * backoff on the Clock and counted apart; past PREDICT_RETRY.transientBudget, or at `deadline`
 * (Clock milliseconds), it stops early and the caller hands on. Other errors (the endpoint is gone)
 * mean validation cannot run: they are thrown.
 */
export async function sampleEndpoint(
  deps: SampleDeps,
  endpoint: string,
  golden: GoldenExample[],
  validation: Workflow['validation'],
  gates: Gates,
  tally: ValidationTally,
  deadline: number,
): Promise<SampleEnd> {
  const batches = batchRequests(golden, INSTANCES_PER_REQUEST, undefined, endpoint);
  let transient = 0;
  let inARow = 0;
  while (
    !sampleComplete(gates, tally, validation.minCandidateAnswers) &&
    totalRequests(tally) < validation.maxRequests
  ) {
    if (deps.clock.now().getTime() >= deadline) return 'time budget';
    // Resumed tallies go on where the last invocation stopped in the golden set.
    const batch = batches[totalRequests(tally) % batches.length];
    const started = deps.elapsedMs();
    try {
      const instances = batch.map((example) => example.instance);
      const result = await deps.predictor.predict(endpoint, instances);
      const latencyMs = deps.elapsedMs() - started;
      recordResponse(tally, result.deployedModelId, latencyMs, judge(batch, result.predictions), instances);
      inARow = 0;
    } catch (error) {
      if (isPortError(error, 'invalid')) {
        recordFailure(tally, errorMessage(error));
        continue;
      }
      if (classifyError(error) !== 'transient') throw error;
      recordTransportError(tally, errorMessage(error));
      transient += 1;
      inARow += 1;
      if (transient > PREDICT_RETRY.transientBudget) return 'transient errors';
      const wait = backoffMs(inARow);
      if (deps.clock.now().getTime() + wait >= deadline) return 'time budget';
      await deps.clock.sleep(wait);
    }
  }
  return 'sampled';
}

function judge(batch: GoldenExample[], predictions: unknown[]): Array<string | undefined> {
  return batch.map((example, k) =>
    predictions.length === batch.length
      ? mismatch(example.expected, predictions[k], example.tolerance, `golden line ${example.line}: prediction`)
      : `golden line ${example.line}: ${predictions.length} predictions for ${batch.length} instances`,
  );
}
