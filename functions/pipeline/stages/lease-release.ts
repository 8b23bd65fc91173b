import { isTerminal } from '../../core/run/run-record';
import type { DocumentStore, RunStore } from '../ports';
import { leaseKey, type Lease } from './endpoint-lease';

export interface LeaseReleaseDeps {
  leases: DocumentStore;
  runs: RunStore;
}

/**
 * Deletes an endpoint's lease when its holder's run has ended or does not exist (or, with
 * `onlyHeldBy`, only when that run holds it). Not needed for correctness — the next run takes over
 * such a lease anyway (endpoint-turn.ts) — but it leaves no stale holder in the state bucket. The
 * delete is conditional on the generation read, so a lease another run took meanwhile stays.
 * True when a lease was released.
 */
export async function releaseEndedLease(
  deps: LeaseReleaseDeps,
  /** The lease scope (leaseScopeOf): a workflow, or workflow/environment. */
  scope: string,
  onlyHeldBy?: string,
): Promise<boolean> {
  const lease = await deps.leases.get<Lease>(leaseKey(scope));
  if (!lease || (onlyHeldBy !== undefined && lease.value.runId !== onlyHeldBy)) return false;
  const holder = await deps.runs.get(lease.value.runId);
  if (holder && !isTerminal(holder.value)) return false;
  await deps.leases.delete(leaseKey(scope), lease.generation);
  return true;
}
