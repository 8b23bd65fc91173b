import { errorMessage } from '../../core/errors';
import { checkGoldenSize, mismatch, parseGoldenSet, type GoldenExample } from '../../core/validation/golden-set';
import { goldenSetLocation } from '../../core/validation/golden-location';
import { batchRequests } from '../../core/validation/request-batches';
import {
  candidateAnswers,
  newTally,
  recordFailure,
  recordResponse,
  totalRequests,
  type ValidationTally,
} from '../../core/validation/tally';
import type { RunRecord } from '../../core/run/run-record';
import type { Workflow } from '../../core/workflow/types';
import type { ObjectReader, Predictor } from '../ports';

/** Few instances per request: every request is one more draw through the traffic split. */
export const INSTANCES_PER_REQUEST = 4;

/**
 * Reads and parses the workflow's golden set for a run; errors name the gs:// file. Its size is
 * judged from the object's metadata first, so an oversized file is never downloaded.
 */
export async function loadGoldenSet(
  objects: ObjectReader,
  workflow: Workflow,
  run: RunRecord,
): Promise<GoldenExample[]> {
  const where = goldenSetLocation(workflow.validation.goldenSet, run.bucket, run.root);
  const uri = `gs://${where.bucket}/${where.name}`;
  const info = await objects.stat(where.bucket, where.name);
  if (!info)
    throw new Error(
      `${uri}: golden set not found (workflow ${workflow.file}, validation.goldenSet); upload it and drop the artifact again`,
    );
  checkGoldenSize(info.size, uri);
  return parseGoldenSet(await objects.read(where.bucket, where.name), uri);
}

/**
 * Sends the golden set through the endpoint until the candidate has answered enough of it (or the
 * request budget is spent), attributing each response to the deployed model that served it.
 */
export async function sampleEndpoint(
  predictor: Predictor,
  endpoint: string,
  candidateId: string,
  golden: GoldenExample[],
  validation: Workflow['validation'],
  now: () => number,
): Promise<ValidationTally> {
  const batches = batchRequests(golden, INSTANCES_PER_REQUEST);
  const tally = newTally(candidateId);
  for (
    let i = 0;
    candidateAnswers(tally) < validation.minCandidateAnswers && totalRequests(tally) < validation.maxRequests;
    i += 1
  ) {
    const batch = batches[i % batches.length];
    const started = now();
    try {
      const result = await predictor.predict(
        endpoint,
        batch.map((example) => example.instance),
      );
      const mismatches = batch.map((example, k) =>
        result.predictions.length === batch.length
          ? mismatch(
              example.expected,
              result.predictions[k],
              example.tolerance,
              `golden line ${example.line}: prediction`,
            )
          : `golden line ${example.line}: ${result.predictions.length} predictions for ${batch.length} instances`,
      );
      recordResponse(tally, result.deployedModelId, now() - started, mismatches);
    } catch (error) {
      recordFailure(tally, errorMessage(error));
    }
  }
  return tally;
}
