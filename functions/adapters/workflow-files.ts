import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflow } from '../core/workflow/parse-workflow';
import { WorkflowSet } from '../core/workflow/workflow-set';

/** Loads every `*.yaml` / `*.yml` in a folder; any bad file stops the load with its name and field. */
export function loadWorkflows(dir: string): WorkflowSet {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort();
  } catch {
    throw new Error(`${dir}: workflows folder not found (set FERRY_WORKFLOWS_DIR)`);
  }
  return new WorkflowSet(names.map((name) => parseWorkflow(readFileSync(join(dir, name), 'utf8'), join(dir, name))));
}
