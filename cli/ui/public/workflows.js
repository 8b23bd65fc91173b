// The Workflows page: one row per workflow (its endpoint's split, `default`, the run in progress,
// the last outcome, pending approvals with their buttons), dead letters, then every run.
import { actionButton, approveButton, rejectButton } from './actions.js';
import { badge, clock, h, runLink, table } from './dom.js';
import { splitBar } from './split-bar.js';

const none = (text = '—') => h('span', { class: 'muted' }, text);
const runCell = (r) => (r ? [runLink(r.runId, `v${r.version}`), ' ', badge(r.state)] : none());

function splitCell(wf) {
  if (wf.endpoint)
    return splitBar(
      wf.endpoint.split.map((e) => ({
        label: e.version ? `v${e.version}` : `#${e.deployedModelId}`,
        percent: e.percent,
        version: e.version,
      })),
      `split-${wf.name}`,
    );
  return wf.artifact === 'tflite' ? h('a', { href: '#/mobile' }, 'mobile releases') : none('no endpoint yet');
}

function workflowRow(wf) {
  const approvals =
    wf.pendingApprovals.length === 0
      ? none('none')
      : wf.pendingApprovals.map((p) =>
          h(
            'div',
            { class: 'pending' },
            runLink(p.runId, `v${p.version}`),
            approveButton(p.runId, p.version, p.awaitingApproval?.action),
            rejectButton(p.runId, p.version),
          ),
        );
  const name = wf.endpoint ? h('a', { href: `#/endpoint/${encodeURIComponent(wf.name)}` }, wf.name) : wf.name;
  // `ferry rollback <workflow>`: while nothing runs, the version that served before the one serving now.
  const rollback =
    wf.defaultVersion &&
    !wf.current &&
    actionButton('Roll back', {
      title: `Roll ${wf.name} back`,
      what: `Put the version that served before v${wf.defaultVersion} back at 100 % of ${wf.name}'s endpoint with \`default\` on it (refused, with the reason, if there is none).`,
      args: ['rollback', wf.name],
      danger: true,
    });
  return h(
    'tr',
    { 'data-testid': `workflow-${wf.name}` },
    h('th', { scope: 'row' }, name, h('div', { class: 'muted small' }, wf.artifact)),
    h('td', { class: 'split-cell', 'data-label': 'Traffic split' }, splitCell(wf)),
    h('td', { 'data-label': 'default' }, wf.defaultVersion ? [`v${wf.defaultVersion} `, rollback] : none()),
    h('td', { 'data-label': 'In progress' }, runCell(wf.current)),
    h('td', { 'data-label': 'Last' }, runCell(wf.last)),
    h('td', { 'data-label': 'Approvals' }, approvals),
  );
}

export function workflowsView(overview) {
  const letters = overview.deadLetters;
  const waiting = overview.waitingForFiles.length;
  return [
    h(
      'div',
      { class: 'summary' },
      h('h1', {}, 'Workflows'),
      h('span', { class: 'muted' }, overview.source === 'local' ? 'local stack' : overview.source),
      h(
        'span',
        { 'data-testid': 'dead-letters', class: letters > 0 ? 'warn' : 'muted' },
        `${letters} dead letter${letters === 1 ? '' : 's'} waiting`,
      ),
      letters > 0 &&
        actionButton('Replay all', {
          title: 'Replay every dead letter',
          what: `Replay the ${letters} parked dead letter${letters === 1 ? '' : 's'}: a run a letter ended gets its next attempt, others go back to their source topic.`,
          args: ['replay', '--all', '--yes'],
          reason: 'none',
        }),
      waiting > 0 && h('span', { class: 'muted' }, `${waiting} artifact${waiting === 1 ? '' : 's'} waiting for files`),
    ),
    table(
      ['Workflow', 'Traffic split', 'default', 'In progress', 'Last', 'Approvals'],
      overview.workflows.map(workflowRow),
      { class: 'workflows' },
    ),
    h('h2', {}, 'Runs'),
    overview.runs.length === 0
      ? none('No run yet: drop a model (ferry drop) and it appears here.')
      : table(
          ['Run', 'Workflow', 'Version', 'State', 'Started', 'Updated'],
          overview.runs.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, runLink(r.runId)),
              h('td', {}, r.environment ? `${r.workflow} (${r.environment})` : r.workflow),
              h(
                'td',
                {},
                `v${r.version}${r.kind === 'rollback' ? ' (rollback)' : ''}${r.attempt > 1 ? ` attempt ${r.attempt}` : ''}`,
              ),
              h('td', {}, badge(r.state)),
              h('td', {}, clock(r.createdAt)),
              h('td', {}, clock(r.updatedAt)),
            ),
          ),
          { class: 'runs' },
        ),
  ];
}
