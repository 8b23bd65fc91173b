import { cloudEvent, type CloudEvent } from '@google-cloud/functions-framework';
import { errorMessage } from '../core/errors';
import { onArtifact } from '../pipeline/stages/on-artifact';
import { parseStorageObjectData } from '../pipeline/storage-event';
import { TOPICS } from '../pipeline/topics';
import { eventAgeMs } from './events';
import { jsonLogger } from './logger';
import { vertexConfig } from '../adapters/vertex/vertex-config';
import { checker, clock, functionConfig, objects, pendingStore, publisher, runStore, workflows } from './wiring';

/** Storage finalize (Eventarc `google.cloud.storage.object.v1.finalized`) → at most one run per artifact version. */
export async function onArtifactHandler(event: CloudEvent<unknown>): Promise<void> {
  const log = jsonLogger('onArtifact');
  let object;
  try {
    object = parseStorageObjectData(event.data);
  } catch (error) {
    log.error(`malformed storage event, sent to ${TOPICS.deadLetter}: ${errorMessage(error)}`, { eventId: event.id });
    await publisher.publish(TOPICS.deadLetter, {
      function: 'onArtifact',
      eventId: event.id,
      error: errorMessage(error),
      data: event.data ?? null,
    });
    return;
  }
  const age = eventAgeMs(event, clock.now());
  if (age > functionConfig().maxEventAgeMs) {
    log.error(
      `gs://${object.bucket}/${object.name}: still failing after ${Math.round(age / 60000)} min of retries; sent to ${TOPICS.deadLetter}`,
    );
    await publisher.publish(TOPICS.deadLetter, {
      function: 'onArtifact',
      eventId: event.id,
      error: 'event too old',
      data: event.data ?? null,
    });
    return;
  }
  await onArtifact(
    {
      workflows: workflows(),
      objects,
      runs: runStore(),
      pending: pendingStore(),
      checker,
      publisher,
      clock,
      log,
      home: () => vertexConfig().parent,
    },
    object,
  );
}

cloudEvent('onArtifact', onArtifactHandler);
