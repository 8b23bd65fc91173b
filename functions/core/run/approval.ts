import { environmentOf } from '../workflow/environment-of';
import type { Workflow } from '../workflow/types';
import type { OperatorAction, RunRecord } from './run-record';
import { advance } from './transitions';

/**
 * Whether the workflow wants a person before what validation decided: `step-up` to the next
 * traffic step, or `promote` at 100 %. `before: promote` asks once, before the candidate takes all
 * the traffic: at the step up to 100 %, or (a first model, whose canary is already 100 %) before
 * promoting. `each-step` asks before every step up too. A promotion right after an approved step
 * up to 100 % is not asked again: that approval was for it.
 */
export function approvalNeeded(workflow: Workflow, run: RunRecord, action: 'promote' | 'step-up'): boolean {
  const { approval, rollout } = environmentOf(workflow, run.environment?.name);
  const before = approval?.before;
  if (!before) return false;
  if (action === 'step-up') return before === 'each-step' || rollout.steps[run.step + 1] >= 100;
  return !(run.operatorActions ?? []).some((a) => a.verb === 'approve' && a.step === run.step - 1);
}

/**
 * Holds a validated run for a person: nothing on the endpoint changes (the candidate keeps its
 * share), the run records what approving will do and until when, and its timeline entry, announced
 * on ferry.run.events, says which command to run. Pure.
 */
export function requestApproval(
  run: RunRecord,
  workflow: Workflow,
  action: 'promote' | 'step-up',
  summary: string,
  now: Date,
): RunRecord {
  const { approval, rollout } = environmentOf(workflow, run.environment?.name);
  if (!approval) throw new Error(`${workflow.file}: approval: is not set`);
  const deadline = new Date(now.getTime() + approval.timeoutMs).toISOString();
  const next =
    action === 'promote' ? 'promote it (default moves to it)' : `step up to ${rollout.steps[run.step + 1]} %`;
  return advance(
    run,
    'awaiting-approval',
    now,
    `${summary}; awaiting approval to ${next}: run \`ferry approve ${run.runId}\` or \`ferry reject ${run.runId} --reason …\`; without a decision by ${deadline} it is ${approval.onTimeout === 'approve' ? 'approved' : 'rejected'}`,
    { approval: { action, summary, requestedAt: now.toISOString(), deadline, onTimeout: approval.onTimeout } },
  );
}

/**
 * Where an approval stands for the reconciler: `timed-out` past its deadline, `overdue` past half
 * its timeout and not yet alerted (once per run), else `waiting`. Pure.
 */
export function approvalClock(run: RunRecord, now: Date): 'waiting' | 'overdue' | 'timed-out' {
  const { approval } = run;
  if (run.state !== 'awaiting-approval' || !approval) return 'waiting';
  const requested = Date.parse(approval.requestedAt);
  const deadline = Date.parse(approval.deadline);
  if (now.getTime() >= deadline) return 'timed-out';
  if (!approval.overdueLoggedAt && now.getTime() >= requested + (deadline - requested) / 2) return 'overdue';
  return 'waiting';
}

/** The run with one more operator action recorded. */
export function withAction(run: RunRecord, action: OperatorAction): RunRecord {
  return { ...run, operatorActions: [...(run.operatorActions ?? []), action] };
}
