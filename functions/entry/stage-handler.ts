import type { CloudEvent } from '@google-cloud/functions-framework';
import { errorMessage } from '../core/errors';
import { endRun } from '../core/run/transitions';
import type { Logger } from '../pipeline/ports';
import { announce } from '../pipeline/run-stage';
import { TOPICS } from '../pipeline/topics';
import { eventAgeMs, messageJson } from './events';
import { jsonLogger } from './logger';
import { clock, functionConfig, publisher, runStore } from './wiring';

/**
 * The shape every Pub/Sub-triggered entry point shares: decode the message at the edge, give up
 * on events retried for too long (ending the run failed, so it cannot retry for 24 hours), run
 * the stage, and let transient errors throw for redelivery.
 */
export function stageHandler<M extends { runId: string }>(
  name: string,
  parse: (json: unknown) => M,
  run: (message: M, log: Logger) => Promise<void>,
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
    const age = eventAgeMs(event, clock.now());
    if (age > functionConfig().maxEventAgeMs) {
      await giveUp(message.runId, `${name}: still failing after ${Math.round(age / 60000)} min of retries`, log);
      return;
    }
    try {
      await run(message, log);
    } catch (error) {
      log.warn(`${name}: ${errorMessage(error)}; the event will be retried`, { runId: message.runId });
      throw error;
    }
  };
}

async function giveUp(runId: string, reason: string, log: Logger): Promise<void> {
  const runs = runStore();
  const stored = await runs.get(runId);
  if (!stored) return;
  const ended = endRun(stored.value, 'failed', reason, clock.now());
  if (ended !== stored.value && (await runs.update(ended, stored.generation)))
    await announce({ publisher, log }, stored.value, ended);
}
