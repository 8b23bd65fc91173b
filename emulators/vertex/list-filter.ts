import { badField } from './rpc-error';

/** What a list filter can look at. */
export interface Filterable {
  displayName?: string;
  labels?: Record<string, string>;
}

const TERM_RE =
  /^(display_name|labels\.([\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]*))\s*(=|:)\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))$/u;
const MAX_FILTER = 2000;

/**
 * The subset of AIP-160 filters Vertex documents for ListModels / ListEndpoints that ferry uses:
 * `display_name="x"`, `labels.k="v"`, `labels.k:*`, joined by `AND`. Anything else is refused
 * with INVALID_ARGUMENT rather than silently matching everything.
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/list
 */
export function parseFilter(filter: unknown): (item: Filterable) => boolean {
  if (filter === undefined || filter === '') return () => true;
  if (typeof filter !== 'string') throw badField('filter', 'must be a string.');
  if (filter.length > MAX_FILTER) throw badField('filter', `must be at most ${MAX_FILTER} characters.`);
  const tests = filter
    .trim()
    .split(/\s+AND\s+/)
    .map((term) => {
      const m = TERM_RE.exec(term.trim());
      if (!m) {
        throw badField(
          'filter',
          `unsupported term "${term.slice(0, 100)}"; use display_name="x", labels.key="value" or labels.key:* joined by AND.`,
        );
      }
      const [, , labelKey, op, quoted, bare] = m;
      const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
      if (!labelKey) {
        if (op !== '=') throw badField('filter', 'display_name supports only "=".');
        return (item: Filterable) => item.displayName === value;
      }
      if (op === ':') {
        if (value !== '*') throw badField('filter', `labels.${labelKey}: supports only "*" (has label).`);
        return (item: Filterable) => item.labels?.[labelKey] !== undefined;
      }
      return (item: Filterable) => item.labels?.[labelKey] === value;
    });
  return (item) => tests.every((test) => test(item));
}

/**
 * Offset-based paging: the token is the next offset. The real tokens are opaque; ferry must
 * pass them back unchanged, which is all this relies on.
 */
export function paginate<T>(items: T[], pageSize: unknown, pageToken: unknown): { page: T[]; nextPageToken: string } {
  const size = typeof pageSize === 'number' && pageSize > 0 ? Math.min(pageSize, 1000) : 100;
  let start = 0;
  if (pageToken !== undefined && pageToken !== '') {
    start = typeof pageToken === 'string' && /^\d{1,9}$/.test(pageToken) ? Number(pageToken) : -1;
    if (start < 0 || start > items.length) throw badField('page_token', 'is not a token this list returned.');
  }
  const page = items.slice(start, start + size);
  return { page, nextPageToken: start + size < items.length ? String(start + size) : '' };
}
