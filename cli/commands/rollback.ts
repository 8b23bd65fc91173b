import { chooseRollback } from '../../functions/core/rollout/rollback-target';
import { rollbackRun } from '../../functions/core/rollout/rollback-run';
import type { RunRecord } from '../../functions/core/run/run-record';
import { endpointKey, environmentOf, promotionAliases } from '../../functions/core/workflow/environment-of';
import type { Workflow } from '../../functions/core/workflow/types';
import { rollbackMobileRollout } from '../../functions/pipeline/operator/rollback-mobile';
import { announce } from '../../functions/pipeline/run-stage';
import type { StageMessage } from '../../functions/pipeline/messages';
import { TOPICS } from '../../functions/pipeline/topics';
import { parseCommandArgs, textFlag, UsageError } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { CliIo, Command } from '../io';
import { openOperator, type OperatorDeps } from '../stack/operator-deps';

const SPEC = COMMAND_SPECS.rollback;

/**
 * `ferry rollback <workflow> [--to VERSION] [--environment NAME] [--reason TEXT] [--project PROJECT]`: puts an earlier
 * promoted version back at 100 % with `default` on it. It only creates a run of kind `rollback`
 * (create-only, so the same command twice at once makes one run) and hands it to deployModel,
 * which waits for the endpoint's turn and does the work under the run's claim; if the message is
 * lost, the reconciler republishes it for the stalled run. `open` is the operator's deps (a test
 * may pass its own).
 */
export const rollbackCommand =
  (open: (io: CliIo, project?: string) => Promise<OperatorDeps> = openOperator): Command =>
  async (args, io) => {
    const parsed = parseCommandArgs(SPEC, args);
    const [name] = parsed.positionals;
    const to = parsed.string('to');
    const environment = parsed.string('environment');
    const reason = textFlag(SPEC, parsed, 'reason');
    if (to !== undefined && to.trim() === '') throw new UsageError(SPEC, '--to needs a version, e.g. --to 1');
    try {
      const deps = await open(io, parsed.string('project'));
      try {
        return await rollBack(deps, io, name, to, reason, environment);
      } finally {
        await deps.close();
      }
    } catch (error) {
      if (error instanceof UsageError) throw error; // --environment, checked against the workflow read here
      io.err(error instanceof Error ? error.message : String(error));
      return 1;
    }
  };

export const rollback = rollbackCommand();

async function rollBack(
  deps: OperatorDeps,
  io: CliIo,
  name: string,
  to: string | undefined,
  reason: string | undefined,
  environmentFlag: string | undefined,
): Promise<number> {
  const staged = deps.workflows.workflows.find((w) => w.name === name && w.mobile?.rollout);
  if (staged) return rollBackMobile(deps, io, name, to, reason);
  const workflow = endpointWorkflow(deps, name);
  const environment = environmentNamed(workflow, environmentFlag);
  const runs = await deps.runs.list();
  const choice = chooseRollback(runs, workflow.name, to, environment);
  if (choice.action === 'refuse') {
    io.err(choice.message);
    return 1;
  }
  if (choice.action === 'under-way') return underWay(io, choice.run);
  const { target, serving, versions } = choice;
  if (target.version === serving.version && (await alreadyBack(deps, workflow, target, environment))) {
    const others = versions.filter((version) => version !== target.version).map((version) => `v${version}`);
    io.out(
      `nothing to do: v${target.version} of ${workflow.name} already serves 100 % and holds default (${serving.kind === 'rollback' ? 'rolled back' : 'promoted'} by run ${serving.runId})`,
    );
    if (others.length) io.out(`to roll back further: ferry rollback ${workflow.name} --to one of ${others.join(', ')}`);
    return 0;
  }
  const run = rollbackRun({ target, serving, runs, by: deps.by, reason, now: deps.clock.now() });
  if (!(await deps.runs.create(run))) {
    const existing = (await deps.runs.get(run.runId))?.value;
    if (existing) return underWay(io, existing);
    throw new Error(`run ${run.runId} could not be created, nor read back; try again`);
  }
  await announce(deps, undefined, run);
  const message: StageMessage = { runId: run.runId };
  await deps.publisher.publish(TOPICS.modelRegistered, message);
  const from = serving.version === target.version ? `v${target.version} again` : `from v${serving.version}`;
  io.out(`rolling ${workflow.name} back to v${target.version} (${target.model?.versionName}) ${from}`);
  io.out(`run ${run.runId}`);
  io.out(`follow it with: ferry status ${run.runId}`);
  return 0;
}

