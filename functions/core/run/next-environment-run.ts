import type { Environment, Workflow } from '../workflow/types';
import { nextEnvironment } from '../workflow/environment-of';
import { runIdFor } from './run-id';
import type { RunRecord } from './run-record';

/**
 * The functions' own Vertex location, `projects/P/locations/L`: where an environment without
 * region or project is. Asked only when an environment names one (reading it needs the project).
 */
export type HomeParent = () => string;

/** `projects/P/locations/L` of an environment: its own project/region where set, else home's. */
export function environmentParent(environment: Pick<Environment, 'project' | 'region'>, home: HomeParent): string {
  const [, project, , location] = home().split('/');
  return `projects/${environment.project ?? project}/locations/${environment.region ?? location}`;
}

/** The run's `environment` field for environment `env`: with `parent` only when it is not home. */
export function runEnvironment(env: Environment, home: HomeParent): NonNullable<RunRecord['environment']> {
  if (!env.region && !env.project) return { name: env.name };
  const parent = environmentParent(env, home);
  return { name: env.name, ...(parent === home() ? {} : { parent }) };
}

/** How the version reaches the next environment, from where the two environments are. */
export type Move = 'same-place' | 'copy' | 'upload';

export function moveBetween(from: string | undefined, to: string | undefined, home: HomeParent): Move {
  if (from === to) return 'same-place';
  return movedAcross(from ?? home(), to ?? home());
}

function movedAcross(from: string, to: string): Move {
  if (from === to) return 'same-place';
  const projectOf = (parent: string) => parent.split('/')[1];
  // CopyModel refuses a source in another project: there the artifact is uploaded again.
  return projectOf(from) === projectOf(to) ? 'copy' : 'upload';
}

/**
 * The run that rolls a version promoted in `run`'s environment out in the next one, or undefined
 * when `run`'s was the last (or the workflow has none). Its id is fixed by the version and the
 * environment (core/run/run-id.ts), so a duplicate delivery of the promotion creates nothing new
 * (the caller creates it create-only). Same project and region: it starts `registered` with the
 * same Model Registry version (nothing uploaded); another region: `checked` with `copyFrom`
 * (registerModel copies the version with CopyModel); another project: `checked` (registerModel
 * uploads the same artifact into that project's registry).
 */
export function nextEnvironmentRun(
  run: RunRecord,
  workflow: Workflow,
  home: HomeParent,
  now: Date,
): RunRecord | undefined {
  if (run.kind !== 'savedmodel' || run.state !== 'promoted' || !run.model || !run.environment) return undefined;
  const next = nextEnvironment(workflow, run.environment.name);
  if (!next) return undefined;
  const environment = runEnvironment(next, home);
  const move = moveBetween(run.environment.parent, environment.parent, home);
  const at = now.toISOString();
  const state = move === 'same-place' ? 'registered' : 'checked';
  const how = {
    'same-place': `the same version ${run.model.versionName}, nothing uploaded`,
    copy: `copying ${run.model.versionName} to ${environment.parent} (CopyModel)`,
    upload: `uploading gs://${run.bucket}/${run.root} again into ${environment.parent} (CopyModel does not cross projects)`,
  }[move];
  return {
    runId: runIdFor(run.workflow, run.version, run.bucket, run.root, 1, next.name),
    workflow: run.workflow,
    kind: 'savedmodel',
    environment,
    promotedFrom: run.runId,
    ...(move === 'copy' ? { copyFrom: run.model.versionName } : {}),
    bucket: run.bucket,
    root: run.root,
    version: run.version,
    state,
    step: -1,
    createdAt: at,
    updatedAt: at,
    timeline: [{ state, at, detail: `${next.name}: promoted in ${run.environment.name} by ${run.runId}; ${how}` }],
    ...(run.inspection ? { inspection: run.inspection } : {}),
    ...(move === 'same-place' ? { model: run.model } : {}),
  };
}
