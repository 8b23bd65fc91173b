// The Run page: where the run stands and the verbs that apply, its timeline, what the gates
// judged at each step, the golden-set mismatches, the split before and after, console links.
import { runActions } from './actions.js';
import { badge, clock, duration, h, table, TERMINAL, when } from './dom.js';
import { decisionView, mismatchesOf } from './gates.js';
import { channelList } from './mobile.js';
import { splitBar, splitEntries } from './split-bar.js';

const section = (title, ...content) => [h('h2', {}, title), ...content];

function timeline(run) {
  const end = TERMINAL.has(run.state) ? run.updatedAt : new Date().toISOString();
  return table(
    ['State', 'At', 'For', 'What happened'],
    run.timeline.map((entry, i) => {
      const next = run.timeline[i + 1]?.at;
      const last = !next && TERMINAL.has(entry.state);
      return h(
        'tr',
        {},
        h('td', {}, badge(entry.state)),
        h('td', { class: 'num' }, clock(entry.at)),
        h('td', { class: 'num' }, last ? '' : duration(entry.at, next ?? end)),
        h('td', { class: 'detail' }, entry.detail ?? ''),
      );
    }),
    { class: 'timeline' },
  );
}

/** body: `/api/runs/<id>`; labels: deployedModelId → version. */
export function runView(body, labels) {
  const run = body.run;
  const before = run.deployment?.previousSplit;
  const beforeWords = before
    ? JSON.stringify(Object.fromEntries(splitEntries(before, labels).map((e) => [e.label, e.percent])))
    : undefined;
  const bad = run.outcome && !['promoted', 'published', 'rolled-back'].includes(run.outcome);
  const mismatches = mismatchesOf(run);
  const links = body.console;
  return [
    h(
      'div',
      { class: 'summary' },
      h(
        'h1',
        {},
        `v${run.version} `,
        h('span', { class: 'muted' }, `of ${run.workflow}${run.environment ? ` in ${run.environment.name}` : ''}`),
      ),
      badge(run.state),
      run.kind === 'rollback' && h('span', { class: 'muted' }, 'a ferry rollback'),
      run.attempt > 1 && h('span', { class: 'muted' }, `attempt ${run.attempt}`),
      h('code', { class: 'small' }, run.runId),
    ),
    run.reason && h('p', { class: bad ? 'reason bad' : 'reason', 'data-testid': 'run-reason' }, run.reason),
    run.state === 'awaiting-approval' &&
      run.approval &&
      h(
        'p',
        { class: 'notice' },
        `Waiting for a person since ${when(run.approval.requestedAt)}: ${run.approval.summary}. Unanswered by ${when(run.approval.deadline)}, it is ${run.approval.onTimeout === 'approve' ? 'approved' : 'rejected'}.`,
      ),
    h('div', { class: 'actions', 'data-testid': 'run-actions' }, runActions(run, beforeWords)),
    section('Timeline', timeline(run)),
    (run.decisions ?? []).length > 0 &&
      section(
        'Gates',
        run.decisions.map((d) => decisionView(d, body.gates)),
      ),
    mismatches.length > 0 &&
      section(
        'Golden-set mismatches',
        h(
          'ul',
          { class: 'mismatches', 'data-testid': 'mismatches' },
          mismatches.map((m) =>
            h(
              'li',
              {},
              h('code', {}, m.detail),
              m.instance !== undefined && h('span', { class: 'muted small' }, ' for instance '),
              m.instance !== undefined && h('code', { class: 'instance' }, m.instance),
            ),
          ),
        ),
        h('p', { class: 'muted small' }, 'The record keeps the first five mismatches of each validation.'),
      ),
    run.deployment &&
      section(
        'Traffic split',
        h(
          'div',
          { class: 'split-pair' },
          h(
            'div',
            {},
            h('div', { class: 'muted small' }, 'before'),
            splitBar(splitEntries(before, labels), 'split-before'),
          ),
          h(
            'div',
            {},
            h('div', { class: 'muted small' }, 'with the candidate'),
            splitBar(splitEntries(run.deployment.split, labels), 'split-after'),
          ),
        ),
      ),
    (run.operatorActions ?? []).length > 0 &&
      section(
        'Operator actions',
        h(
          'ul',
          {},
          run.operatorActions.map((a) =>
            h('li', {}, `${a.verb} by ${a.by} at ${when(a.at)}${a.reason ? `: ${a.reason}` : ''}`),
          ),
        ),
      ),
    run.mobile &&
      section(
        'Channels',
        channelList(run.mobile.channels),
        h('p', { class: 'muted small' }, `${run.mobile.sizeBytes} bytes, sha256 ${run.mobile.sha256}`),
      ),
    links &&
      h(
        'p',
        { class: 'links' },
        h('a', { href: links.model, target: '_blank', rel: 'noopener' }, 'Model Registry version ↗'),
        h('a', { href: links.endpoint, target: '_blank', rel: 'noopener' }, 'Endpoint in the Google Cloud console ↗'),
      ),
  ];
}
