import { cloudEvent } from '@google-cloud/functions-framework';
import { parseStageMessage } from '../pipeline/messages';
import { runStage } from '../pipeline/run-stage';
import { publishMobileStage } from '../pipeline/stages/publish-mobile';
import { stageHandler } from './stage-handler';
import {
  clock,
  elapsedMs,
  mobileChannels,
  objects,
  remoteConfigTemplates,
  rolloutManifest,
  stageDeps,
  tfliteRunner,
  workflows,
} from './wiring';

/**
 * ferry.tflite.ready → TFLite golden set, then Firebase ML and Cloud Storage for Firebase; with
 * `mobile.rollout`, the candidate's first step through Remote Config.
 */
export const publishMobileHandler = stageHandler('publishMobile', parseStageMessage, (message, log) =>
  runStage(
    stageDeps(log),
    message.runId,
    publishMobileStage({
      objects,
      runner: tfliteRunner,
      channels: mobileChannels(),
      workflows: workflows(),
      clock,
      elapsedMs,
      mobileRollout: { templates: remoteConfigTemplates(), manifest: rolloutManifest(), clock },
    }),
  ),
);

cloudEvent('publishMobile', publishMobileHandler);
