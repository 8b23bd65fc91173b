// The Endpoint history page: the traffic split over time as a stacked step chart (uPlot, loaded on
// first use only), with the same points as a table beneath (readable without the chart).
import { clock, h, table } from './dom.js';
import { colourOf, splitBar } from './split-bar.js';

let uplot;
function loadUplot() {
  uplot ??= new Promise((resolve, reject) => {
    const script = h('script', { src: '/vendor/uplot.js' });
    script.onload = () => resolve(window.uPlot);
    script.onerror = () => reject(new Error('could not load /vendor/uplot.js'));
    document.head.append(script);
  });
  return uplot;
}

/**
 * Each version's series is its share plus those of the versions below it, filled down to zero and
 * drawn top first, so the bands stack. The last split is held a little past its time.
 */
async function drawHistory(el, points) {
  const uPlot = await loadUplot();
  const labels = [...new Set(points.flatMap((p) => Object.keys(p.split)))];
  const xs = points.map((p) => Date.parse(p.at) / 1000);
  const span = xs.at(-1) - xs[0];
  xs.push(xs.at(-1) + Math.max(1, span * 0.1));
  const rows = [...points, points.at(-1)];
  const upTo = (i) => rows.map((p) => labels.slice(0, i + 1).reduce((sum, l) => sum + (p.split[l] ?? 0), 0));
  const order = labels.map((_, i) => i).reverse();
  const axis = { stroke: getComputedStyle(el).color, grid: { stroke: '#8884' }, ticks: { stroke: '#8884' } };
  const step = uPlot.paths.stepped({ align: 1 });
  el.replaceChildren();
  new uPlot(
    {
      width: Math.max(300, Math.min(el.clientWidth || 900, 1100)),
      height: 260,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: [0, 100] } },
      axes: [axis, { ...axis, values: (_, ticks) => ticks.map((t) => `${t} %`) }],
      series: [
        {},
        ...order.map((i) => ({
          label: labels[i],
          stroke: colourOf(labels[i]),
          fill: `${colourOf(labels[i])}cc`,
          paths: step,
          points: { show: false },
        })),
      ],
    },
    [xs, ...order.map(upTo)],
    el,
  );
}

export function endpointView(workflow, withEndpoint, history) {
  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': 'Endpoints' },
    withEndpoint.map((name) =>
      h(
        'a',
        { href: `#/endpoint/${encodeURIComponent(name)}`, 'aria-current': name === workflow ? 'page' : undefined },
        name,
      ),
    ),
  );
  if (!history) return [h('h1', {}, 'Endpoint history'), tabs, h('p', { class: 'muted' }, 'No endpoint yet.')];
  // One endpoint per environment (staging, production): the one shown is named and the others linked.
  const environments = (history.environments ?? []).length > 1 ? history.environments : [];
  const environmentTabs = environments.length
    ? [
        h(
          'nav',
          { class: 'tabs', 'aria-label': 'Environments' },
          environments.map((env) =>
            h(
              'a',
              {
                href: `#/endpoint/${encodeURIComponent(workflow)}/${encodeURIComponent(env)}`,
                'aria-current': env === history.environment ? 'page' : undefined,
              },
              env,
            ),
          ),
        ),
      ]
    : [];
  const chart = h('div', { class: 'chart', 'data-testid': 'history-chart' });
  if (history.points.length > 0)
    requestAnimationFrame(() =>
      drawHistory(chart, history.points).catch((error) =>
        chart.replaceChildren(h('p', { class: 'reason bad' }, error.message)),
      ),
    );
  return [
    h('h1', {}, `Endpoint history: ${workflow}${history.environment ? ` (${history.environment})` : ''}`),
    tabs,
    ...environmentTabs,
    chart,
    h(
      'p',
      { class: 'muted small' },
      'Each version’s share of the traffic over time, from the runs’ records (the README says where it is approximate).',
    ),
    table(
      ['At', 'Split'],
      history.points.map((p) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, clock(p.at)),
          h('td', {}, splitBar(Object.entries(p.split).map(([label, percent]) => ({ label, percent })))),
        ),
      ),
      { class: 'history' },
    ),
  ];
}
