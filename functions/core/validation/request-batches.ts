import type { GoldenExample } from './golden-set';
import { endpointBytes, instanceBytes } from './predict-request-size';

/** Online prediction requests are limited to 1.5 MB, measured on the request as sent (protobuf). */
export const PREDICT_REQUEST_LIMIT_BYTES = 1.5 * 1024 * 1024;

/**
 * Groups golden examples into Predict requests under the size limit, measuring each request as the
 * client encodes it (./predict-request-size.ts), endpoint name included. Small batches route more
 * requests through the traffic split, so the canary is sampled sooner.
 * @see https://cloud.google.com/vertex-ai/docs/predictions/get-online-predictions
 */
export function batchRequests(
  examples: GoldenExample[],
  maxInstances: number,
  limitBytes = PREDICT_REQUEST_LIMIT_BYTES,
  endpoint = '',
): GoldenExample[][] {
  const budget = limitBytes - endpointBytes(endpoint);
  const batches: GoldenExample[][] = [];
  let current: GoldenExample[] = [];
  let size = 0;
  for (const example of examples) {
    const bytes = instanceBytes(example.instance);
    if (bytes > budget) {
      throw new Error(
        `golden set line ${example.line}: the instance is ${bytes} bytes as sent (protobuf), above the ${limitBytes}-byte online prediction limit; use smaller instances`,
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
