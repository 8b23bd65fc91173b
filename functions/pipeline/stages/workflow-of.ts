import type { RunRecord } from '../../core/run/run-record';
import type { Workflow } from '../../core/workflow/types';
import type { WorkflowSet } from '../../core/workflow/workflow-set';

/** The run's workflow; a permanent error if it was removed while the run was under way. */
export function workflowOf(workflows: WorkflowSet, run: RunRecord): Workflow {
  const workflow = workflows.byName(run.workflow);
  if (!workflow)
    throw new Error(`workflow "${run.workflow}" is no longer deployed; re-drop the artifact once it is back`);
  return workflow;
}
