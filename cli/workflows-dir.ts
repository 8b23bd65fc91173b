import { join } from 'node:path';
import { loadWorkflows } from '../functions/adapters/workflow-files';
import type { WorkflowSet } from '../functions/core/workflow/workflow-set';

/** The workflows the local stack's functions load too: FERRY_WORKFLOWS_DIR, else the repository's. */
export function workflowsDir(): string {
  return process.env.FERRY_WORKFLOWS_DIR ?? join(__dirname, '..', 'workflows');
}

export function loadCliWorkflows(dir = workflowsDir()): WorkflowSet {
  return loadWorkflows(dir);
}
