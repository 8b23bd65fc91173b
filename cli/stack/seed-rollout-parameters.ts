import type { App } from 'firebase-admin/app';
import { getRemoteConfig } from 'firebase-admin/remote-config';
import type { WorkflowSet } from '../../functions/core/workflow/workflow-set';

export interface SeededParameter {
  parameter: string;
  /** Its default value: the workflow's Firebase ML model name (`mobile.modelName`). */
  value: string;
  workflow: string;
}

/**
 * For `ferry up`'s local Remote Config only, which starts with an empty template where a real
 * project already has the app team's parameter: each staged mobile workflow's parameter that is
 * missing is created, as a person would in the console, with the workflow's Firebase ML model
 * name as its default (the model apps outside the rollout download). A parameter that exists, at
 * top level or in a group, is left as it is, so a `--data-dir` stack keeps its own.
 */
export async function seedRolloutParameters(app: App, workflows: WorkflowSet): Promise<SeededParameter[]> {
  const wanted = new Map<string, SeededParameter>();
  for (const workflow of workflows.workflows) {
    const parameter = workflow.mobile?.rollout?.parameter;
    if (parameter && !wanted.has(parameter))
      wanted.set(parameter, { parameter, value: workflow.mobile!.modelName, workflow: workflow.name });
  }
  if (wanted.size === 0) return [];
  const remoteConfig = getRemoteConfig(app);
  const template = await remoteConfig.getTemplate();
  const grouped = new Set(Object.values(template.parameterGroups).flatMap((group) => Object.keys(group.parameters)));
  const missing = [...wanted.values()].filter((p) => !template.parameters[p.parameter] && !grouped.has(p.parameter));
  if (missing.length === 0) return [];
  for (const p of missing)
    template.parameters[p.parameter] = {
      defaultValue: { value: p.value },
      valueType: 'STRING',
      description: `created by ferry up for the staged rollouts of workflow ${p.workflow}`,
    };
  await remoteConfig.publishTemplate(template);
  return missing;
}
