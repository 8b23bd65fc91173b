import { classifyError, errorMessage } from '../../core/errors';
import { approvalNeeded, requestApproval } from '../../core/run/approval';
import type { RunRecord } from '../../core/run/run-record';
import { evaluateGates, type GateDecision } from '../../core/validation/gates';
import { VALIDATION_PATIENCE_MS } from '../../core/validation/predict-retry';
import { progressAt, resumeTally } from '../../core/validation/progress';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import type { ObjectReader, Predictor } from '../ports';
import type { NextMessage, Stage } from '../run-stage';
import { TOPICS } from '../topics';
import { operationMessage } from './deploy-model';
import { promote, rollBack, stepUp, type RolloutDeps } from './rollout-actions';
import { sampleEndpoint } from './sample-endpoint';
import { loadGoldenSet } from './sample-golden-set';
import { workflowOf } from './workflow-of';
import { environmentOf } from '../../core/workflow/environment-of';

export interface ValidateDeps extends RolloutDeps {
  objects: ObjectReader;
  predictor: Predictor;
  workflows: WorkflowSet;
  /** Monotonic milliseconds for latencies. */
  elapsedMs: () => number;
  /** How long one invocation samples before handing on (well under the function's 540 s timeout). */
  budgetMs: number;
}

/** The default of FERRY_VALIDATE_BUDGET_MS (entry/config.ts): 5 of the function's 9 minutes. */
export const VALIDATE_DEFAULTS = { budgetMs: 300_000 };

/**
 * The final function: sends the golden set through the endpoint, attributes each answer to the
 * deployed model that gave it, evaluates the gates, then steps traffic up, promotes, or rolls back.
 * The numbers behind the decision are stored in the run record.
 *
 * No invocation outlives its budget, and the weather never decides: when the budget runs out or
 * Predict keeps failing transiently, the tally so far is saved on the run (state and step
 * unchanged) and the same stage message is published again, as awaitOperation hands on; the next
 * invocation resumes the tally. Only after VALIDATION_PATIENCE_MS without a decision does the run
 * end failed (traffic restored; the candidate is not labelled rejected).
 */
export function validatePredictionsStage(deps: ValidateDeps, step: number): Stage {
  return {
    name: 'validatePredictions',
    expects: { state: 'deployed', step },
    produces: [
      { state: 'deployed', step: step + 1 },
      { state: 'awaiting-approval', step },
      { state: 'promoting' },
      { state: 'promoted' },
      { state: 'rolling-back' },
      { state: 'rejected' },
      { state: 'failed' },
    ],
    next: rolloutMessages,
    async work(run: RunRecord) {
      try {
        return await validate(deps, run);
      } catch (error) {
        // A candidate that cannot be validated must not keep its traffic: roll back, end failed.
        if (classifyError(error) === 'transient' || !run.deployment) throw error;
        return rollBack(deps, run, `validation could not run: ${errorMessage(error)}`, 'failed');
      }
    },
  };
}

async function validate(deps: ValidateDeps, run: RunRecord): Promise<RunRecord> {
  const workflow = workflowOf(deps.workflows, run);
  const { endpoint, deployment } = run;
  if (!endpoint || !deployment) throw new Error(`run ${run.runId} has no deployment to validate`);
  const now = deps.clock.now();
  const saved = progressAt(run.validation, run.step, deployment.deployedModelId);
  if (saved && now.getTime() - Date.parse(saved.startedAt) > VALIDATION_PATIENCE_MS)
    return rollBack(deps, run, gaveUp(saved, now), 'failed');
  const golden = await loadGoldenSet(deps.objects, workflow, run);
  const tally = resumeTally(run.validation, run.step, deployment.deployedModelId);
  const environment = environmentOf(workflow, run.environment?.name);
  const end = await sampleEndpoint(
    deps,
    endpoint.name,
    golden,
    workflow.validation,
    environment.gates,
    tally,
    now.getTime() + deps.budgetMs,
  );
  if (end !== 'sampled') {
    const at = deps.clock.now().toISOString();
    const progress = { step: run.step, tally, startedAt: saved?.startedAt ?? now.toISOString() };
    return { ...run, updatedAt: at, validation: { ...progress, handOns: (saved?.handOns ?? 0) + 1, lastHandOn: end } };
  }
  const decision = evaluateGates(environment.gates, tally, workflow.validation.minCandidateAnswers);
  const percent = deployment.split?.[deployment.deployedModelId] ?? 0;
  const recorded: RunRecord = {
    ...run,
    validation: undefined,
    decisions: [...(run.decisions ?? []), { ...decision, step: run.step, trafficPercent: percent }],
  };
  if (!decision.passed) return rollBack(deps, recorded, `rejected at ${percent} %: ${decision.reasons.join('; ')}`);
  const summary = summarise(decision, percent);
  const action = percent >= 100 || run.step + 1 >= environment.rollout.steps.length ? 'promote' : 'step-up';
  if (approvalNeeded(workflow, recorded, action))
    return requestApproval(recorded, workflow, action, summary, deps.clock.now());
  return action === 'promote' ? promote(deps, recorded, workflow, summary) : stepUp(deps, recorded, workflow, summary);
}

function summarise(decision: GateDecision, percent: number): string {
  const c = decision.candidate;
  const vs = decision.incumbent ? ` (incumbent p95 ${decision.incumbent.p95LatencyMs.toFixed(1)} ms)` : '';
  const weather = decision.transportErrors > 0 ? `; ${decision.transportErrors} transport errors retried` : '';
  return `validated at ${percent} %: ${c.answers} answers, match ${(c.matchRate * 100).toFixed(1)} %, p95 ${c.p95LatencyMs.toFixed(1)} ms${vs}, errors ${(decision.errorRate * 100).toFixed(1)} %${weather}`;
}

function gaveUp(saved: NonNullable<RunRecord['validation']>, now: Date): string {
  const minutes = Math.round((now.getTime() - Date.parse(saved.startedAt)) / 60_000);
  const last = saved.tally.lastTransportError ? ` (last: ${saved.tally.lastTransportError})` : '';
  return `validation could not finish in ${minutes} min: Predict kept failing transiently, ${saved.tally.transportErrors} times${last}; traffic restored. Check the endpoint's Predict quota and health, then drop the artifact again`;
}

/** What follows a validation's (or an approval's) decision: the next step's validation, the rollback's or the promotion's operation. */
export function rolloutMessages(run: RunRecord): NextMessage[] {
  switch (run.state) {
    case 'deployed':
      return [{ topic: TOPICS.modelDeployed, data: { runId: run.runId, step: run.step } }];
    case 'rolling-back':
      return (run.pendingOperations ?? []).map((op) => ({
        topic: TOPICS.operationPending,
        data: operationMessage(run, 'rollback', op),
      }));
    case 'promoting':
      // The promotion's first step (retire-step.ts) waits for no operation.
      return [{ topic: TOPICS.operationPending, data: operationMessage(run, 'retire', run.pendingOperations?.[0]) }];
    default:
      return [];
  }
}
