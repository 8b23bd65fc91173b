import { cloudEvent } from '@google-cloud/functions-framework';
import { parseOperationMessage } from '../pipeline/messages';
import { awaitOperation } from '../pipeline/stages/await-operation';
import { startNextEnvironment } from '../pipeline/stages/next-environment';
import { jsonLogger } from './logger';
import { stageHandler } from './stage-handler';
import { vertex } from '../adapters/vertex/vertex-clients';
import { clock, endpoints, functionConfig, registry, stageDeps, workflows } from './wiring';

/** ferry.operation.pending → follows a Vertex LRO for at most its budget, then hands it on. */
export const awaitOperationHandler = stageHandler(
  'awaitOperation',
  parseOperationMessage,
  (message, log) => {
    const config = functionConfig();
    return awaitOperation(
      {
        ...stageDeps(log),
        endpoints,
        registry,
        workflows: workflows(),
        budgetMs: config.awaitBudgetMs,
        pollMs: config.awaitPollMs,
        operationTimeoutMs: config.operationTimeoutMs,
        home: () => vertex().parent,
      },
      message,
    );
  },
  () => ({
    endpoints,
    registry,
    clock,
    nextEnvironment: (promoted) =>
      startNextEnvironment(
        { ...stageDeps(jsonLogger('awaitOperation')), workflows: workflows(), home: () => vertex().parent },
        promoted,
      ),
  }),
);

cloudEvent('awaitOperation', awaitOperationHandler);
