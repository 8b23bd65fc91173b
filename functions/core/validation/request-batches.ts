import type { GoldenExample } from './golden-set';

/** Online prediction requests are limited to 1.5 MB. */
export const PREDICT_REQUEST_LIMIT_BYTES = 1.5 * 1024 * 1024;
/** Room for the request envelope (endpoint name, parameters) around the instances. */
const ENVELOPE_BYTES = 4 * 1024;

/**
 * Groups golden examples into Predict requests under the size limit. Small batches route more
 * requests through the traffic split, so the canary is sampled sooner.
 * @see https://cloud.google.com/vertex-ai/docs/predictions/get-online-predictions#send-request
 */
export function batchRequests(
  examples: GoldenExample[],
  maxInstances: number,
  limitBytes = PREDICT_REQUEST_LIMIT_BYTES,
): GoldenExample[][] {
  const budget = limitBytes - ENVELOPE_BYTES;
  const batches: GoldenExample[][] = [];
  let current: GoldenExample[] = [];
  let size = 0;
  for (const example of examples) {
    const bytes = Buffer.byteLength(JSON.stringify(example.instance)) + 1;
    if (bytes > budget) {
      throw new Error(
        `golden set line ${example.line}: the instance is ${bytes} bytes, above the ${limitBytes}-byte online prediction limit; use smaller instances`,
      );
    }
    if (current.length > 0 && (size + bytes > budget || current.length >= maxInstances)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(example);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
