import { cloudEvent } from '@google-cloud/functions-framework';
import { parseStageMessage } from '../pipeline/messages';
import { runStage } from '../pipeline/run-stage';
import { registerModelStage } from '../pipeline/stages/register-model';
import { stageHandler } from './stage-handler';
import { clock, registry, stageDeps, workflows } from './wiring';

/** ferry.savedmodel.ready → a new version in the Vertex AI Model Registry. */
export const registerModelHandler = stageHandler('registerModel', parseStageMessage, (message, log) =>
  runStage(stageDeps(log), message.runId, registerModelStage({ registry, workflows: workflows(), clock })),
);

cloudEvent('registerModel', registerModelHandler);
