import { cloudEvent } from '@google-cloud/functions-framework';
import { parseStageMessage } from '../pipeline/messages';
import { runStage } from '../pipeline/run-stage';
import { deployModelStage } from '../pipeline/stages/deploy-model';
import { stageHandler } from './stage-handler';
import { clock, endpoints, publisher, runStore, workflows } from './wiring';

/** ferry.model.registered → DeployModel at the canary percent (not waited on). */
export const deployModelHandler = stageHandler('deployModel', parseStageMessage, (message, log) =>
  runStage({ runs: runStore(), publisher, clock, log }, message.runId, deployModelStage({ endpoints, workflows: workflows(), clock })),
);

cloudEvent('deployModel', deployModelHandler);
