import { isTerminal, type RunRecord } from '../../../functions/core/run/run-record';
import type { RunSummary } from './api-types';

/** What a list shows of a run: its identity and where it stands, not its timeline. */
export function summarize(run: RunRecord): RunSummary {
  const summary: RunSummary = {
    runId: run.runId,
    workflow: run.workflow,
    kind: run.kind,
    version: run.version,
    state: run.state,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
  };
  if (run.environment) summary.environment = run.environment.name;
  if (run.outcome) summary.outcome = run.outcome;
  if (run.attempt !== undefined) summary.attempt = run.attempt;
  if (run.state === 'awaiting-approval' && run.approval) {
    const { action, deadline, onTimeout } = run.approval;
    summary.awaitingApproval = { action, deadline, onTimeout };
  }
  return summary;
}

/** Newest first (by creation; the run id breaks ties so the order is stable). */
export function newestFirst(runs: RunRecord[]): RunRecord[] {
  return [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
}

/** The run in progress: the newest one not ended. */
export function currentRun(runs: RunRecord[]): RunRecord | undefined {
  return newestFirst(runs).find((run) => !isTerminal(run));
}

/** The newest ended run. */
export function lastEnded(runs: RunRecord[]): RunRecord | undefined {
  return newestFirst(runs).find((run) => isTerminal(run));
}
