import { classifyError, errorMessage } from '../core/errors';
import { isTerminal, type RunRecord } from '../core/run/run-record';
import { endRun, stageAction, type StagePoint } from '../core/run/transitions';
import type { RunEvent } from './messages';
import type { Clock, Logger, Publisher, RunStore } from './ports';
import { TOPICS } from './topics';

export interface StageDeps {
  runs: RunStore;
  publisher: Publisher;
  clock: Clock;
  log: Logger;
}

export interface NextMessage {
  topic: string;
  data: object;
}

export interface Stage {
  name: string;
  expects: StagePoint;
  /** Every point this stage can move the run to (a duplicate finding one of them republishes). */
  produces: StagePoint[];
  /** Does the stage's work (idempotently) and returns the advanced run. */
  work(run: RunRecord): Promise<RunRecord>;
  /** The messages that follow a run this stage has advanced (sent again on redelivery). */
  next(run: RunRecord): NextMessage[];
}

/** Compare-and-set conflicts are retried this many times before the delivery is retried instead. */
const CAS_ATTEMPTS = 5;

/**
 * Runs one stage for one run under at-least-once delivery: duplicates are ignored, a stage whose
 * first attempt died before publishing publishes again, transient errors throw (redelivery),
 * permanent ones end the run failed with the reason.
 */
export async function runStage(deps: StageDeps, runId: string, stage: Stage): Promise<void> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
    const stored = await deps.runs.get(runId);
    if (!stored) {
      deps.log.warn(`${stage.name}: no run ${runId}; dropping the message`, { runId });
      return;
    }
    const run = stored.value;
    const action = stageAction(run, stage.expects, stage.produces);
    if (action === 'ignore') {
      deps.log.info(`${stage.name}: run is ${run.state}${isTerminal(run) ? '' : ` (step ${run.step})`}; duplicate message ignored`, { runId });
      return;
    }
    if (action === 'republish') {
      await publishAll(deps, stage.next(run));
      return;
    }
    let advanced: RunRecord;
    try {
      advanced = await stage.work(run);
    } catch (error) {
      if (classifyError(error) === 'transient') {
        deps.log.warn(`${stage.name}: transient error, will be retried: ${errorMessage(error)}`, { runId });
        throw error;
      }
      deps.log.error(`${stage.name}: ${errorMessage(error)}`, { runId });
      advanced = endRun(run, 'failed', `${stage.name}: ${errorMessage(error)}`, deps.clock.now());
    }
    if (await deps.runs.update(advanced, stored.generation)) {
      await announce(deps, run, advanced);
      if (!isTerminal(advanced)) await publishAll(deps, stage.next(advanced));
      return;
    }
    deps.log.info(`${stage.name}: run changed underneath, deciding again`, { runId });
  }
  throw new Error(`${stage.name}: run ${runId} kept changing; retrying the delivery`);
}

async function publishAll(deps: StageDeps, messages: NextMessage[]): Promise<void> {
  for (const message of messages) await deps.publisher.publish(message.topic, message.data);
}

/** Publishes a run event for every timeline entry the stage added. */
export async function announce(deps: Pick<StageDeps, 'publisher' | 'log'>, before: RunRecord | undefined, after: RunRecord): Promise<void> {
  const added = after.timeline.slice(before?.timeline.length ?? 0);
  for (const entry of added) {
    const event: RunEvent = { runId: after.runId, workflow: after.workflow, state: entry.state, at: entry.at, ...(entry.detail ? { detail: entry.detail } : {}) };
    if (after.outcome && entry === added[added.length - 1]) event.outcome = after.outcome;
    deps.log.info(`run ${after.runId}: ${entry.state}${entry.detail ? ` (${entry.detail})` : ''}`, { runId: after.runId, state: entry.state });
    await deps.publisher.publish(TOPICS.runEvents, event);
  }
}
