import { cloudEvent } from '@google-cloud/functions-framework';
import { parseDeployedMessage } from '../pipeline/messages';
import { runStage } from '../pipeline/run-stage';
import { validatePredictionsStage } from '../pipeline/stages/validate-predictions';
import { stageHandler } from './stage-handler';
import {
  clock,
  elapsedMs,
  endpoints,
  functionConfig,
  objects,
  predictor,
  registry,
  stageDeps,
  workflows,
} from './wiring';

/** ferry.model.deployed → golden set through the endpoint; step up, promote, or roll back. */
export const validatePredictionsHandler = stageHandler(
  'validatePredictions',
  parseDeployedMessage,
  (message, log) =>
    runStage(
      stageDeps(log),
      message.runId,
      validatePredictionsStage(
        {
          endpoints,
          registry,
          clock,
          objects,
          predictor,
          workflows: workflows(),
          elapsedMs,
          budgetMs: functionConfig().validateBudgetMs,
        },
        message.step,
      ),
    ),
  () => ({ endpoints, registry, clock }),
);

cloudEvent('validatePredictions', validatePredictionsHandler);
