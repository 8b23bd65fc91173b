import type { RunRecord } from '../../../functions/core/run/run-record';
import type { MobileReleaseView } from './api-types';
import { newestFirst } from './run-summary';

/**
 * Every TFLite run as a release, newest first: its size and digest, what each channel said
 * (Firebase ML, Cloud Storage for Firebase), and whether it is live, the newest published of its
 * workflow: publish-mobile.ts refuses to publish an older version over a newer one, so the newest
 * published is what the apps get.
 */
export function mobileReleases(runs: RunRecord[]): MobileReleaseView[] {
  const live = new Set<string>();
  const seen = new Set<string>();
  for (const run of newestFirst(runs))
    if (run.kind === 'tflite' && run.state === 'published' && !seen.has(run.workflow)) {
      seen.add(run.workflow);
      live.add(run.runId);
    }
  return newestFirst(runs)
    .filter((run) => run.kind === 'tflite')
    .map((run) => {
      const release: MobileReleaseView = {
        workflow: run.workflow,
        version: run.version,
        runId: run.runId,
        state: run.state,
        channels: run.mobile?.channels ?? {},
        live: live.has(run.runId),
      };
      if (run.mobile) {
        release.sizeBytes = run.mobile.sizeBytes;
        release.sha256 = run.mobile.sha256;
      }
      const rollout = run.mobile?.rollout;
      if (rollout)
        release.rollout = {
          parameter: rollout.parameter,
          percent: rollout.percent,
          ...(run.state === 'rolling-out' && rollout.nextStepAt ? { nextStepAt: rollout.nextStepAt } : {}),
        };
      return release;
    });
}
