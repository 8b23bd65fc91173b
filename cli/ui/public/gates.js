// What the gates judged at each traffic step: match rate, error rate and p95 latency of the
// candidate (and the incumbent), each drawn against its threshold; a failed gate in red with its
// numbers and the reason the pipeline wrote.
import { h, ms, pct } from './dom.js';

/** Which gate each reason is about (functions/core/validation/gates.ts words them). */
function failedGates(reasons) {
  const found = {};
  for (const reason of reasons) {
    if (reason.startsWith('match rate')) found.match = reason;
    else if (reason.startsWith('error rate')) found.error = reason;
    else if (reason.startsWith('p95 latency')) found.latency = reason;
    else if (reason.startsWith('the candidate answered')) found.answers = reason;
  }
  return found;
}

/** The threshold a reason names ("… below 99.0 %", "… above 250 ms"): used when no gates were sent. */
function namedThreshold(reason, unit) {
  const m = reason?.match(unit === '%' ? /(?:below|above) ([\d.]+) %/ : /above ([\d.]+) ms/);
  return m ? Number(m[1]) / (unit === '%' ? 100 : 1) : undefined;
}

/** One gate: bars on a common scale, the threshold a line across them. */
function gate(name, { candidate, incumbent, threshold, thresholdText, scale, format, failed }) {
  const max = Math.max(scale, candidate, incumbent ?? 0, threshold ?? 0) || 1;
  const bar = (who, value) =>
    h(
      'div',
      { class: `bar-row ${who}` },
      h('span', { class: 'who' }, who),
      h(
        'span',
        { class: 'track' },
        h('span', { class: 'fill', style: `width:${(value / max) * 100}%` }),
        threshold !== undefined &&
          h('span', {
            class: 'threshold',
            style: `left:${(threshold / max) * 100}%`,
            title: `threshold ${thresholdText}`,
          }),
      ),
      h('span', { class: 'num' }, format(value)),
    );
  return h(
    'div',
    { class: `gate ${failed ? 'failed' : 'passed'}`, 'data-gate': name },
    h(
      'div',
      { class: 'gate-head' },
      h('strong', {}, name),
      h('span', { class: 'verdict' }, failed ? '✘ failed' : '✔ passed'),
      h('span', { class: 'muted small' }, thresholdText ? `threshold ${thresholdText}` : 'threshold not recorded'),
    ),
    bar('candidate', candidate),
    incumbent !== undefined && bar('incumbent', incumbent),
    failed && h('div', { class: 'reason' }, failed),
  );
}

/** d: a decision of the run record; gates: the workflow's gates when the server sends them. */
export function decisionView(d, gates) {
  const failed = failedGates(d.reasons);
  const minMatch = gates?.minMatchRate ?? namedThreshold(failed.match, '%');
  const maxError = gates?.maxErrorRate ?? namedThreshold(failed.error, '%');
  const maxP95 = gates?.maxP95LatencyMs ?? namedThreshold(failed.latency, 'ms');
  const ratio = gates?.maxP95LatencyRatio;
  const step = d.step < 0 ? 'canary' : `step ${d.step + 1}`;
  return h(
    'section',
    { class: `decision ${d.passed ? 'passed' : 'failed'}`, 'data-testid': `decision-${d.step}` },
    h(
      'h3',
      {},
      `${step} at ${d.trafficPercent} %: ${d.passed ? 'passed' : 'failed'}`,
      h(
        'span',
        { class: 'muted small' },
        ` ${d.requests} requests, ${d.failedRequests} refused, ${d.transportErrors ?? 0} transport errors retried, ${d.candidate.answers} candidate answers`,
      ),
    ),
    h(
      'div',
      { class: 'gates' },
      gate('match rate', {
        candidate: d.candidate.matchRate,
        incumbent: d.incumbent?.matchRate,
        threshold: minMatch,
        thresholdText: minMatch !== undefined ? `≥ ${pct(minMatch)}` : '',
        scale: 1,
        format: pct,
        failed: failed.match,
      }),
      gate('error rate', {
        candidate: d.errorRate,
        threshold: maxError,
        thresholdText: maxError !== undefined ? `≤ ${pct(maxError)}` : '',
        scale: Math.max(0.02, (maxError ?? 0) * 2),
        format: pct,
        failed: failed.error,
      }),
      gate('p95 latency', {
        candidate: d.candidate.p95LatencyMs,
        incumbent: d.incumbent?.p95LatencyMs,
        threshold: maxP95,
        thresholdText: [maxP95 !== undefined && `≤ ${maxP95} ms`, ratio && `≤ ${ratio}× the incumbent`]
          .filter(Boolean)
          .join(', '),
        scale: 0,
        format: ms,
        failed: failed.latency,
      }),
      failed.answers &&
        h(
          'div',
          { class: 'gate failed', 'data-gate': 'answers' },
          h('div', { class: 'gate-head' }, h('strong', {}, 'answers'), h('span', { class: 'verdict' }, '✘ failed')),
          h('div', { class: 'reason' }, failed.answers),
        ),
    ),
  );
}

/** The golden-set mismatches the record keeps: the first of each failed decision and of a TFLite check. */
export function mismatchesOf(run) {
  const found = new Map();
  for (const d of run.decisions ?? []) {
    // Decisions record their first few mismatches with the instance; older records only the first, in the reason.
    for (const m of d.mismatches ?? []) if (!found.has(m.detail)) found.set(m.detail, m.instance);
    for (const r of d.reasons) {
      const first = /first mismatch: (.*)\)$/.exec(r)?.[1];
      if (first && !found.has(first)) found.set(first, undefined);
    }
  }
  const mobile = run.mobile?.validation?.firstMismatch;
  if (mobile && !found.has(mobile)) found.set(mobile, undefined);
  return [...found].map(([detail, instance]) => ({ detail, instance }));
}
