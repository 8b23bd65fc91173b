import { errorMessage } from '../core/errors';
import { firstPublished, messageAgeMs } from './message-age';
import type { Logger } from './ports';
import { endRunSafely, type EndRunDeps } from './stages/end-run-safely';
import type { RolloutDeps } from './stages/rollout-actions';
import { TOPICS } from './topics';

/** One delivery of a stage message, as the entry point received it. */
export interface StageDelivery {
  /** The function's name, for logs, reasons and parked messages. */
  name: string;
  eventId: string;
  /** The event's time: this copy's publish time. */
  time?: string;
  /** The raw event data, kept whole on a parked malformed message. */
  data: unknown;
  /** Decodes the message's JSON; throws on a delivery that carries none. */
  decode(): unknown;
}

export interface StageEventDeps extends Omit<EndRunDeps, 'rollout'> {
  /** Past this age (retries and hand-ons included) the run is given up and ended safely. */
  maxEventAgeMs: number;
  /**
   * The Vertex ports a give-up needs to roll a canary back (and, for a run given up while
   * promoting, what starts the next environment); built only when a give-up happens.
   */
  rollout?: () => RolloutDeps & Pick<EndRunDeps, 'nextEnvironment'>;
}

/**
 * What every Pub/Sub-triggered stage does with one delivery: decode it (a malformed message is
 * parked on ferry.dead-letter, where `ferry status` shows it, and acked: retrying cannot fix it),
 * give up on a message whose work has gone on too long (ending its run safely: a canary is rolled
 * back, so the run cannot retry for 24 hours with traffic on an unvalidated candidate), or run the
 * stage, letting its errors throw for redelivery.
 */
export async function handleStageEvent<M extends { runId: string; since?: string }>(
  deps: StageEventDeps,
  delivery: StageDelivery,
  parse: (json: unknown) => M,
  run: (message: M, log: Logger) => Promise<void>,
): Promise<void> {
  const { name } = delivery;
  const { log } = deps;
  let message: M;
  try {
    message = parse(delivery.decode());
  } catch (error) {
    log.error(`malformed message, sent to ${TOPICS.deadLetter}: ${errorMessage(error)}`, { eventId: delivery.eventId });
    await deps.publisher.publish(TOPICS.deadLetter, {
      function: name,
      eventId: delivery.eventId,
      error: errorMessage(error),
      data: delivery.data ?? null,
    });
    return;
  }
  // A handed-on message carries its first publish time (`since`): hand-ons do not reset the age.
  const age = messageAgeMs(delivery.time, message.since, deps.clock.now());
  if (age > deps.maxEventAgeMs) {
    await giveUp(
      deps,
      message.runId,
      `${name}: still not through after ${Math.round(age / 60000)} min of retries or waiting`,
    );
    return;
  }
  const since = firstPublished(delivery.time, message.since);
  try {
    await run(since ? { ...message, since } : message, log);
  } catch (error) {
    log.warn(`${name}: ${errorMessage(error)}; the event will be retried`, { runId: message.runId });
    throw error;
  }
}

async function giveUp(deps: StageEventDeps, runId: string, reason: string): Promise<void> {
  const { rollout, maxEventAgeMs: _unused, ...rest } = deps;
  const ports = rollout?.();
  const ending = ports ? { rollout: ports, nextEnvironment: ports.nextEnvironment } : {};
  const result = await endRunSafely({ ...rest, ...ending }, runId, { reason });
  if (result === 'cannot-roll-back')
    deps.log.error(
      `${reason}; run ${runId} may have traffic on its candidate, which this function cannot roll back: the reconciler ends it`,
      { runId },
    );
}
