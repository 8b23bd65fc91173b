import { cloudEvent } from '@google-cloud/functions-framework';
import { parseStageMessage } from '../pipeline/messages';
import { runStage } from '../pipeline/run-stage';
import { registerModelStage } from '../pipeline/stages/register-model';
import { stageHandler } from './stage-handler';
import { clock, publisher, registry, runStore, workflows } from './wiring';

/** ferry.savedmodel.ready → a new version in the Vertex AI Model Registry. */
export const registerModelHandler = stageHandler('registerModel', parseStageMessage, (message, log) =>
  runStage({ runs: runStore(), publisher, clock, log }, message.runId, registerModelStage({ registry, workflows: workflows(), clock })),
);

cloudEvent('registerModel', registerModelHandler);
