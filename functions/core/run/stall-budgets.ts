import type { RunRecord, RunState } from './run-record';

const MINUTE = 60_000;

/**
 * How long a run may stay in a state without a state change before the reconciler looks at it.
 * Each is the longest the state's stage can legitimately take, with margin: a stage message is
 * retried by Pub/Sub for about 40 minutes (10 deliveries, 10–600 s backoff) before it is
 * dead-lettered, and Vertex operations are followed for up to the operation timeout (2 h,
 * FERRY_OPERATION_TIMEOUT_MS). A run waiting for its endpoint's turn is not stalled (see
 * `reconcile`), so `registered` needs no room for other rollouts.
 */
export const STALL_BUDGET_MS: Readonly<Record<RunState, number>> = {
  /** registerModel / publishMobile: a few calls, or the TFLite golden set (under 540 s per try). */
  checked: 45 * MINUTE,
  /** deployModel: get-or-create the endpoint and start DeployModel once the turn is ours. */
  registered: 45 * MINUTE,
  /** awaitOperation follows DeployModel for up to the operation timeout, then ends the run itself. */
  deploying: 2 * 60 * MINUTE + 15 * MINUTE,
  /** validatePredictions at one traffic step: golden requests, then step up, promote or roll back. */
  deployed: 45 * MINUTE,
  /** Undeploy operations (retiring old versions, removing a rejected candidate). */
  promoting: 2 * 60 * MINUTE + 15 * MINUTE,
  'rolling-back': 2 * 60 * MINUTE + 15 * MINUTE,
  /**
   * A mobile rollout waits `every` between steps by design; the reconciler drives its steps
   * (mobile-rollout-step.ts), so it is never nudged as stalled.
   */
  'rolling-out': Infinity,
  /** A person decides; the approval's own deadline (reconcile.ts applies onTimeout) bounds the wait. */
  'awaiting-approval': Infinity,
  promoted: Infinity,
  published: Infinity,
  rejected: Infinity,
  failed: Infinity,
  aborted: Infinity,
  'rolled-back': Infinity,
};

/**
 * What the reconciler does with a run: `fresh` (within budget), `nudge` (past budget: republish
 * the message it waits for, once), `nudged` (nudged, waiting for it to help), `end` (still no
 * progress a budget after the nudge). Pure: `updatedAt` changes with every state change, so a
 * nudge recorded before the last change no longer counts.
 */
export function stallVerdict(
  run: RunRecord,
  now: Date,
  budgets: Readonly<Record<RunState, number>> = STALL_BUDGET_MS,
): 'fresh' | 'nudge' | 'nudged' | 'end' {
  const budget = budgets[run.state];
  const since = Date.parse(run.updatedAt);
  const nudged = run.nudgedAt === undefined ? NaN : Date.parse(run.nudgedAt);
  if (!(nudged >= since)) return now.getTime() - since > budget ? 'nudge' : 'fresh';
  return now.getTime() - nudged > budget ? 'end' : 'nudged';
}
