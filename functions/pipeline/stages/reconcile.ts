import { errorMessage } from '../../core/errors';
import { isTerminal, type RunRecord, type RunState } from '../../core/run/run-record';
import { STALL_BUDGET_MS, stallVerdict } from '../../core/run/stall-budgets';
import type { DocumentStore } from '../ports';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import { enforceApproval } from './approval-timeout';
import { awaitedMessages } from './awaited-messages';
import { leaseKey, leaseScopeOf, type Lease } from './endpoint-lease';
import { endRunSafely, type EndRunDeps } from './end-run-safely';
import { releaseEndedLease } from './lease-release';
import { isStepDue, mobileRolloutStepStage, type MobileRolloutDeps } from './mobile-rollout';
import { runStage } from '../run-stage';

export interface ReconcileDeps extends EndRunDeps {
  leases: DocumentStore;
  /** Per-state budgets (default STALL_BUDGET_MS); tests and local stacks may shorten them. */
  budgets?: Readonly<Record<RunState, number>>;
  /** For approvals that time out (with `rollout`): approving promotes or steps up per the workflow. */
  workflows?: WorkflowSet;
  /** Remote Config and the manifest: rolling-out mobile runs are widened when their step is due. */
  mobileRollout?: MobileRolloutDeps;
}

export interface ReconcileReport {
  nudged: string[];
  ended: string[];
  /** Workflows whose lease was held by an ended or missing run. */
  released: string[];
  /** Runs whose approval timed out: the workflow's onTimeout was applied. */
  timedOut: string[];
  /** Runs awaiting approval past half their timeout: the alert line was logged. */
  overdue: string[];
  /** Mobile rollouts widened to their next step (or finished at 100 %). */
  widened: string[];
  /** Runs that could not be looked at this pass (transient errors): the next pass tries again. */
  errors: string[];
}

/**
 * One pass of the scheduled reconciler, the safety net behind Pub/Sub's retries and dead letters.
 * A run with no state change for longer than its state's budget gets the message it waits for
 * published again, once (a lost publish heals); if it still has not moved a budget later, it is
 * ended like a dead-lettered one (endRunSafely: canary rolled back, `failed`). A run waiting for
 * its endpoint's turn behind a live rollout is not stalled. Leases held by ended or missing runs
 * are released. A run awaiting approval is never stalled: past half its timeout the approval-overdue
 * alert is logged, past its deadline the workflow's onTimeout decides (approval-timeout.ts).
 * Safe to run concurrently and repeatedly: every write is a compare-and-set.
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    nudged: [],
    ended: [],
    released: [],
    timedOut: [],
    overdue: [],
    widened: [],
    errors: [],
  };
  const runs = await deps.runs.list();
  const live = new Set(runs.filter((r) => !isTerminal(r)).map((r) => r.runId));
  const holders = new Map<string, string | undefined>();
  const holderOf = async (scope: string) => {
    if (!holders.has(scope)) holders.set(scope, (await deps.leases.get<Lease>(leaseKey(scope)))?.value.runId);
    return holders.get(scope);
  };
  for (const listed of runs.filter((r) => !isTerminal(r))) {
    try {
      if (listed.state === 'awaiting-approval') {
        const { rollout, workflows } = deps;
        const done = rollout && workflows ? await enforceApproval({ ...deps, rollout, workflows }, listed) : undefined;
        if (done === 'timed-out') report.timedOut.push(listed.runId);
        if (done === 'overdue') report.overdue.push(listed.runId);
        continue;
      }
      if (listed.state === 'rolling-out') {
        // Waiting `every` between steps is the plan, not a stall: widen when due, through runStage
        // (claim and compare-and-set), so concurrent passes and late calls change nothing twice.
        if (deps.mobileRollout && isStepDue(listed, deps.clock.now())) {
          await runStage(deps, listed.runId, mobileRolloutStepStage(deps.mobileRollout, listed.step));
          const after = (await deps.runs.get(listed.runId))?.value;
          if (after && after.step !== listed.step) report.widened.push(listed.runId);
        }
        continue;
      }
      if (listed.state === 'registered') {
        const holder = await holderOf(leaseScopeOf(listed));
        if (holder && holder !== listed.runId && live.has(holder)) continue; // waiting for its turn
      }
      const verdict = stallVerdict(listed, deps.clock.now(), deps.budgets);
      if (verdict === 'nudge' && (await nudge(deps, listed.runId))) report.nudged.push(listed.runId);
      if (verdict === 'end') {
        const budget = Math.round((deps.budgets ?? STALL_BUDGET_MS)[listed.state] / 60_000);
        const result = await endRunSafely(deps, listed.runId, {
          reason: `no progress in state ${listed.state} since ${listed.updatedAt}, even after the reconciler republished its message at ${listed.nudgedAt} (budget ${budget} min per try)`,
          at: { state: listed.state, step: listed.step },
        });
        if (result === 'ended') report.ended.push(listed.runId);
      }
    } catch (error) {
      deps.log.warn(`reconcile: run ${listed.runId}: ${errorMessage(error)}; the next pass tries again`, {
        runId: listed.runId,
      });
      report.errors.push(listed.runId);
    }
  }
  for (const scope of new Set(runs.map(leaseScopeOf))) {
    try {
      if (await releaseEndedLease(deps, scope)) report.released.push(scope);
    } catch (error) {
      deps.log.warn(`reconcile: lease of ${scope}: ${errorMessage(error)}; the next pass tries again`);
    }
  }
  return report;
}

/** Republishes what the run waits for and records the nudge, unless it moved or is being worked on. */
async function nudge(deps: ReconcileDeps, runId: string): Promise<boolean> {
  const stored = await deps.runs.get(runId);
  if (!stored || isTerminal(stored.value)) return false;
  const run: RunRecord = stored.value;
  const now = deps.clock.now();
  if (stallVerdict(run, now, deps.budgets) !== 'nudge') return false;
  if (run.claim && Date.parse(run.claim.until) > now.getTime()) return false;
  // Publish first: a lost record only means a second nudge, a lost publish would mean none.
  for (const message of awaitedMessages(run)) await deps.publisher.publish(message.topic, message.data);
  await deps.runs.update({ ...run, nudgedAt: now.toISOString() }, stored.generation);
  deps.log.warn(`run ${runId}: no progress in state ${run.state} since ${run.updatedAt}; republished its message`, {
    runId,
  });
  return true;
}
