import type { Outcome } from '../run/run-record';

/**
 * Which deployments a promotion retires from the endpoint, and in which order. Pure: the retire
 * sequence (pipeline/stages/retire-step.ts) gathers the facts and follows the order, one
 * UndeployModel at a time.
 */

/** A deployment on the endpoint other than the promoted candidate. */
export interface Incumbent {
  /** Deployed-model id on the endpoint. */
  id: string;
  modelVersionId: string;
  /** Its share of traffic just before the candidate arrived (the run's `previousSplit`). */
  percentBefore: number;
  /** How the ferry run that deployed it ended, when one did and is still on record. */
  outcome?: Outcome;
}

export interface RetireDecision {
  /** Kept deployed (at 0 %), for a quick manual rollback; the last good incumbent first. */
  keep: string[];
  /** To undeploy, in this order: rejected ones, then 0 % leftovers, then surplus good ones (oldest first). */
  retire: string[];
}

const byVersion = (a: Incumbent, b: Incumbent) =>
  Number(a.modelVersionId) - Number(b.modelVersionId) || a.id.localeCompare(b.id);

/**
 * `keepPrevious` counts good versions: the last good incumbent (the previous `default` holder: the
 * one that served most before the candidate, newest on a tie) is kept first, then other good ones,
 * newest first. A version is good when its run was promoted or it served traffic; rejected or
 * failed ones are never kept, and are retired first, so a sequence cut short leaves the useful
 * ones. Retiring the newest deployments (the old rule, by version number alone) could keep a
 * rejected candidate and retire the version a rollback would need.
 */
export function retireOrder(incumbents: Incumbent[], keepPrevious: number): RetireDecision {
  const bad = incumbents.filter((d) => d.outcome === 'rejected' || d.outcome === 'failed' || d.outcome === 'aborted');
  const good = incumbents.filter(
    (d) => !bad.includes(d) && (d.outcome === 'promoted' || d.outcome === 'rolled-back' || d.percentBefore > 0),
  );
  const leftovers = incumbents.filter((d) => !bad.includes(d) && !good.includes(d));
  const ranked = [...good].sort((a, b) => b.percentBefore - a.percentBefore || byVersion(b, a));
  const [last, ...others] = ranked;
  const preference = last ? [last, ...others.sort((a, b) => byVersion(b, a))] : [];
  const keep = preference.slice(0, Math.max(0, keepPrevious));
  const surplus = good.filter((d) => !keep.includes(d)).sort(byVersion);
  return {
    keep: keep.map((d) => d.id),
    retire: [...bad.sort(byVersion), ...leftovers.sort(byVersion), ...surplus].map((d) => d.id),
  };
}
