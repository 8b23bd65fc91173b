import { cloudEvent, type CloudEvent } from '@google-cloud/functions-framework';
import { startNextEnvironment } from '../pipeline/stages/next-environment';
import { reconcile } from '../pipeline/stages/reconcile';
import { vertex } from '../adapters/vertex/vertex-clients';
import { eventAgeMs } from './events';
import { jsonLogger } from './logger';
import {
  clock,
  endpoints,
  functionConfig,
  pendingStore,
  registry,
  remoteConfigTemplates,
  rolloutManifest,
  stageDeps,
  workflows,
} from './wiring';

/**
 * ferry.reconcile (a Cloud Scheduler tick) → one reconciler pass: stalled runs are nudged, then
 * ended safely; leases of ended runs released; staged mobile rollouts widened when a step is due. A tick retried past the maximum event age is
 * dropped: a newer tick does the same work.
 */
export async function reconcileHandler(event: CloudEvent<unknown>): Promise<void> {
  const log = jsonLogger('reconcile');
  if (eventAgeMs(event, clock.now()) > functionConfig().maxEventAgeMs) {
    log.warn(`tick ${event.id} is too old; a newer one does the same work`);
    return;
  }
  const report = await reconcile({
    ...stageDeps(log),
    rollout: { endpoints, registry, clock },
    leases: pendingStore(),
    workflows: workflows(),
    nextEnvironment: (promoted) =>
      startNextEnvironment({ ...stageDeps(log), workflows: workflows(), home: () => vertex().parent }, promoted),
    mobileRollout: { templates: remoteConfigTemplates(), manifest: rolloutManifest(), clock },
  });
  log.info(
    `reconciled: ${report.nudged.length} nudged, ${report.ended.length} ended, ${report.timedOut.length} approval(s) timed out, ${report.widened.length} mobile rollout(s) widened, ${report.released.length} lease(s) released, ${report.errors.length} left for the next pass`,
    { ...report },
  );
}

cloudEvent('reconcile', reconcileHandler);
