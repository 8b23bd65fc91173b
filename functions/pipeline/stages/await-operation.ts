import { GRPC } from '../../core/grpc-codes';
import type { RunRecord } from '../../core/run/run-record';
import { advance, endRun } from '../../core/run/transitions';
import type { OperationMessage } from '../messages';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import type { Endpoints, ModelRegistry, OperationStatus } from '../ports';
import { runStage, type Stage, type StageDeps } from '../run-stage';
import { TOPICS } from '../topics';
import { resumeStage } from './resume-stage';
import { finishRollback } from './rollback-to-version';
import { workflowOf } from './workflow-of';
import { promotionAliases } from '../../core/workflow/environment-of';
import type { HomeParent } from '../../core/run/next-environment-run';
import { retireStage } from './retire-step';

export interface AwaitDeps extends StageDeps {
  endpoints: Endpoints;
  /** For the promotion's steps (retire-step.ts): moving `default`, reading the workflow's keepPrevious. */
  registry: ModelRegistry;
  workflows: WorkflowSet;
  /** How long one invocation follows an operation before handing it to the next (well under the function timeout). */
  budgetMs: number;
  pollMs: number;
  /** An operation still running after this long ends the run failed. */
  operationTimeoutMs: number;
  /** The functions' own Vertex location, for a promotion that starts a run in an environment elsewhere. */
  home?: HomeParent;
}

/**
 * Defaults for Cloud Functions: 540 s timeout, so follow for 4 minutes then hand on. The one
 * source: entry/config.ts falls back to these when FERRY_AWAIT_* are unset.
 */
/** The least time one poll gets, however little of the budget is left. */
const MIN_POLL_MS = 1000;

export const AWAIT_DEFAULTS = { budgetMs: 240_000, pollMs: 10_000, operationTimeoutMs: 2 * 60 * 60 * 1000 };

/**
 * Follows a Vertex long-running operation without ever blocking longer than its budget: it polls
 * for a while, and if the operation is still running it publishes the same message again and
 * returns successfully — no error, no retry, no dead letter, however long the deployment takes.
 * @see https://cloud.google.com/vertex-ai/docs/general/long-running-operations
 */
export async function awaitOperation(deps: AwaitDeps, message: OperationMessage): Promise<void> {
  const started = deps.clock.now().getTime();
  for (;;) {
    // A failing poll is retried only within what is left of the budget, so an outage fails this
    // delivery in time for Pub/Sub to retry it (and, past its attempts, to dead-letter it).
    const left = Math.max(MIN_POLL_MS, started + deps.budgetMs - deps.clock.now().getTime());
    const status = await statusOf(deps, message, left);
    if (status.done) {
      await runStage(deps, message.runId, completionStage(deps, message, status));
      return;
    }
    const now = deps.clock.now().getTime();
    if (now - Date.parse(message.startedAt) > deps.operationTimeoutMs) {
      const timeout: OperationStatus = {
        done: true,
        error: {
          code: GRPC.DEADLINE_EXCEEDED,
          message: `operation still running after ${Math.round(deps.operationTimeoutMs / 60000)} min`,
        },
      };
      await runStage(deps, message.runId, completionStage(deps, message, timeout));
      return;
    }
    if (now - started + deps.pollMs > deps.budgetMs) {
      await deps.publisher.publish(TOPICS.operationPending, message);
      return;
    }
    await deps.clock.sleep(deps.pollMs);
  }
}

async function statusOf(deps: AwaitDeps, message: OperationMessage, withinMs: number): Promise<OperationStatus> {
  if (message.operation)
    return message.purpose === 'register'
      ? deps.registry.operation(message.operation, withinMs)
      : deps.endpoints.operation(message.operation, withinMs);
  // A promotion's step that waits for no operation (moving `default`, the first undeploy) runs at once.
  if (message.purpose === 'retire') return { done: true };
  // No operation name: a retried DeployModel found the first attempt's deployment; watch the endpoint.
  const stored = await deps.runs.get(message.runId);
  const run = stored?.value;
  if (!run?.endpoint || !run.deployment)
    return { done: true, error: { code: GRPC.NOT_FOUND, message: 'the run has no deployment to follow' } };
  const endpoint = await deps.endpoints.get(run.endpoint.name);
  return { done: endpoint.deployedModels.some((d) => d.id === run.deployment?.deployedModelId) };
}

function completionStage(deps: AwaitDeps, message: OperationMessage, status: OperationStatus): Stage {
  const failure = status.error && `${status.error.message} (code ${status.error.code})`;
  const now = () => deps.clock.now();
  switch (message.purpose) {
    case 'deploy':
      return {
        name: 'awaitOperation(deploy)',
        expects: { state: 'deploying' },
        produces: [{ state: 'deployed', step: -1 }],
        // A rollback run ends rolled-back (terminal): nothing follows it.
        next: (run) => [{ topic: TOPICS.modelDeployed, data: { runId: run.runId, step: run.step } }],
        work: async (run: RunRecord) => {
          // A `ferry rollback` run ends here, rolled-back, with no validation (rollback-to-version.ts).
          if (run.kind === 'rollback')
            return finishRollback(
              deps,
              run,
              failure,
              now(),
              promotionAliases(workflowOf(deps.workflows, run), run.environment?.name),
            );
          if (failure)
            return endRun(
              run,
              'failed',
              `DeployModel failed: ${failure}; the previous traffic split is unchanged`,
              now(),
            );
          const percent = run.deployment?.split?.[run.deployment.deployedModelId] ?? 0;
          return advance(run, 'deployed', now(), `deployed; serving ${percent} % of traffic`);
        },
      };
    case 'rollback':
      return {
        name: 'awaitOperation(rollback)',
        expects: { state: 'rolling-back' },
        produces: [{ state: 'rejected' }, { state: 'failed' }],
        next: () => [],
        work: async (run: RunRecord) => {
          if (failure)
            return endRun(
              run,
              'failed',
              `${run.reason ?? 'rejected'}; undeploying the candidate failed: ${failure} (it has no traffic)`,
              now(),
            );
          return advance(run, run.rollbackOutcome ?? 'rejected', now(), run.reason ?? 'rejected by validation');
        },
      };
    case 'retire':
      return retireStage(deps, message, failure);
    case 'register':
    case 'create-endpoint':
      return resumeStage(message, failure, now);
  }
}
