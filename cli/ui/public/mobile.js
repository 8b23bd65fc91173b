// The Mobile page: each TFLite release, its size and hash, what each channel did, which is live.
import { badge, h, runLink, table } from './dom.js';

export const channelList = (channels) =>
  h(
    'ul',
    { class: 'channels' },
    Object.entries(channels).map(([name, c]) => h('li', {}, h('strong', {}, name), ` ${c.status}: ${c.detail}`)),
  );

/** Where a staged rollout stands: its share of app instances through Remote Config, the next step. */
const rolloutNote = (rollout) =>
  h(
    'span',
    { class: 'muted small' },
    `${rollout.percent} % via ${rollout.parameter}${rollout.nextStepAt ? `, next step ${rollout.nextStepAt}` : ''}`,
  );

export function mobileView({ releases }) {
  if (releases.length === 0)
    return [h('h1', {}, 'Mobile releases'), h('p', { class: 'muted' }, 'No TFLite release yet.')];
  return [
    h('h1', {}, 'Mobile releases'),
    table(
      ['Workflow', 'Version', 'State', 'Size', 'sha256', 'Channels'],
      releases.map((r) =>
        h(
          'tr',
          { 'data-testid': `release-${r.workflow}-${r.version}` },
          h('td', {}, r.workflow),
          h(
            'td',
            {},
            runLink(r.runId, `v${r.version}`),
            r.live && [' ', h('span', { class: 'badge s-published' }, 'live')],
          ),
          h('td', {}, badge(r.state), r.rollout && [' ', rolloutNote(r.rollout)]),
          h('td', { class: 'num' }, r.sizeBytes !== undefined ? `${(r.sizeBytes / 1024).toFixed(1)} KiB` : ''),
          h('td', {}, h('code', { class: 'small', title: r.sha256 ?? '' }, (r.sha256 ?? '').slice(0, 12))),
          h('td', {}, channelList(r.channels)),
        ),
      ),
      { class: 'mobile' },
    ),
  ];
}
