import { nextEnvironmentRun, type HomeParent } from '../../core/run/next-environment-run';
import type { RunRecord } from '../../core/run/run-record';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import type { NextMessage } from '../run-stage';
import { announce, type StageDeps } from '../run-stage';
import { TOPICS } from '../topics';
import { workflowOf } from './workflow-of';

export interface NextEnvironmentDeps extends Pick<StageDeps, 'runs' | 'publisher' | 'log'> {
  workflows: WorkflowSet;
  /** The functions' own Vertex location: asked only when an environment names another region or project. */
  home?: HomeParent;
}

/**
 * A version promoted in one environment starts its rollout in the next: the next environment's
 * run is created create-only under an id fixed by the version and the environment, so a duplicate
 * delivery of the promotion (or a retried step) creates nothing new. Called before the promoting
 * run's own write: if that write is lost, the retry finds the next run there and goes on. Its
 * first message is published here (again when a retry finds the run still at its start): runStage
 * publishes no `next` once a run has ended, and `promoted` is an end. A duplicate delivery of the
 * promotion sends it again through the stage's `next` (nextEnvironmentMessages). A lost publish
 * leaves the new run stalled in `checked`/`registered`, which the reconciler nudges.
 */
export async function startNextEnvironment(deps: NextEnvironmentDeps, promoted: RunRecord): Promise<void> {
  const next = nextRun(deps, promoted);
  if (!next) return;
  if (await deps.runs.create(next)) await announce(deps, undefined, next);
  else {
    const existing = (await deps.runs.get(next.runId))?.value;
    deps.log.info(`run ${next.runId} (${next.environment?.name}) exists already: not created again`, {
      runId: promoted.runId,
    });
    // Moved on already: its own stages carry it; only a run still at its start needs its message.
    if (existing?.state !== next.state) return;
  }
  // A duplicate of the message is ignored by the stage it reaches.
  for (const message of firstMessages(next)) await deps.publisher.publish(message.topic, message.data);
}

/** What the next environment's run waits for, sent again on a duplicate delivery of the promotion. */
export function nextEnvironmentMessages(deps: NextEnvironmentDeps, promoted: RunRecord): NextMessage[] {
  const next = nextRun(deps, promoted);
  return next ? firstMessages(next) : [];
}

function nextRun(deps: NextEnvironmentDeps, promoted: RunRecord): RunRecord | undefined {
  const workflow = workflowOf(deps.workflows, promoted);
  return nextEnvironmentRun(promoted, workflow, deps.home ?? noHome, new Date(promoted.updatedAt));
}

/** Narrow on purpose (not awaitedMessages): Terraform grants awaitOperation these topics only. */
function firstMessages(next: RunRecord): NextMessage[] {
  const topic = next.state === 'registered' ? TOPICS.modelRegistered : TOPICS.savedModelReady;
  return [{ topic, data: { runId: next.runId } }];
}

function noHome(): string {
  throw new Error(
    'an environment names another region or project, but the functions’ own (FERRY_PROJECT, FERRY_LOCATION) is not wired',
  );
}
