import { isTerminal, type RunRecord } from '../run/run-record';

/**
 * What `ferry rollback <workflow> [--to V]` does, decided from the workflow's run records alone.
 * Pure: the CLI reads the records, and the endpoint to tell "already serving" from "to restore".
 */
export type RollbackChoice =
  /** Put `target`'s version back; `serving` is the run whose version serves now. */
  | { action: 'rollback'; target: RunRecord; serving: RunRecord; versions: string[] }
  /** A rollback run to that version is live already (the same command twice): follow it. */
  | { action: 'under-way'; run: RunRecord }
  | { action: 'refuse'; message: string };

const byNewest = (a: RunRecord, b: RunRecord) => b.updatedAt.localeCompare(a.updatedAt);
const served = (run: RunRecord) => run.outcome === 'promoted' || run.outcome === 'rolled-back';
const label = (version: string) => `v${version}`;

/**
 * The version serving now is that of the newest run that ended promoted or rolled-back (a
 * rollback's target becomes current). Without `to`, the target is the version that served before
 * it (so after v1, v2, a rollback to v1 and v3, it is v1 again, not the v2 rolled back from); when
 * the serving run is itself a rollback, the target is its own version, so the same command twice
 * changes nothing the second time (going further back takes `--to`). With `to`, it must be a
 * version whose run ended promoted: only a version that passed validation is put back without
 * validating it again.
 */
export function chooseRollback(
  all: RunRecord[],
  workflowName: string,
  to?: string,
  /** One environment of a workflow with `environments`: only its runs count, only its endpoint moves. */
  environment?: string,
): RollbackChoice {
  const runs = all.filter((run) => run.workflow === workflowName && run.environment?.name === environment);
  const workflow = environment === undefined ? workflowName : `${workflowName} in ${environment}`;
  const live = runs.filter((run) => !isTerminal(run)).sort(byNewest);
  // Newest first: the run found for a version is its latest promotion (a retry's, say).
  const promoted = runs
    .filter((run) => run.outcome === 'promoted' && run.kind !== 'rollback' && run.model)
    .sort(byNewest);
  const versions = [...new Set(promoted.map((run) => run.version))];
  const wanted = to === undefined ? undefined : versionNamed(to, versions);
  const rollingBack = live.find((run) => run.kind === 'rollback');
  if (rollingBack && (wanted === undefined || rollingBack.version === wanted))
    return { action: 'under-way', run: rollingBack };
  if (live.length > 0) {
    const [first] = live;
    return refuse(
      `run ${first.runId} of ${workflow} is still ${first.state}: one rollout per endpoint at a time; wait for it to end, or stop it with \`ferry abort ${first.runId}\``,
    );
  }
  // What served, newest first: promotions and rollbacks alike.
  const history = runs.filter(served).sort(byNewest);
  const [serving] = history;
  if (!serving) return refuse(`no version of ${workflow} was ever promoted: there is nothing to roll back to`);
  const newestOf = (version: string) => promoted.find((run) => run.version === version);
  let target: RunRecord | undefined;
  if (wanted !== undefined) {
    target = newestOf(wanted);
    if (!target)
      return refuse(
        `${label(wanted)} of ${workflow} never ended promoted, so it cannot be rolled back to; promoted versions: ${versions.length ? versions.map(label).join(', ') : 'none'}`,
      );
  } else if (serving.kind === 'rollback') target = newestOf(serving.version);
  else {
    const before = history.find((run) => run.version !== serving.version);
    target = before && newestOf(before.version);
  }
  if (!target)
    return refuse(
      `no version of ${workflow} served before ${label(serving.version)}, which serves now: there is nothing to roll back to`,
    );
  return { action: 'rollback', target, serving, versions };
}

/** `--to 1` and `--to v1` both name version 1 (unless a version is literally called `v1`). */
function versionNamed(to: string, versions: string[]): string {
  if (versions.includes(to)) return to;
  return /^v\d/i.test(to) ? to.slice(1) : to;
}

function refuse(message: string): RollbackChoice {
  return { action: 'refuse', message };
}
