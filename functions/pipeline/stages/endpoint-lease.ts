import type { RunRecord } from '../../core/run/run-record';
import { leaseScope } from '../../core/workflow/environment-of';

/**
 * The endpoint lease document (one per endpoint: per workflow, or per workflow environment, in the state bucket): which run's rollout has
 * the endpoint. Taken in endpoint-turn.ts, released in lease-release.ts; kept apart so releasing
 * a lease does not import the turn's publishing.
 */
export interface Lease {
  runId: string;
  since: string;
}

/** `leases/<workflow>.json`, or `leases/<workflow>/<environment>.json`: staging's rollout never waits for production's. */
export const leaseKey = (scope: string) => `leases/${scope}.json`;

/** The lease scope of a run's endpoint (core/workflow/environment-of.ts leaseScope). */
export const leaseScopeOf = (run: Pick<RunRecord, 'workflow' | 'environment'>) =>
  leaseScope(run.workflow, run.environment?.name);
