import { withAction } from '../../core/run/approval';
import type { OperatorAction, RunRecord } from '../../core/run/run-record';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import { runStage, type Stage, type StageDeps } from '../run-stage';
import { promote, rollBack, stepUp, type RolloutDeps } from '../stages/rollout-actions';
import { rolloutMessages } from '../stages/validate-predictions';
import { workflowOf } from '../stages/workflow-of';

export interface DecideDeps extends StageDeps {
  rollout: RolloutDeps;
  workflows: WorkflowSet;
}

export interface Decision {
  verb: 'approve' | 'reject';
  by: string;
  reason?: string;
}

export type DecideResult =
  | { result: 'decided'; run: RunRecord }
  /** Not awaiting approval: `already` when the last operator action was this same decision (a repeat). */
  | { result: 'not-waiting'; run: RunRecord; already?: OperatorAction }
  | { result: 'not-found' };

/**
 * A person's (or, on timeout, the reconciler's) decision on a run awaiting approval, as one more
 * delivery to the run (runStage: claim, compare-and-set, announce, publish what follows). Approving
 * does what validation would have done without an approval: the next traffic step or the
 * promotion; rejecting restores the exact previous split and undeploys the candidate, as a failed
 * gate does. Who, when and why go on the run. Only a run still awaiting approval is changed, so a
 * repeated or late decision changes nothing (and publishes nothing: a lost publish after the state
 * write is healed by the reconciler's nudge).
 */
export async function decideApproval(deps: DecideDeps, runId: string, decision: Decision): Promise<DecideResult> {
  const before = await deps.runs.get(runId);
  if (!before) return { result: 'not-found' };
  if (before.value.state === 'awaiting-approval')
    await runStage(deps, runId, decisionStage(deps, decision, before.value.step));
  const after = await deps.runs.get(runId);
  if (!after) return { result: 'not-found' };
  const mine = after.value.operatorActions?.at(-1);
  // Decided by this call: the action it recorded is the one added since the read before.
  const added = (after.value.operatorActions?.length ?? 0) > (before.value.operatorActions?.length ?? 0);
  if (added && mine?.verb === decision.verb && mine.by === decision.by) return { result: 'decided', run: after.value };
  return {
    result: 'not-waiting',
    run: after.value,
    ...(mine?.verb === decision.verb ? { already: mine } : {}),
  };
}

function decisionStage(deps: DecideDeps, decision: Decision, step: number): Stage {
  return {
    name: decision.verb,
    expects: { state: 'awaiting-approval', step },
    produces: [],
    next: rolloutMessages,
    async work(run: RunRecord) {
      const now = deps.clock.now();
      const { approval } = run;
      if (!approval) throw new Error(`run ${run.runId} awaits approval but records no pending approval`);
      const why = decision.reason ? ` (${decision.reason})` : '';
      const acted = withAction(
        { ...run, approval: undefined },
        {
          verb: decision.verb,
          by: decision.by,
          at: now.toISOString(),
          step: run.step,
          ...(decision.reason ? { reason: decision.reason } : {}),
        },
      );
      if (decision.verb === 'reject') return rollBack(deps.rollout, acted, `rejected by ${decision.by}${why}`);
      const workflow = workflowOf(deps.workflows, run);
      const summary = `${approval.summary}; approved by ${decision.by}${why}`;
      return approval.action === 'promote'
        ? promote(deps.rollout, acted, workflow, summary)
        : stepUp(deps.rollout, acted, workflow, summary);
    },
  };
}
