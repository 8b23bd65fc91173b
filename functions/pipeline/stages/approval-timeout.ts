import { approvalClock } from '../../core/run/approval';
import type { RunRecord } from '../../core/run/run-record';
import { ALERT_LOG_FIELD, ALERTS } from '../../core/notify/alert-log-fields';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import { decideApproval } from '../operator/decide-approval';
import type { StageDeps } from '../run-stage';
import type { RolloutDeps } from './rollout-actions';

export interface ApprovalTimeoutDeps extends StageDeps {
  rollout: RolloutDeps;
  workflows: WorkflowSet;
}

/** Who the run record names when nobody decided in time. */
export const TIMEOUT_ACTOR = 'ferry reconciler (approval timeout)';

/**
 * The reconciler's part in approvals, for one run awaiting one: past its deadline it applies the
 * workflow's `onTimeout` (approve or reject, through the same decision a person makes); past half
 * its timeout it logs the approval-overdue alert line once (terraform/monitoring.tf alerts on it)
 * and records that it did. What happened, or undefined when nothing was due.
 */
export async function enforceApproval(
  deps: ApprovalTimeoutDeps,
  listed: RunRecord,
): Promise<'timed-out' | 'overdue' | undefined> {
  const now = deps.clock.now();
  const verdict = approvalClock(listed, now);
  if (verdict === 'waiting') return undefined;
  if (verdict === 'timed-out') {
    const { approval } = listed;
    const decision = await decideApproval(deps, listed.runId, {
      verb: approval?.onTimeout === 'approve' ? 'approve' : 'reject',
      by: TIMEOUT_ACTOR,
      reason: `no decision by ${approval?.deadline}`,
    });
    return decision.result === 'decided' ? 'timed-out' : undefined;
  }
  const stored = await deps.runs.get(listed.runId);
  if (!stored || approvalClock(stored.value, now) !== 'overdue' || !stored.value.approval) return undefined;
  const run = stored.value;
  const marked = await deps.runs.update(
    { ...run, approval: { ...run.approval!, overdueLoggedAt: now.toISOString() } },
    stored.generation,
  );
  if (!marked) return undefined; // changed meanwhile: the next pass looks again
  deps.log.warn(
    `run ${run.runId} has awaited approval since ${run.approval!.requestedAt}; it is ${run.approval!.onTimeout === 'approve' ? 'approved' : 'rejected'} at ${run.approval!.deadline} unless someone runs ferry approve or ferry reject`,
    { [ALERT_LOG_FIELD]: ALERTS.approvalOverdue, runId: run.runId, workflow: run.workflow },
  );
  return 'overdue';
}
