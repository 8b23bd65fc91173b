import type { MobileRolloutRecord, RunRecord } from '../functions/core/run/run-record';

const ICON: Record<string, string> = {
  promoted: '✔',
  published: '✔',
  rejected: '✘',
  failed: '!',
  aborted: '■',
  'rolled-back': '↩',
};

/** A run's timeline as a person reads it: one line per state change, with the time since the start. */
export function formatRun(run: RunRecord): string {
  const start = Date.parse(run.createdAt);
  const outcome = run.outcome ? `${ICON[run.outcome] ?? ''} ${run.outcome}` : `… ${run.state}`;
  // A `ferry rollback` run names the version it puts back; its root is that version's artifact.
  const what = run.kind === 'rollback' ? `rollback to v${run.version} (${run.root})` : `${run.kind} ${run.root}`;
  const where = run.environment
    ? `workflow ${run.workflow}, environment ${run.environment.name}${run.environment.parent ? ` in ${run.environment.parent}` : ''}${run.promotedFrom ? `, promoted from ${run.promotedFrom}` : ''}`
    : `workflow ${run.workflow}`;
  const lines = [`${run.runId}  ${what} (${where})  ${outcome}`];
  for (const entry of run.timeline) {
    const seconds = ((Date.parse(entry.at) - start) / 1000).toFixed(2).padStart(7);
    lines.push(`  +${seconds}s  ${entry.state.padEnd(12)} ${entry.detail ?? ''}`);
  }
  for (const decision of run.decisions ?? []) {
    const c = decision.candidate;
    lines.push(
      `  decision at ${decision.trafficPercent} %: ${decision.passed ? 'pass' : 'fail'}; candidate ${c.answers} answers, match ${(c.matchRate * 100).toFixed(1)} %, p95 ${c.p95LatencyMs.toFixed(1)} ms; ${decision.requests} requests, ${decision.failedRequests} failed, ${decision.transportErrors ?? 0} transport errors retried`,
    );
  }
  if (run.validation) {
    const v = run.validation;
    const requests = Object.values(v.tally.byModel).reduce((sum, m) => sum + m.requests, 0) + v.tally.failedRequests;
    lines.push(
      `  validating (step ${v.step}) since ${v.startedAt}: ${requests} requests so far, ${v.tally.transportErrors} transport errors; handed on ${v.handOns}× (last: ${v.lastHandOn})`,
    );
  }
  for (const action of run.operatorActions ?? [])
    lines.push(`  ${action.verb} by ${action.by} at ${action.at}${action.reason ? `: ${action.reason}` : ''}`);
  if (run.state === 'awaiting-approval' && run.approval)
    lines.push(
      `  awaiting approval since ${run.approval.requestedAt}: ferry approve ${run.runId}  |  ferry reject ${run.runId} --reason …  (${run.approval.onTimeout} at ${run.approval.deadline})`,
    );
  if (run.deadLetterId)
    lines.push(`  ended by dead letter ${run.deadLetterId} (ferry status lists what sits on ferry.dead-letter)`);
  if (run.nudgedAt && !run.outcome) lines.push(`  stalled: the reconciler republished its message at ${run.nudgedAt}`);
  for (const [channel, result] of Object.entries(run.mobile?.channels ?? {}))
    lines.push(`  ${channel}: ${result.detail}`);
  const rollout = run.mobile?.rollout;
  if (rollout) lines.push(`  ${describeMobileRollout(run.state, rollout)}`);
  return lines.join('\n');
}

/** One line on a mobile rollout: where it stands in Remote Config and what comes next. */
export function describeMobileRollout(state: RunRecord['state'], rollout: MobileRolloutRecord): string {
  const where = `Remote Config "${rollout.parameter}": ${rollout.candidateValue} for ${rollout.percent} % of app instances (seed ${rollout.seed})`;
  const versions = rollout.templateVersions.length ? `; template versions ${rollout.templateVersions.join(', ')}` : '';
  if (state === 'rolling-out')
    return `rolling out: ${where}; next step ${rollout.nextStepAt ? `due ${rollout.nextStepAt}` : 'pending'}${versions}  (ferry abort restores the parameter)`;
  return `rollout: ${where}${versions}`;
}