/** A TFLite workflow with `mobile.rollout`: undo its latest completed rollout (rollback-mobile.ts). */
async function rollBackMobile(
  deps: OperatorDeps,
  io: CliIo,
  name: string,
  to: string | undefined,
  reason: string | undefined,
): Promise<number> {
  if (to !== undefined)
    throw new UsageError(
      SPEC,
      `${name} rolls out through Remote Config: ferry rollback undoes its latest rollout; drop --to`,
    );
  if (!deps.mobileRollout)
    throw new Error(`${name} rolls out through Remote Config, and this ferry was given no Remote Config access`);
  const result = await rollbackMobileRollout({ ...deps, mobileRollout: deps.mobileRollout }, name, {
    by: deps.by,
    ...(reason ? { reason } : {}),
  });
  if (result.result === 'refused') {
    io.err(`nothing rolled back: ${result.why}`);
    return 1;
  }
  io.out(
    result.result === 'rolled-back' ? (result.run.reason ?? '') : `already rolled back by run ${result.run.runId}`,
  );
  io.out(`run ${result.run.runId}`);
  return 0;
}

/** The workflow named, if it serves from an endpoint; else an error naming those that do. */
function endpointWorkflow(deps: OperatorDeps, name: string): Workflow {
  const all = deps.workflows.workflows;
  const withEndpoint = all.filter((w) => w.endpoint || w.environments).map((w) => w.name);
  const workflow = all.find((w) => w.name === name);
  if (!workflow)
    throw new Error(`no workflow "${name}"; known workflows: ${all.map((w) => w.name).join(', ') || 'none'}`);
  if (!workflow.endpoint && !workflow.environments)
    throw new Error(
      `${name} publishes to apps, not to an endpoint: ferry rollback acts on ${withEndpoint.join(', ') || 'endpoint workflows'}`,
    );
  return workflow;
}

/**
 * True when the endpoint gives all its traffic to a deployment of the target's version and the
 * version holds `default`: anything else (a split or an alias changed by hand) is put right by a run.
 */
async function alreadyBack(
  deps: OperatorDeps,
  workflow: Workflow,
  target: RunRecord,
  environment: string | undefined,
): Promise<boolean> {
  const config = environmentOf(workflow, environment).endpoint!;
  const parent = target.environment?.parent;
  const endpoint = await deps.endpoints.find(config.displayName, endpointKey(workflow.name, environment), parent);
  const model = target.model;
  if (!endpoint || !model) return false;
  const serves = endpoint.deployedModels.some(
    (d) =>
      d.model.split('@')[0] === model.name &&
      d.modelVersionId === model.versionId &&
      endpoint.trafficSplit[d.id] === 100,
  );
  const [alias] = promotionAliases(workflow, environment);
  return serves && (await deps.registry.aliasesOf(model.versionName)).includes(alias);
}

/**
 * The environment `--environment` names: required when the workflow lists several (a rollback
 * acts on one endpoint), refused when it lists none or not that one.
 */
function environmentNamed(workflow: Workflow, flag: string | undefined): string | undefined {
  const names = workflow.environments?.map((e) => e.name) ?? [];
  if (names.length === 0) {
    if (flag !== undefined)
      throw new UsageError(SPEC, `${workflow.name} lists no environments: leave out --environment ${flag}`);
    return undefined;
  }
  if (flag === undefined) {
    if (names.length === 1) return names[0];
    throw new UsageError(
      SPEC,
      `${workflow.name} rolls out in ${names.join(', ')}: say which one to roll back with --environment (e.g. --environment ${names[names.length - 1]})`,
    );
  }
  if (!names.includes(flag))
    throw new UsageError(SPEC, `${workflow.name} has no environment "${flag}"; its environments: ${names.join(', ')}`);
  return flag;
}

function underWay(io: CliIo, run: RunRecord): number {
  const state = run.outcome ? `ended ${run.outcome}` : `under way (${run.state})`;
  io.out(`a rollback of ${run.workflow} to v${run.version} is ${state}: run ${run.runId}`);
  io.out(`follow it with: ferry status ${run.runId}`);
  return 0;
}
