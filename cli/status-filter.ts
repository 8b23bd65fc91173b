import type { RunRecord, RunState } from '../functions/core/run/run-record';
import { durationMs } from '../functions/core/text/duration';

/** Every run state, for `--state` to check against (the type below fails to compile if one is missing). */
export const RUN_STATES = [
  'checked',
  'registered',
  'deploying',
  'deployed',
  'awaiting-approval',
  'promoting',
  'rolling-back',
  'rolling-out',
  'promoted',
  'published',
  'rejected',
  'failed',
  'aborted',
  'rolled-back',
] as const satisfies readonly RunState[];
type Missing = Exclude<RunState, (typeof RUN_STATES)[number]>;
const allListed: Missing extends never ? true : never = true;
void allListed;

export interface RunFilter {
  workflow?: string;
  state?: RunState;
  /** Runs created at or after this time. */
  since?: Date;
}

/**
 * `--since 30m`, `2h`, `1d`, `45s`, or an ISO time (`2026-11-30T07:00:00Z`); `now` is passed in so
 * a test pins it. Throws a message naming the flag and the forms it takes.
 */
export function parseSince(text: string, now: Date): Date {
  const relative = durationMs(text);
  if (relative !== undefined) return new Date(now.getTime() - relative);
  // Date.parse accepts loose forms ("1", "May 5"): only ISO 8601 dates are taken.
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const at = Date.parse(text.trim());
    if (Number.isFinite(at)) return new Date(at);
  }
  throw new Error(
    `--since "${text}": not a duration or an ISO time; use e.g. --since 30m, 2h, 1d, or --since 2026-11-30T07:00:00Z`,
  );
}

/** `--state`: one of RUN_STATES, or a message listing them. */
export function parseState(text: string): RunState {
  const state = RUN_STATES.find((s) => s === text);
  if (!state) throw new Error(`--state "${text}": not a run state; use one of ${RUN_STATES.join(', ')}`);
  return state;
}

export function filterRuns(runs: readonly RunRecord[], filter: RunFilter): RunRecord[] {
  return runs.filter(
    (run) =>
      (filter.workflow === undefined || run.workflow === filter.workflow) &&
      (filter.state === undefined || run.state === filter.state) &&
      (filter.since === undefined || Date.parse(run.createdAt) >= filter.since.getTime()),
  );
}
