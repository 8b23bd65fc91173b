import type { Approval, Environment, Gates, Workflow } from './types';

/**
 * What a run rolls out with: its environment's endpoint, rollout, gates and approval. A workflow
 * without `environments` is one implicit environment (no name) made of its top-level fields.
 */
export interface EffectiveEnvironment {
  /** Absent for a workflow without `environments`. */
  name?: string;
  /** Absent only for TFLite workflows (they have no endpoint). */
  endpoint?: NonNullable<Workflow['endpoint']>;
  region?: string;
  project?: string;
  rollout: Workflow['rollout'];
  gates: Gates;
  approval?: Approval;
}

/**
 * The effective settings of environment `name` (a run's `environment.name`). A name the workflow
 * does not list, or no name for a workflow that lists environments, means the workflow file changed
 * under a run: a permanent error naming the file, never a guess.
 */
export function environmentOf(workflow: Workflow, name?: string): EffectiveEnvironment {
  if (!workflow.environments) {
    if (name !== undefined)
      throw new Error(
        `${workflow.file}: environments: the run belongs to environment "${name}", which the workflow no longer lists; re-drop the artifact`,
      );
    return {
      endpoint: workflow.endpoint,
      rollout: workflow.rollout,
      gates: workflow.validation.gates,
      ...(workflow.approval ? { approval: workflow.approval } : {}),
    };
  }
  const environment = workflow.environments.find((e) => e.name === name);
  if (!environment)
    throw new Error(
      `${workflow.file}: environments: ${name === undefined ? 'the run names no environment' : `no environment "${name}"`} (the workflow lists ${workflow.environments.map((e) => e.name).join(', ')}); re-drop the artifact`,
    );
  return environment;
}

/** The environment a drop's run starts in: the first listed (undefined without `environments`). */
export function firstEnvironment(workflow: Workflow): Environment | undefined {
  return workflow.environments?.[0];
}

/** The environment after `name`, where a version promoted in `name` goes next (undefined: the last). */
export function nextEnvironment(workflow: Workflow, name: string | undefined): Environment | undefined {
  if (!workflow.environments || name === undefined) return undefined;
  const index = workflow.environments.findIndex((e) => e.name === name);
  return index < 0 ? undefined : workflow.environments[index + 1];
}

/** True when `name` is the workflow's last environment (or the workflow has none). */
export function isLastEnvironment(workflow: Workflow, name: string | undefined): boolean {
  return !workflow.environments || name === undefined || nextEnvironment(workflow, name) === undefined;
}

/**
 * What names a run's endpoint among the workflow's: the workflow, plus the environment when it
 * has one. The Endpoints port derives the endpoint id from it (`ferry-<key>`, at most 63
 * characters: workflow names have at most 40, environment names 16).
 */
export function endpointKey(workflow: string, environment: string | undefined): string {
  return environment === undefined ? workflow : `${workflow}-${environment}`;
}

/** The endpoint lease's scope (endpoint-lease.ts): one rollout at a time per endpoint, not per workflow. */
export function leaseScope(workflow: string, environment: string | undefined): string {
  return environment === undefined ? workflow : `${workflow}/${environment}`;
}

/**
 * The Model Registry aliases a promotion (or a rollback) in this environment moves: its own name,
 * plus `default` in the last one (a workflow without environments moves `default` alone). An
 * earlier environment leaves `default` where production has it.
 */
export function promotionAliases(workflow: Workflow, environment: string | undefined): string[] {
  if (environment === undefined) return ['default'];
  return isLastEnvironment(workflow, environment) ? ['default', environment] : [environment];
}
