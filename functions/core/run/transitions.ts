import { TERMINAL_STATES, type Outcome, type RunRecord, type RunState } from './run-record';

const ALLOWED: Record<RunState, RunState[]> = {
  checked: ['registered', 'published', 'rolling-out', 'rejected', 'failed', 'aborted'],
  registered: ['deploying', 'rolled-back', 'failed', 'aborted'],
  deploying: ['deployed', 'rolling-back', 'rolled-back', 'failed', 'aborted'],
  deployed: ['deployed', 'awaiting-approval', 'promoting', 'promoted', 'rolling-back', 'rejected', 'failed', 'aborted'],
  'awaiting-approval': ['deployed', 'promoting', 'rolling-back', 'rejected', 'failed', 'aborted'],
  promoting: ['promoted', 'failed'],
  'rolling-back': ['rejected', 'failed', 'aborted'],
  'rolling-out': ['rolling-out', 'published', 'failed', 'aborted'],
  promoted: [],
  published: [],
  rejected: [],
  failed: [],
  aborted: [],
  'rolled-back': [],
};

const OUTCOME: Partial<Record<RunState, Outcome>> = {
  promoted: 'promoted',
  published: 'published',
  rejected: 'rejected',
  failed: 'failed',
  aborted: 'aborted',
  'rolled-back': 'rolled-back',
};

export class TransitionError extends Error {}

/** The run after moving to `to`, with a timeline entry. Pure: the caller writes it with compare-and-set. */
export function advance(
  run: RunRecord,
  to: RunState,
  now: Date,
  detail?: string,
  patch: Partial<RunRecord> = {},
): RunRecord {
  if (!ALLOWED[run.state].includes(to))
    throw new TransitionError(`run ${run.runId}: cannot go from ${run.state} to ${to}`);
  const at = now.toISOString();
  const next: RunRecord = { ...run, ...patch, state: to, updatedAt: at };
  next.timeline = [
    ...run.timeline,
    {
      state: to,
      at,
      ...(detail ? { detail } : {}),
      ...(to === 'deployed' || to === 'deploying' || to === 'rolling-out' ? { step: next.step } : {}),
    },
  ];
  const outcome = OUTCOME[to];
  if (outcome) {
    next.outcome = outcome;
    if (detail) next.reason = detail;
  }
  return next;
}

/**
 * Ends a run that is not yet terminal; a terminal run stays as it is (duplicates of a late failure).
 * A run whose candidate already holds `default` (promoting, alias moved) can only end promoted:
 * the failure becomes a warning about what is left to clean up, never a rollback or a `failed`
 * that would hide which version serves.
 */
export function endRun(
  run: RunRecord,
  outcome: 'failed' | 'rejected' | 'aborted',
  reason: string,
  now: Date,
): RunRecord {
  if (TERMINAL_STATES.has(run.state)) return run;
  if (run.state === 'promoting' && run.promotion?.defaultMoved) return endPromoting(run, reason, now);
  const to: RunState = outcome !== 'failed' && ALLOWED[run.state].includes(outcome) ? outcome : 'failed';
  return advance({ ...run }, to, now, reason);
}

/** Finishes a promotion whose candidate holds `default`, naming the deployments left behind. */
function endPromoting(run: RunRecord, problem: string, now: Date): RunRecord {
  const { retiring = [], leftovers = {} } = run.promotion ?? {};
  const left = [...new Set([...Object.keys(leftovers), ...retiring])];
  const cleanup = left.length
    ? `; ${left.join(', ')} may still be deployed without traffic: undeploy what is left when the endpoint is idle`
    : '';
  return advance(
    { ...run, pendingOperations: [] },
    'promoted',
    now,
    `promoted at 100 % (default → ${run.model?.versionName ?? 'the candidate'}), with a warning: ${problem}${cleanup}`,
  );
}

export interface StagePoint {
  state: RunState;
  step?: number;
}

/**
 * What a stage handler does with a message, given the run as stored:
 * `run` when the run waits for this stage; `republish` when this stage already moved the run on
 * (its first attempt died before publishing the next message, so publish it again); `ignore`
 * for duplicates of a stage the run has left.
 */
export function stageAction(
  run: RunRecord,
  expects: StagePoint,
  produces: StagePoint[],
): 'run' | 'republish' | 'ignore' {
  const at = (point: StagePoint) => run.state === point.state && (point.step === undefined || run.step === point.step);
  if (at(expects)) return 'run';
  if (produces.some(at)) return 'republish';
  return 'ignore';
}
