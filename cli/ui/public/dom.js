// The page's small toolkit: elements built from data (text stays text, never parsed as HTML), the
// JSON API, and the formats every view uses.

/** h('a', {href}, 'text', child…): an element. Attributes false/null/undefined are left out. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity))
    if (child !== undefined && child !== null && child !== false)
      el.append(child instanceof Node ? child : String(child));
  return el;
}

/** GET: the JSON body, or an Error carrying the server's `error`. */
export async function getJson(path) {
  const res = await fetch(path, { cache: 'no-store' });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error ?? `${path}: HTTP ${res.status}`);
  return body;
}

export const TERMINAL = new Set(['promoted', 'published', 'rejected', 'failed', 'aborted', 'rolled-back']);

export const pct = (x) => `${(x * 100).toFixed(1)} %`;
export const ms = (x) => `${x.toFixed(1)} ms`;
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
export const clock = (iso) => h('time', { datetime: iso, title: when(iso) }, new Date(iso).toLocaleTimeString());

export function duration(from, to) {
  const s = Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export const runLink = (runId, text = runId) => h('a', { href: `#/run/${encodeURIComponent(runId)}` }, text);
export const badge = (state) => h('span', { class: `badge s-${state}`, 'data-state': state }, state);
export const table = (heads, rows, attrs = {}) =>
  h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      attrs,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          heads.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
