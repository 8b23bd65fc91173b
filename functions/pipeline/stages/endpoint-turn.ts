import { isTerminal } from '../../core/run/run-record';
import type { Clock, DocumentStore, Logger, Publisher, RunStore } from '../ports';
import type { StageMessage } from '../messages';
import { TOPICS } from '../topics';
import { leaseKey, type Lease } from './endpoint-lease';

export interface TurnDeps {
  leases: DocumentStore;
  runs: RunStore;
  publisher: Publisher;
  clock: Clock;
  log: Logger;
  budgetMs: number;
  pollMs: number;
}

/**
 * One rollout at a time per workflow endpoint: a second run's rollback would otherwise restore a
 * split without the first one's candidate. The turn is a lease document taken create-only; it
 * passes on when its holder's run has ended (no release step to forget). A run whose turn has not
 * come waits up to the budget, then hands its message on as awaitOperation does: never an
 * error, never a dead letter, however long the other rollout takes. True when the run may deploy.
 */
export async function awaitEndpointTurn(
  deps: TurnDeps,
  runId: string,
  /** The run's lease scope (leaseScopeOf): its workflow, and environment when it has one. */
  scope: string,
  /** When the first copy of the waiting message was published: carried on (message-age.ts). */
  since?: string,
): Promise<boolean> {
  const key = leaseKey(scope);
  const started = deps.clock.now().getTime();
  for (;;) {
    const holder = await takeTurn(deps, key, runId);
    if (holder === runId) return true;
    if (deps.clock.now().getTime() - started + deps.pollMs > deps.budgetMs) {
      deps.log.info(`the ${scope} endpoint is busy with run ${holder}; waiting for it to end`, { runId });
      const message: StageMessage = { runId, ...(since ? { since } : {}) };
      await deps.publisher.publish(TOPICS.modelRegistered, message);
      return false;
    }
    await deps.clock.sleep(deps.pollMs);
  }
}

/** The lease's holder after trying to take it. */
async function takeTurn(deps: TurnDeps, key: string, runId: string): Promise<string> {
  const mine: Lease = { runId, since: deps.clock.now().toISOString() };
  if (await deps.leases.create(key, mine)) return runId;
  const current = await deps.leases.get<Lease>(key);
  if (!current) return (await deps.leases.create(key, mine)) ? runId : '(another run)';
  if (current.value.runId === runId) return runId;
  const holder = await deps.runs.get(current.value.runId);
  if (holder && !isTerminal(holder.value)) return current.value.runId;
  return (await deps.leases.update(key, mine, current.generation)) ? runId : current.value.runId;
}
