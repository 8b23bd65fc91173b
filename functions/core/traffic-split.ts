/**
 * Traffic-split arithmetic for Vertex AI endpoints. Users ask for "10 % to the candidate"; Vertex
 * wants a map from deployed-model id to integer percent summing to 100 (key "0" = the model being
 * deployed in a DeployModel call; ids absent from the map get no traffic).
 * @see https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints#Endpoint.FIELDS.traffic_split
 */
export type TrafficSplit = Record<string, number>;

/** The key DeployModel reads as "the model this request deploys". */
export const NEW_MODEL_KEY = '0';

export function total(split: TrafficSplit): number {
  return Object.values(split).reduce((sum, pct) => sum + pct, 0);
}

/**
 * Shares `budget` percent among the models of `split` in proportion to their current traffic,
 * in whole percents (largest remainder; ties by id so the result is deterministic).
 */
export function scaleTo(split: TrafficSplit, budget: number): TrafficSplit {
  const entries = Object.entries(split).filter(([, pct]) => pct > 0);
  const sum = entries.reduce((s, [, pct]) => s + pct, 0);
  if (entries.length === 0 || budget <= 0) return {};
  const shares = entries.map(([id, pct]) => {
    const exact = (pct * budget) / sum;
    return { id, floor: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = budget - shares.reduce((s, share) => s + share.floor, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.id.localeCompare(b.id));
  for (const share of byRemainder) {
    if (left <= 0) break;
    share.floor += 1;
    left -= 1;
  }
  return Object.fromEntries(shares.filter((s) => s.floor > 0).map((s) => [s.id, s.floor]));
}

/**
 * The split for DeployModel of a candidate at `percent`: incumbents keep their proportions in the
 * rest. The first model on an endpoint with no traffic takes 100.
 */
export function deploySplit(current: TrafficSplit, percent: number): TrafficSplit {
  checkPercent(percent);
  if (total(current) === 0) return { [NEW_MODEL_KEY]: 100 };
  return { ...scaleTo(current, 100 - percent), [NEW_MODEL_KEY]: percent };
}

/** The split that gives an already deployed candidate `percent` (UpdateEndpoint). */
export function stepSplit(current: TrafficSplit, candidateId: string, percent: number): TrafficSplit {
  checkPercent(percent);
  const others = { ...current };
  delete others[candidateId];
  if (total(others) === 0) return { [candidateId]: 100 };
  return { ...scaleTo(others, 100 - percent), [candidateId]: percent };
}

/** The split once `deployedModelId` is gone (UndeployModel needs one that removes its traffic). */
export function withoutModel(current: TrafficSplit, deployedModelId: string): TrafficSplit {
  const others = { ...current };
  delete others[deployedModelId];
  return scaleTo(others, 100);
}

function checkPercent(percent: number): void {
  if (!Number.isInteger(percent) || percent < 1 || percent > 100)
    throw new Error(`traffic percent must be a whole number from 1 to 100, got ${percent}`);
}
