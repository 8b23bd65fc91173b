import { randomUUID } from 'node:crypto';
import { classifyError, errorMessage, retryLater } from '../core/errors';
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
  /** How long a claim on a run holds off other deliveries: at least the function's timeout. */
  claimMs?: number;
}

/** The longest an event-driven Cloud Function may run (540 s). */
export const DEFAULT_CLAIM_MS = 540_000;
/** How long a delivery waits for another's claim before handing itself back for redelivery. */
const CLAIM_WAIT_MS = 30_000;
const CLAIM_POLL_MS = 250;

export interface NextMessage {
  topic: string;
  data: object;
}

export interface Stage {
  name: string;
  expects: StagePoint;
  /** Every point this stage can move the run to (a duplicate finding one of them republishes). */
  produces: StagePoint[];
  /**
   * Does the stage's work (idempotently) and returns the advanced run; returning `run` itself
   * means there was nothing to do (a stale duplicate): nothing is written or published.
   */
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
 *
 * Two deliveries of one message can arrive at the same moment and both find the run waiting. So
 * the stage first claims the run (compare-and-set) and only the claimant works; the other waits a
 * little for the claim to go, then decides again or hands its delivery back for a retry. A claim
 * lasts as long as the function may run, so one left by a crashed instance simply expires.
 */
export async function runStage(deps: StageDeps, runId: string, stage: Stage): Promise<void> {
  const token = randomUUID();
  let waited = false;
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
    const stored = await deps.runs.get(runId);
    if (!stored) {
      deps.log.warn(`${stage.name}: no run ${runId}; dropping the message`, { runId });
      return;
    }
    const { claim, ...run } = stored.value;
    const action = stageAction(run, stage.expects, stage.produces);
    if (action === 'ignore') {
      deps.log.info(
        `${stage.name}: run is ${run.state}${isTerminal(run) ? '' : ` (step ${run.step})`}; duplicate message ignored`,
        { runId },
      );
      return;
    }
    if (action === 'republish') {
      await publishAll(deps, stage.next(run));
      return;
    }
    const now = deps.clock.now();
    if (claim && claim.by !== token && Date.parse(claim.until) > now.getTime()) {
      if (waited)
        throw retryLater(
          `${stage.name}: another delivery is working on run ${runId} (claimed until ${claim.until}); retrying later`,
        );
      deps.log.info(`${stage.name}: another delivery is working on the run; waiting for it`, { runId });
      await waitForClaim(deps, runId, claim.by, claim.until);
      waited = true;
      continue;
    }
    const until = new Date(now.getTime() + (deps.claimMs ?? DEFAULT_CLAIM_MS)).toISOString();
    const claimed = await deps.runs.update(
      { ...run, claim: { by: token, stage: stage.name, until } },
      stored.generation,
    );
    if (!claimed) continue;
    let advanced: RunRecord;
    try {
      advanced = await stage.work(run);
    } catch (error) {
      if (classifyError(error) === 'transient') {
        deps.log.warn(`${stage.name}: transient error, will be retried: ${errorMessage(error)}`, { runId });
        await release(deps, run, claimed);
        throw error;
      }
      deps.log.error(`${stage.name}: ${errorMessage(error)}`, { runId });
      advanced = endRun(run, 'failed', `${stage.name}: ${errorMessage(error)}`, deps.clock.now());
    }
    if (advanced === run) {
      await release(deps, run, claimed);
      return;
    }
    // `run` came without the claim, so `advanced` has none: writing it releases the claim.
    const written = await deps.runs.update(advanced, claimed).catch(async (error: unknown) => {
      await release(deps, run, claimed);
      throw error;
    });
    if (written) {
      await announce(deps, run, advanced);
      if (!isTerminal(advanced)) await publishAll(deps, stage.next(advanced));
      return;
    }
    deps.log.info(`${stage.name}: run changed underneath, deciding again`, { runId });
  }
  throw retryLater(`${stage.name}: run ${runId} kept changing; retrying the delivery`);
}

/** Polls until the claim `by` is gone, has expired, or the wait is over. */
async function waitForClaim(deps: StageDeps, runId: string, by: string, until: string): Promise<void> {
  const end = Math.min(Date.parse(until), deps.clock.now().getTime() + CLAIM_WAIT_MS);
  while (deps.clock.now().getTime() < end) {
    await deps.clock.sleep(Math.min(CLAIM_POLL_MS, end - deps.clock.now().getTime()));
    const current = await deps.runs.get(runId);
    if (current?.value.claim?.by !== by) return;
  }
}

/** Gives the run back so the redelivery need not wait for the claim to expire (best effort). */
async function release(deps: StageDeps, run: RunRecord, generation: string): Promise<void> {
  try {
    await deps.runs.update(run, generation);
  } catch (error) {
    deps.log.warn(`could not release the claim on run ${run.runId} (it expires by itself): ${errorMessage(error)}`, {
      runId: run.runId,
    });
  }
}

async function publishAll(deps: StageDeps, messages: NextMessage[]): Promise<void> {
  for (const message of messages) await deps.publisher.publish(message.topic, message.data);
}

/** Publishes a run event for every timeline entry the stage added. */
export async function announce(
  deps: Pick<StageDeps, 'publisher' | 'log'>,
  before: RunRecord | undefined,
  after: RunRecord,
): Promise<void> {
  const added = after.timeline.slice(before?.timeline.length ?? 0);
  for (const entry of added) {
    const event: RunEvent = {
      runId: after.runId,
      workflow: after.workflow,
      ...(after.environment ? { environment: after.environment.name } : {}),
      state: entry.state,
      at: entry.at,
      ...(entry.detail ? { detail: entry.detail } : {}),
    };
    const last = entry === added[added.length - 1];
    if (after.outcome && last) event.outcome = after.outcome;
    // The entry that ends a run a dead letter ended names it, so a notification can say so (also
    // when the rollback it started finishes later, in awaitOperation).
    if (after.deadLetterId && last && after.outcome) event.deadLetterId = after.deadLetterId;
    // `state` and `outcome` are what terraform/monitoring.tf's log-based metrics count.
    deps.log.info(`run ${after.runId}: ${entry.state}${entry.detail ? ` (${entry.detail})` : ''}`, {
      runId: after.runId,
      workflow: after.workflow,
      state: entry.state,
      ...(event.outcome ? { outcome: event.outcome } : {}),
    });
    await deps.publisher.publish(TOPICS.runEvents, event);
  }
}
