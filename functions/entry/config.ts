import { join } from 'node:path';
import { DEFAULT_CLAIM_MS } from '../pipeline/run-stage';
import { AWAIT_DEFAULTS } from '../pipeline/stages/await-operation';
import { VALIDATE_DEFAULTS } from '../pipeline/stages/validate-predictions';

/**
 * What the functions read from their environment (Terraform sets the same names; a test checks
 * they agree). Read once per instance, on first use.
 */
export interface FunctionConfig {
  stateBucket: string;
  mobileBucket?: string;
  workflowsDir: string;
  awaitBudgetMs: number;
  awaitPollMs: number;
  operationTimeoutMs: number;
  /** How long one validatePredictions invocation samples before handing on. */
  validateBudgetMs: number;
  /** Events older than this are not retried any more: the run ends failed (or the event is dropped with a log). */
  maxEventAgeMs: number;
  /** How long a stage's claim on a run holds off duplicate deliveries: the function's timeout. */
  claimMs: number;
}

export const ENV = {
  stateBucket: 'FERRY_STATE_BUCKET',
  mobileBucket: 'FERRY_MOBILE_BUCKET',
  workflowsDir: 'FERRY_WORKFLOWS_DIR',
  awaitBudgetMs: 'FERRY_AWAIT_BUDGET_MS',
  awaitPollMs: 'FERRY_AWAIT_POLL_MS',
  operationTimeoutMs: 'FERRY_OPERATION_TIMEOUT_MS',
  validateBudgetMs: 'FERRY_VALIDATE_BUDGET_MS',
  maxEventAgeMs: 'FERRY_MAX_EVENT_AGE_MS',
  claimMs: 'FERRY_CLAIM_MS',
} as const;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name}=${JSON.stringify(raw)}: expected a positive number of milliseconds`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): FunctionConfig {
  const stateBucket = env[ENV.stateBucket];
  if (!stateBucket) throw new Error(`${ENV.stateBucket} is not set: the bucket that holds ferry's run records`);
  return {
    stateBucket,
    mobileBucket: env[ENV.mobileBucket] || undefined,
    // The workflows ship inside the function source (terraform packages workflows/ with it).
    workflowsDir: env[ENV.workflowsDir] || join(__dirname, '..', '..', 'workflows'),
    awaitBudgetMs: positive(env, ENV.awaitBudgetMs, AWAIT_DEFAULTS.budgetMs),
    awaitPollMs: positive(env, ENV.awaitPollMs, AWAIT_DEFAULTS.pollMs),
    operationTimeoutMs: positive(env, ENV.operationTimeoutMs, AWAIT_DEFAULTS.operationTimeoutMs),
    validateBudgetMs: positive(env, ENV.validateBudgetMs, VALIDATE_DEFAULTS.budgetMs),
    maxEventAgeMs: positive(env, ENV.maxEventAgeMs, 6 * 60 * 60 * 1000),
    claimMs: positive(env, ENV.claimMs, DEFAULT_CLAIM_MS),
  };
}
