// ferry ui: one page, hash routes (#/, #/run/<id>, #/endpoint/<workflow>, #/mobile), plain DOM
// modules and no framework: four read-mostly views, each re-rendered whole when the server says
// something changed (server-sent events), do not pay for one. uPlot draws the history chart only.
import { getJson, h } from './dom.js';
import { endpointView } from './endpoint.js';
import { mobileView } from './mobile.js';
import { runView } from './run-view.js';
import { versionLabels } from './split-bar.js';
import { workflowsView } from './workflows.js';

const $ = (id) => document.getElementById(id);

async function overviewAndLabels() {
  const overview = await getJson('/api/overview');
  return { overview, labels: await versionLabels(overview.runs) };
}

const ROUTES = {
  '': { nav: 'workflows', title: () => 'Workflows', render: async () => workflowsView(await getJson('/api/overview')) },
  run: {
    nav: 'workflows',
    title: (id) => id,
    render: async (id) => {
      const [body, { labels }] = await Promise.all([
        getJson(`/api/runs/${encodeURIComponent(id)}`),
        overviewAndLabels(),
      ]);
      return runView(body, labels);
    },
  },
  endpoint: {
    nav: 'endpoint',
    title: () => 'Endpoint history',
    // `#/endpoint/<workflow>[/<environment>]`: a workflow with environments has an endpoint in each.
    render: async (arg) => {
      const overview = await getJson('/api/overview');
      const names = overview.workflows.filter((w) => w.endpoint).map((w) => w.name);
      const [name, environment] = arg.split('/');
      const workflow = name || names[0];
      const query = environment ? `?environment=${encodeURIComponent(environment)}` : '';
      const history = workflow
        ? await getJson(`/api/endpoints/${encodeURIComponent(workflow)}/history${query}`)
        : undefined;
      return endpointView(workflow, names, history);
    },
  },
  mobile: { nav: 'mobile', title: () => 'Mobile', render: async () => mobileView(await getJson('/api/mobile')) },
};

function route() {
  const [page = '', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const arg = decodeURIComponent(rest.join('/'));
  return { ...(ROUTES[page] ?? ROUTES['']), arg };
}

let queue = Promise.resolve();
let moved = false;

/** Renders the current route; calls queue up, so a slow fetch never lands over a newer view. */
function refresh() {
  queue = queue.then(async () => {
    const r = route();
    let content;
    try {
      content = await r.render(r.arg);
    } catch (error) {
      content = h('p', { class: 'reason bad', role: 'alert' }, error.message ?? String(error));
    }
    // A confirmation open stays as it is: the view is redrawn when it closes.
    if ($('confirm').open) return;
    for (const a of document.querySelectorAll('[data-nav]')) a.toggleAttribute('aria-current', a.dataset.nav === r.nav);
    document.title = `${r.title(r.arg)} · ferry`;
    const main = $('main');
    const y = window.scrollY;
    main.replaceChildren(...[content].flat(Infinity).filter((c) => c instanceof Node));
    // Which view is drawn (tests and the screenshot script wait for it).
    main.dataset.view = location.hash || '#/';
    // The first view drawn with its data: what `npm run bench -- ui-first-paint` measures.
    if (performance.getEntriesByName('ferry:first-view').length === 0) performance.mark('ferry:first-view');
    // A new page takes the focus (keyboard and screen readers start there); a live update keeps the place.
    if (moved) main.focus();
    else window.scrollTo(0, y);
    moved = false;
  });
  return queue;
}

/** Server-sent events say when the state changed; polling stands in where EventSource is missing. */
function listen() {
  const live = $('live');
  if (!window.EventSource) {
    live.textContent = 'polling';
    setInterval(refresh, 5000);
    return;
  }
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => (live.textContent = '● live'));
  events.addEventListener('change', () => refresh());
  events.addEventListener('error', () => (live.textContent = 'reconnecting…'));
}

$('confirm').addEventListener('close', () => refresh());
window.addEventListener('hashchange', () => {
  moved = true;
  refresh();
});
refresh();
listen();
