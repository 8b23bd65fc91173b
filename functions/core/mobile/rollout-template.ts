import { createHash } from 'node:crypto';
import { sameJson, type RcParameter, type RcTemplateBody, type RcValue } from './remote-config-template';

/**
 * A staged rollout's part of a Remote Config template: one condition, first in priority,
 * `percent('<seed>') between 0 and <N>`, and the parameter's conditional value for it pointing the
 * chosen share of app instances at the candidate. At 100 % the candidate becomes the parameter's
 * default and the condition goes.
 *
 * Condition grammar: "percent('<seed>') between <low> and <high>" over a seeded random percentile
 * (https://firebase.google.com/docs/remote-config/condition-reference, element `percent`); the seed
 * is 0 to 32 of [-_.0-9a-zA-Z] (firebase-admin `PercentCondition.seed`).
 *
 * Everything here is pure and idempotent: each function computes the next template from the one
 * just read, so a conflict (someone published in between) is handled by reading again and
 * recomputing, and a retried step computes the same template.
 */
export interface TemplateRollout {
  parameter: string;
  seed: string;
  /** The parameter value that selects the candidate (its Firebase ML model name or Storage object). */
  candidateValue: string;
  /** The parameter exactly as it was before the rollout: what restore puts back. */
  before: RcParameter;
}

/** A template ferry must not change: its part was edited by hand, or the template lacks what it needs. */
export class RolloutTemplateError extends Error {
  constructor(
    readonly kind: 'conflict' | 'broken',
    message: string,
  ) {
    super(message);
    this.name = 'RolloutTemplateError';
  }
}

/** The condition a rollout of `parameter` owns. */
export function rolloutConditionName(parameter: string): string {
  return `ferry_${parameter}_rollout`;
}

/** The rollout's seed: from the run id, so a retried start computes the same condition. */
export function rolloutSeed(runId: string): string {
  return `ferry-${createHash('sha256').update(runId).digest('hex').slice(0, 20)}`;
}

export function percentExpression(seed: string, percent: number): string {
  return `percent('${seed}') between 0 and ${percent}`;
}

/**
 * What restore needs, read from the template before the first step: the parameter as it stands.
 * The parameter must exist at the top level (apps already read it), and no condition of the
 * rollout's name may exist (another rollout of the parameter is under way, or one was left behind).
 */
export function rolloutBaseline(template: RcTemplateBody, parameter: string): RcParameter {
  const found = topLevelParameter(template, parameter);
  const condition = rolloutConditionName(parameter);
  if (template.conditions.some((c) => c.name === condition))
    throw new RolloutTemplateError(
      'conflict',
      `the Remote Config template already has a condition "${condition}": another rollout of "${parameter}" is under way or was left behind; finish or abort it (ferry status), or delete the condition`,
    );
  return structuredClone(found);
}

/**
 * The baseline when the first step may already be in the template: a first attempt that published
 * it and died before the run recorded anything. The rollout's own first step (same seed, same
 * candidate) is taken out again; anything else of the rollout's name is refused as rolloutBaseline does.
 */
export function firstStepBaseline(
  template: RcTemplateBody,
  rollout: Omit<TemplateRollout, 'before'>,
  firstPercent: number,
): RcParameter {
  const name = rolloutConditionName(rollout.parameter);
  const condition = template.conditions.find((c) => c.name === name);
  const parameter = template.parameters[rollout.parameter];
  const ours =
    condition?.expression === percentExpression(rollout.seed, firstPercent) &&
    sameJson(parameter?.conditionalValues?.[name], { value: rollout.candidateValue });
  if (!ours || !parameter) return rolloutBaseline(template, rollout.parameter);
  const { [name]: _first, ...others } = parameter.conditionalValues ?? {};
  const before: RcParameter = structuredClone({ ...parameter, conditionalValues: others });
  if (Object.keys(others).length === 0) delete before.conditionalValues;
  return before;
}

/**
 * The template with the rollout at `to` percent, from a template where ferry last set `from`
 * (undefined before the first step). Applying the same step twice gives the same template. Throws
 * RolloutTemplateError `conflict` when ferry's own part was changed by hand since (the parameter's
 * default, the condition's expression, the conditional value), `broken` when the parameter is gone.
 */
