import type { RunRecord, TimelineEntry } from '../../../functions/core/run/run-record';
import { scaleTo, total, type TrafficSplit } from '../../../functions/core/traffic-split';
import type { HistoryPoint } from './api-types';
import { labelSplit } from './overview';
import type { EndpointInfo } from '../../../functions/pipeline/ports';

/**
 * An endpoint's traffic split over time, rebuilt from its workflow's run records (Vertex keeps no
 * history of splits). Per run that deployed something, in the order of its timeline:
 * - `deploying` / `deployed` at a step: the candidate at that step's percent (the gate decision of
 *   that step records it; the run's last step is `deployment.split`), the versions it displaced
 *   sharing the rest in their previous proportions (as deploySplit/stepSplit do);
 * - `promoted`: the candidate at 100 %;
 * - `rejected`, `aborted`, and `rolled-back` of a deployment that was not a rollback: the split
 *   before the candidate (`deployment.previousSplit`), restored exactly;
 * - a `ferry rollback` run ending `rolled-back`: the version it restored at 100 %.
 * Approximate where the record does not say: a step with no decision and not the run's last is
 * skipped, a `failed` run adds no point (what it left on the endpoint is not recorded), and
 * changes made outside ferry are missed. When the live endpoint is given, its split ends the history.
 */
export function endpointHistory(runs: RunRecord[], live?: { endpoint: EndpointInfo; at: Date }): HistoryPoint[] {
  const versions = versionLabels(runs);
  const label = (split: TrafficSplit) =>
    Object.fromEntries(
      Object.entries(split)
        .filter(([, pct]) => pct > 0)
        .map(([id, pct]) => [versions.get(id) ?? id, pct]),
    );
  const points: HistoryPoint[] = [];
  const ordered = [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const run of ordered)
    for (const entry of run.timeline) {
      const split = splitAfter(run, entry);
      if (split) points.push({ at: entry.at, split: label(split) });
    }
  points.sort((a, b) => a.at.localeCompare(b.at));
  if (live) {
    const split = Object.fromEntries(
      labelSplit(live.endpoint, runs).map((e) => [e.version ? `v${e.version}` : e.deployedModelId, e.percent]),
    );
    points.push({ at: live.at.toISOString(), split });
  }
  return withoutRepeats(points);
}

/** The split a timeline entry left on the endpoint, when the record says. */
function splitAfter(run: RunRecord, entry: TimelineEntry): TrafficSplit | undefined {
  const deployment = run.deployment;
  if (!deployment) return undefined;
  const candidate = deployment.deployedModelId;
  switch (entry.state) {
    case 'deploying':
    case 'deployed': {
      if (run.kind === 'rollback') return undefined;
      const percent = percentAt(run, entry.step ?? -1);
      if (percent === undefined) return undefined;
      if (total(deployment.previousSplit) === 0) return { [candidate]: 100 };
      return { ...scaleTo(deployment.previousSplit, 100 - percent), [candidate]: percent };
    }
    case 'promoted':
      return { [candidate]: 100 };
    case 'rolled-back':
      return run.kind === 'rollback' ? { [candidate]: 100 } : { ...deployment.previousSplit };
    case 'rejected':
    case 'aborted':
      return { ...deployment.previousSplit };
    default:
      return undefined;
  }
}

/** The candidate's percent at a traffic step: its gate decision's, or the current split's at the run's own step. */
function percentAt(run: RunRecord, step: number): number | undefined {
  const decided = run.decisions?.find((d) => d.step === step)?.trafficPercent;
  if (decided !== undefined) return decided;
  if (step === run.step) return run.deployment?.split?.[run.deployment.deployedModelId];
  return undefined;
}

/** deployed-model id → `v<version>` of the run that deployed it. */
function versionLabels(runs: RunRecord[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const run of [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt)))
    if (run.deployment && run.kind !== 'rollback') labels.set(run.deployment.deployedModelId, `v${run.version}`);
  for (const run of runs)
    if (run.deployment && !labels.has(run.deployment.deployedModelId))
      labels.set(run.deployment.deployedModelId, `v${run.version}`);
  return labels;
}

/** A point equal to the one before says nothing new (a `deployed` after its `deploying`). */
function withoutRepeats(points: HistoryPoint[]): HistoryPoint[] {
  const same = (a: Record<string, number>, b: Record<string, number>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  return points.filter((point, i) => i === 0 || !same(point.split, points[i - 1].split));
}
