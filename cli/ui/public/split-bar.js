// The traffic split as a horizontal bar: one segment per deployed model, its width its percent,
// labelled with the version (a legend below repeats the labels a narrow segment cannot show).
import { h } from './dom.js';

const PALETTE = ['#2f6fde', '#e0832b', '#2a9d64', '#b04fc9', '#c9404f', '#1f9bb0', '#8a8f2a', '#6b5bd6'];
const colours = new Map();

/** One colour per label for the page's life, so v3 is the same colour in every bar and chart. */
export function colourOf(label) {
  if (!colours.has(label)) colours.set(label, PALETTE[colours.size % PALETTE.length]);
  return colours.get(label);
}

/** entries: [{label, percent, version?}] → the bar (with `data-testid` when given) and its legend. */
export function splitBar(entries, testid) {
  const shown = entries.filter((e) => e.percent > 0);
  if (shown.length === 0) return h('span', { class: 'muted', 'data-testid': testid }, 'no traffic');
  const words = shown.map((e) => `${e.label} ${e.percent} %`);
  return h(
    'div',
    { class: 'split-wrap' },
    h(
      'div',
      { class: 'split', 'data-testid': testid, role: 'img', 'aria-label': `traffic split: ${words.join(', ')}` },
      shown.map((e, i) =>
        h(
          'span',
          {
            class: 'seg',
            'data-version': e.version ?? '',
            'data-percent': e.percent,
            style: `flex-basis:${e.percent}%;background:${colourOf(e.label)}`,
            title: words[i],
          },
          words[i],
        ),
      ),
    ),
    shown.length > 1 &&
      h(
        'div',
        { class: 'legend', 'aria-hidden': 'true' },
        shown.map((e, i) => h('span', {}, h('i', { style: `background:${colourOf(e.label)}` }), words[i])),
      ),
  );
}

/**
 * deployedModelId → version for every run of the overview. ferry derives a run's deployed-model id
 * from its run id (functions/core/run/run-id.ts deployedModelIdFor: 10⁹ + the first 4 bytes of
 * sha256(runId)), so a split of ids retired long ago still reads as versions.
 */
export async function versionLabels(runs) {
  const labels = new Map();
  if (!crypto.subtle) return labels;
  await Promise.all(
    runs.map(async (run) => {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(run.runId));
      labels.set(String(1_000_000_000 + new DataView(digest).getUint32(0)), run.version);
    }),
  );
  return labels;
}

/** A TrafficSplit (deployedModelId → percent) as bar entries, named by version where known. */
export function splitEntries(split, labels) {
  return Object.entries(split ?? {}).map(([id, percent]) => {
    const version = labels.get(id);
    return { label: version ? `v${version}` : `#${id}`, percent, version };
  });
}