export function applyRolloutStep<T extends RcTemplateBody>(
  template: T,
  rollout: TemplateRollout,
  from: number | undefined,
  to: number,
): T {
  const parameter = topLevelParameter(template, rollout.parameter);
  const name = rolloutConditionName(rollout.parameter);
  const condition = template.conditions.find((c) => c.name === name);
  const candidate: RcValue = { value: rollout.candidateValue };
  const done = !condition && sameJson(parameter.defaultValue, candidate) && !parameter.conditionalValues?.[name];
  if (to === 100 && done) return template; // an earlier attempt already finished
  if (!sameJson(parameter.defaultValue, rollout.before.defaultValue))
    throw conflict(
      `the default value of "${rollout.parameter}" was changed by hand to ${describe(parameter.defaultValue)} during the rollout (it was ${describe(rollout.before.defaultValue)})`,
    );
  const allowed = [from, to].filter((p): p is number => p !== undefined).map((p) => percentExpression(rollout.seed, p));
  if (condition && !allowed.includes(condition.expression))
    throw conflict(
      `the condition "${name}" was changed by hand to "${condition.expression}" (ferry set "${allowed[0]}")`,
    );
  if (!condition && from !== undefined)
    throw conflict(`the condition "${name}" was removed by hand during the rollout (ferry set "${allowed[0]}")`);
  const conditional = parameter.conditionalValues?.[name];
  if (condition && conditional && !sameJson(conditional, candidate))
    throw conflict(
      `the value of "${rollout.parameter}" under "${name}" was changed by hand to ${describe(conditional)} (ferry set ${describe(candidate)})`,
    );
  const others = template.conditions.filter((c) => c.name !== name);
  const { [name]: _ours, ...otherValues } = parameter.conditionalValues ?? {};
  if (to === 100) {
    const next: RcParameter = { ...parameter, defaultValue: candidate, conditionalValues: otherValues };
    if (Object.keys(otherValues).length === 0 && !rollout.before.conditionalValues) delete next.conditionalValues;
    return { ...template, conditions: others, parameters: { ...template.parameters, [rollout.parameter]: next } };
  }
  return {
    ...template,
    conditions: [{ name, expression: percentExpression(rollout.seed, to) }, ...others],
    parameters: {
      ...template.parameters,
      [rollout.parameter]: { ...parameter, conditionalValues: { [name]: candidate, ...otherValues } },
    },
  };
}

/**
 * The template with ferry's part as it was before the rollout: the parameter exactly as recorded,
 * the rollout's condition gone; every other parameter and condition (concurrent console edits) as
 * read. Restoring twice gives the same template.
 */
export function restoreRollout<T extends RcTemplateBody>(template: T, rollout: TemplateRollout): T {
  const name = rolloutConditionName(rollout.parameter);
  return {
    ...template,
    conditions: template.conditions.filter((c) => c.name !== name),
    parameters: { ...template.parameters, [rollout.parameter]: structuredClone(rollout.before) },
  };
}

function topLevelParameter(template: RcTemplateBody, parameter: string): RcParameter {
  const found = template.parameters[parameter];
  if (found) return found;
  const group = Object.entries(template.parameterGroups ?? {}).find(([, g]) =>
    Boolean((g as { parameters?: Record<string, unknown> } | undefined)?.parameters?.[parameter]),
  )?.[0];
  throw new RolloutTemplateError(
    'broken',
    group
      ? `the Remote Config parameter "${parameter}" is in the parameter group "${group}"; ferry rolls out top-level parameters only: move it out of the group`
      : `the Remote Config template has no parameter "${parameter}": create it with the model apps use today as its default value, then retry the run (ferry retry <run>)`,
  );
}

function conflict(what: string): RolloutTemplateError {
  return new RolloutTemplateError(
    'conflict',
    `${what}; ferry stops rather than overwrite it: put the template right by hand (ferry status shows what ferry set and the parameter as it was before)`,
  );
}

function describe(value: RcValue | undefined): string {
  if (!value) return 'no value';
  if (value.useInAppDefault) return 'the in-app default';
  return JSON.stringify(value.value ?? '');
}

/**
 * `ferry rollback` after a rollout reached 100 %: the template with ferry's part as before the
 * rollout, provided the parameter's default still names the candidate ferry set (else someone
 * changed it since, and a rollback would overwrite their change). Already restored: unchanged.
 */
export function rollBackCompletedRollout<T extends RcTemplateBody>(template: T, rollout: TemplateRollout): T {
  const parameter = topLevelParameter(template, rollout.parameter);
  const name = rolloutConditionName(rollout.parameter);
  const hasCondition = template.conditions.some((c) => c.name === name);
  if (!hasCondition && sameJson(parameter, rollout.before)) return template;
  if (!sameJson(parameter.defaultValue, { value: rollout.candidateValue }) || hasCondition)
    throw new RolloutTemplateError(
      'conflict',
      `the default value of "${rollout.parameter}" is ${describe(parameter.defaultValue)}${hasCondition ? ` and a condition "${name}" exists` : ''}, not what the rollout left (${JSON.stringify(rollout.candidateValue)}): it was changed since; ferry rollback would overwrite that, so it stops: put the template right by hand`,
    );
  return restoreRollout(template, rollout);
}
