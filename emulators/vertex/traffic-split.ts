import { badField, failedPrecondition } from './rpc-error';

/** Deployed model id → percent of traffic, as in `Endpoint.traffic_split`. */
export type TrafficSplit = Record<string, number>;

/** Key that DeployModel's `traffic_split` uses for the model being deployed. */
export const DEPLOYING_KEY = '0';

function checkValues(split: TrafficSplit, field: string, known: Set<string>): void {
  let sum = 0;
  for (const [id, percent] of Object.entries(split)) {
    if (!known.has(id))
      throw badField(
        `${field}.${id.slice(0, 64)}`,
        `"${id.slice(0, 64)}" is not a deployed model id of this endpoint.`,
      );
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw badField(`${field}.${id}`, `traffic percentage must be an integer from 0 to 100, got ${percent}.`);
    }
    sum += percent;
  }
  if (sum !== 100) throw badField(field, `the traffic split percentages must add up to 100, got ${sum}.`);
}

/**
 * Split after DeployModel: `"0"` stands for the new model; an empty request leaves the split as it
 * is, except that the first model on an empty endpoint takes 100.
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints/deployModel
 */
export function splitForDeploy(
  current: TrafficSplit,
  deployedIds: string[],
  requested: TrafficSplit | undefined,
  newId: string,
): TrafficSplit {
  if (!requested || Object.keys(requested).length === 0) {
    return deployedIds.length === 0 ? { [newId]: 100 } : { ...current };
  }
  const split: TrafficSplit = {};
  for (const [id, percent] of Object.entries(requested)) split[id === DEPLOYING_KEY ? newId : id] = percent;
  checkValues(split, 'traffic_split', new Set([...deployedIds, newId]));
  return split;
}

/** Split set by UpdateEndpoint: every key a deployed model, summing to 100 (or empty on an empty endpoint). */
export function splitForUpdate(deployedIds: string[], requested: TrafficSplit | undefined): TrafficSplit {
  const split = { ...(requested ?? {}) };
  if (Object.keys(split).length === 0 && deployedIds.length === 0) return split;
  checkValues(split, 'endpoint.traffic_split', new Set(deployedIds));
  return split;
}

/**
 * Split after UndeployModel of `removedId`. Without a new split the model must hold no traffic,
 * unless it is the last one; a given split must route everything to the models that stay.
 */
export function splitForUndeploy(
  current: TrafficSplit,
  deployedIds: string[],
  removedId: string,
  requested: TrafficSplit | undefined,
): TrafficSplit {
  const remaining = deployedIds.filter((id) => id !== removedId);
  if (requested && Object.keys(requested).length > 0) {
    const { [removedId]: removedShare, ...rest } = requested;
    if (removedShare !== undefined && removedShare !== 0) {
      throw badField(`traffic_split.${removedId}`, 'the model being undeployed must get 0 traffic.');
    }
    if (remaining.length === 0) return {};
    checkValues(rest, 'traffic_split', new Set(remaining));
    return rest;
  }
  const { [removedId]: share = 0, ...rest } = current;
  if (share > 0 && remaining.length > 0) {
    throw failedPrecondition(
      `Model ${removedId} on the endpoint still receives ${share}% of traffic. Provide a traffic_split that moves its traffic to the other deployed models.`,
    );
  }
  return rest;
}

/** Picks the deployed model for one request: `r` in [0, 1) against cumulative percentages in `order`. */
export function pickDeployedModel(split: TrafficSplit, order: string[], r: number): string | undefined {
  const total = order.reduce((sum, id) => sum + (split[id] ?? 0), 0);
  if (total <= 0) return undefined;
  let threshold = r * total;
  for (const id of order) {
    const share = split[id] ?? 0;
    if (share <= 0) continue;
    if (threshold < share) return id;
    threshold -= share;
  }
  return order.filter((id) => (split[id] ?? 0) > 0).pop();
}
