import { cloudEvent, type CloudEvent } from '@google-cloud/functions-framework';
import { errorMessage } from '../core/errors';
import { deadLetterReason, readDeadLetter } from '../pipeline/dead-letter-message';
import { endRunSafely } from '../pipeline/stages/end-run-safely';
import { startNextEnvironment } from '../pipeline/stages/next-environment';
import { eventAgeMs, messageJson, messageMeta } from './events';
import { jsonLogger } from './logger';
import { vertex } from '../adapters/vertex/vertex-clients';
import { clock, endpoints, functionConfig, pendingStore, registry, stageDeps, workflows } from './wiring';

/**
 * ferry.dead-letter → ends the run a dead-lettered stage message was for, so it neither keeps an
 * unvalidated canary nor holds its endpoint's turn: canary rolled back, run `failed` with the dead
 * letter's id, lease released. What names no run (a malformed event a function parked, an unknown
 * run) is acknowledged and stays visible in `ferry status` (ferry-dead-letter-inbox). Its own
 * subscription has no dead-letter policy (it would loop): transient errors throw and Pub/Sub
 * retries; past the maximum event age the reconciler is left to end the run.
 */
export async function onDeadLetterHandler(event: CloudEvent<unknown>): Promise<void> {
  const log = jsonLogger('onDeadLetter');
  const { id, attributes } = messageMeta(event);
  let json: unknown;
  try {
    json = messageJson(event);
  } catch (error) {
    log.warn(`dead letter ${id} is not a JSON stage message (${errorMessage(error)}); left for ferry status`);
    return;
  }
  const letter = readDeadLetter(id, json, attributes);
  if (!letter.runId) {
    log.info(`dead letter ${id} names no run; left for ferry status`, { deadLetterId: id });
    return;
  }
  const age = eventAgeMs(event, clock.now());
  if (age > functionConfig().maxEventAgeMs) {
    log.error(
      `dead letter ${id}: still failing after ${Math.round(age / 60000)} min; the reconciler will end the run`,
      {
        runId: letter.runId,
      },
    );
    return;
  }
  const result = await endRunSafely(
    {
      ...stageDeps(log),
      rollout: { endpoints, registry, clock },
      leases: pendingStore(),
      nextEnvironment: (promoted) =>
        startNextEnvironment({ ...stageDeps(log), workflows: workflows(), home: () => vertex().parent }, promoted),
    },
    letter.runId,
    { reason: deadLetterReason(letter), at: letter.at, patch: { deadLetterId: id } },
  );
  log.info(`dead letter ${id}: run ${letter.runId} ${result}`, { runId: letter.runId, deadLetterId: id, result });
}

cloudEvent('onDeadLetter', onDeadLetterHandler);
