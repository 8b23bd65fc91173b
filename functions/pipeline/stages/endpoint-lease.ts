/**
 * The endpoint lease document (one per workflow, in the state bucket): which run's rollout has
 * the endpoint. Taken in endpoint-turn.ts, released in lease-release.ts; kept apart so releasing
 * a lease does not import the turn's publishing.
 */
export interface Lease {
  runId: string;
  since: string;
}

export const leaseKey = (workflow: string) => `leases/${workflow}.json`;
