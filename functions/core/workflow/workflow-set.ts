import { compilePattern, matchPattern, type PathPattern } from './path-pattern';
import { WorkflowError } from './parse-workflow';
import { endpointKey } from './environment-of';
import type { Workflow } from './types';

export interface ArtifactMatch {
  workflow: Workflow;
  version: string;
  /** `models/flowers/7/` for a SavedModel, the full object name for a TFLite file. */
  root: string;
  /** The object's path inside a SavedModel folder; '' for TFLite. */
  relativePath: string;
}

/** All loaded workflows; answers "which workflow watches this object?". */
export class WorkflowSet {
  private readonly compiled: Array<{ workflow: Workflow; pattern: PathPattern }>;

  constructor(readonly workflows: Workflow[]) {
    const names = new Map<string, Workflow>();
    const patterns = new Map<string, Workflow>();
    for (const workflow of workflows) {
      const sameName = names.get(workflow.name);
      if (sameName)
        throw new WorkflowError(
          workflow.file,
          'name',
          `"${workflow.name}" is already used by ${sameName.file}; names must be unique`,
        );
      const samePattern = patterns.get(workflow.match);
      if (samePattern)
        throw new WorkflowError(
          workflow.file,
          'match',
          `"${workflow.match}" is already watched by ${samePattern.file}; one path, one workflow`,
        );
      names.set(workflow.name, workflow);
      patterns.set(workflow.match, workflow);
    }
    checkEndpointIds(workflows);
    // Longest literal prefix first, so `models/flowers/eu/{version}/` wins over `models/flowers/{version}/`.
    this.compiled = workflows
      .map((workflow) => ({ workflow, pattern: compilePattern(workflow.match) }))
      .sort((a, b) => b.pattern.prefix.length - a.pattern.prefix.length);
  }

  match(objectName: string): ArtifactMatch | undefined {
    for (const { workflow, pattern } of this.compiled) {
      const found = matchPattern(pattern, objectName);
      if (found) return { workflow, ...found };
    }
    return undefined;
  }

  byName(name: string): Workflow | undefined {
    return this.workflows.find((w) => w.name === name);
  }
}

/**
 * Endpoint ids are `ferry-<workflow>` or `ferry-<workflow>-<environment>` (environment-of.ts
 * endpointKey): workflow `a-b` and environment `b` of workflow `a` would share one endpoint in the
 * same project and region. Refused, naming both.
 */
function checkEndpointIds(workflows: Workflow[]): void {
  const seen = new Map<string, string>();
  for (const workflow of workflows) {
    if (workflow.artifact !== 'savedmodel') continue;
    const places = workflow.environments
      ? workflow.environments.map((e) => ({ place: `${e.project ?? ''}/${e.region ?? ''}`, env: e.name }))
      : [{ place: '/', env: undefined }];
    for (const { place, env } of places) {
      const key = `${place}/${endpointKey(workflow.name, env)}`;
      const owner = `${workflow.file}${env ? ` (environment ${env})` : ''}`;
      const other = seen.get(key);
      if (other)
        throw new WorkflowError(
          workflow.file,
          env ? 'environments' : 'name',
          `its endpoint id ferry-${endpointKey(workflow.name, env)} is also that of ${other}; rename the workflow or the environment`,
        );
      seen.set(key, owner);
    }
  }
}
