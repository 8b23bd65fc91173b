import { editDistance } from '../text/edit-distance';
import { compilePattern } from './path-pattern';
import type { Workflow } from './types';

/**
 * The workflow whose `match` the path most likely meant, for "no workflow watches this path":
 * the edit distance between each pattern's literal prefix (`models/flowers/`) and as many
 * leading segments of the path. Ties go to the earlier workflow, so the answer is deterministic.
 */
export function nearestWorkflow(workflows: readonly Workflow[], bucketPath: string): Workflow | undefined {
  let best: { workflow: Workflow; distance: number } | undefined;
  for (const workflow of workflows) {
    const { prefix } = compilePattern(workflow.match);
    const segments = prefix.split('/').length - 1;
    const head = bucketPath.split('/').slice(0, segments).join('/') + (segments > 0 ? '/' : '');
    const distance = editDistance(head, prefix);
    if (!best || distance < best.distance) best = { workflow, distance };
  }
  return best?.workflow;
}
