import { environmentOf, type EffectiveEnvironment } from './environment-of';
import type { Workflow } from './types';

/** A setting that is allowed but weakens a gate; `ferry workflows check` prints it and still passes. */
export interface WorkflowWarning {
  file: string;
  field: string;
  problem: string;
}

/** Endpoint replicas above this are a warning (each one is a billed VM); ferry refuses more than MAX_REPLICAS. */
export const REPLICAS_WARNING = 100;
/** An error rate above this lets a candidate through that fails half its requests. */
export const ERROR_RATE_WARNING = 0.5;

/**
 * Settings that make a gate weaker than its name suggests, with what to do about each. The
 * settings that defeat a gate altogether are refused by parseWorkflow instead; these are the
 * ones a team may mean (a big-bang rollout, a model whose answers are not comparable).
 */
export function workflowWarnings(workflow: Workflow): WorkflowWarning[] {
  const warnings: WorkflowWarning[] = [];
  const warn = (field: string, problem: string) => warnings.push({ file: workflow.file, field, problem });
  // Each environment's settings, under the field a person would edit (its own, or the top-level default).
  for (const [prefix, env] of settingsToCheck(workflow)) {
    if (workflow.artifact === 'savedmodel' && env.rollout.canaryPercent === 100)
      warn(
        `${prefix}rollout.canaryPercent`,
        'is 100: the candidate takes all traffic before it is validated (no canary); use a smaller canary and rollout.steps',
      );
    const gates = env.gates;
    const gatesField = prefix ? `${prefix}gates` : 'validation.gates';
    if (gates.minMatchRate === 0)
      warn(
        `${gatesField}.minMatchRate`,
        'is 0: any answers pass the golden set; raise it, or set a latency gate if answers are not comparable',
      );
    if (gates.maxErrorRate > ERROR_RATE_WARNING)
      warn(
        `${gatesField}.maxErrorRate`,
        `is ${gates.maxErrorRate}: a candidate failing more than half its requests passes; lower it`,
      );
    if (env.endpoint && env.endpoint.maxReplicas > REPLICAS_WARNING)
      warn(
        `${prefix}endpoint.maxReplicas`,
        `is ${env.endpoint.maxReplicas}: autoscaling may start that many billed nodes; check the quota and the budget`,
      );
  }
  return warnings;
}

/** `file: field: problem`, the shape of a WorkflowError's message. */
export function formatWarning(warning: WorkflowWarning): string {
  return `${warning.file}: ${warning.field}: ${warning.problem}`;
}

/** The implicit environment (field prefix '') or each listed one (prefix `environments[i].`). */
function settingsToCheck(workflow: Workflow): Array<[string, EffectiveEnvironment]> {
  if (!workflow.environments) return [['', environmentOf(workflow)]];
  return workflow.environments.map((env, i) => [`environments[${i}].`, env]);
}
