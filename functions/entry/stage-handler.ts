import type { CloudEvent } from '@google-cloud/functions-framework';
import { errorMessage } from '../core/errors';
import type { Logger } from '../pipeline/ports';
import { firstPublished, messageAgeMs } from '../pipeline/message-age';
import { endRunSafely } from '../pipeline/stages/end-run-safely';
import type { RolloutDeps } from '../pipeline/stages/rollout-actions';
import { TOPICS } from '../pipeline/topics';
import { messageJson } from './events';
import { jsonLogger } from './logger';
import { clock, functionConfig, pendingStore, publisher, stageDeps } from './wiring';

/**
 * The shape every Pub/Sub-triggered entry point shares: decode the message at the edge, give up
 * on events retried for too long (ending the run failed, so it cannot retry for 24 hours), run
 * the stage, and let transient errors throw for redelivery. Giving up ends the run safely
 * (end-run-safely.ts): functions whose runs may hold a canary pass `rollout` (their Vertex ports,
 * kept out of this shared module so other functions' bundles carry no Vertex client); without it
 * such a run is left to the reconciler rather than ended with traffic on its candidate.
 */
export function stageHandler<M extends { runId: string; since?: string }>(
  name: string,
  parse: (json: unknown) => M,
  run: (message: M, log: Logger) => Promise<void>,
  rollout?: () => RolloutDeps,
): (event: CloudEvent<unknown>) => Promise<void> {
  return async (event) => {
    const log = jsonLogger(name);
    let message: M;
    try {
      message = parse(messageJson(event));
    } catch (error) {
      // Retrying cannot fix a malformed message: park it where `ferry status` shows it, and ack.
      log.error(`malformed message, sent to ${TOPICS.deadLetter}: ${errorMessage(error)}`, { eventId: event.id });
      await publisher.publish(TOPICS.deadLetter, {
        function: name,
        eventId: event.id,
        error: errorMessage(error),
        data: event.data ?? null,
      });
      return;
    }
    // A handed-on message carries its first publish time (`since`): hand-ons do not reset the age.
    const age = messageAgeMs(event.time, message.since, clock.now());
    if (age > functionConfig().maxEventAgeMs) {
      await giveUp(
        message.runId,
        `${name}: still not through after ${Math.round(age / 60000)} min of retries or waiting`,
        log,
        rollout,
      );
      return;
    }
    const since = firstPublished(event.time, message.since);
    try {
      await run(since ? { ...message, since } : message, log);
    } catch (error) {
      log.warn(`${name}: ${errorMessage(error)}; the event will be retried`, { runId: message.runId });
      throw error;
    }
  };
}

async function giveUp(runId: string, reason: string, log: Logger, rollout?: () => RolloutDeps): Promise<void> {
  const deps = { ...stageDeps(log), leases: pendingStore(), ...(rollout ? { rollout: rollout() } : {}) };
  const result = await endRunSafely(deps, runId, { reason });
  if (result === 'cannot-roll-back')
    log.error(
      `${reason}; run ${runId} may have traffic on its candidate, which this function cannot roll back: the reconciler ends it`,
      {
        runId,
      },
    );
}
