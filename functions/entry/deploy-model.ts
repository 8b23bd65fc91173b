import { cloudEvent } from '@google-cloud/functions-framework';
import { parseStageMessage } from '../pipeline/messages';
import { runStage } from '../pipeline/run-stage';
import { deployModelStage } from '../pipeline/stages/deploy-model';
import { awaitEndpointTurn } from '../pipeline/stages/endpoint-turn';
import { leaseScopeOf } from '../pipeline/stages/endpoint-lease';
import { stageHandler } from './stage-handler';
import { clock, endpoints, functionConfig, pendingStore, publisher, registry, stageDeps, workflows } from './wiring';

/**
 * ferry.model.registered → (its turn on the endpoint) → DeployModel at the canary percent (not waited
 * on); for a `ferry rollback` run, the target version back at 100 %.
 */
export const deployModelHandler = stageHandler('deployModel', parseStageMessage, async (message, log) => {
  const deps = stageDeps(log);
  const { runs } = deps;
  const config = functionConfig();
  const run = await runs.get(message.runId);
  if (run?.value.state === 'registered') {
    const turn = {
      leases: pendingStore(),
      runs,
      publisher,
      clock,
      log,
      budgetMs: config.awaitBudgetMs,
      pollMs: config.awaitPollMs,
    };
    if (!(await awaitEndpointTurn(turn, message.runId, leaseScopeOf(run.value), message.since))) return;
  }
  await runStage(deps, message.runId, deployModelStage({ endpoints, registry, workflows: workflows(), clock }));
});

cloudEvent('deployModel', deployModelHandler);
