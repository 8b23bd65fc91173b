import { badRequest } from './errors';

/** The listing parameters of `objects.list` that shape a page. */
export interface ListQuery {
  prefix?: string;
  delimiter?: string;
  pageToken?: string;
  maxResults?: number;
  startOffset?: string;
  endOffset?: string;
  includeTrailingDelimiter?: boolean;
}

export interface ListPage {
  names: string[];
  prefixes: string[];
  nextPageToken?: string;
}

/** GCS caps a page at 1000 entries whatever `maxResults` asks for. */
export const MAX_PAGE = 1000;

/** GCS orders names by their UTF-8 bytes, which differs from JS string order above U+FFFF. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * One page of a listing over sorted names: items and rolled-up `prefixes` both count towards
 * `maxResults`, as in GCS; the page token is opaque (the last entry served).
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/list
 */
export function listPage(sortedNames: readonly string[], query: ListQuery): ListPage {
  const prefix = query.prefix ?? '';
  const delimiter = query.delimiter || undefined;
  const limit = Math.min(query.maxResults ?? MAX_PAGE, MAX_PAGE);
  const token = query.pageToken === undefined ? undefined : decodeToken(query.pageToken);
  const after = token?.after;
  const names: string[] = [];
  const prefixes: string[] = [];
  let last: { after: string; rolled: boolean } | undefined;
  for (const name of sortedNames) {
    if (!name.startsWith(prefix)) continue;
    if (query.startOffset !== undefined && compareNames(name, query.startOffset) < 0) continue;
    if (query.endOffset !== undefined && compareNames(name, query.endOffset) >= 0) continue;
    if (after !== undefined && (compareNames(name, after) <= 0 || (token?.rolled && name.startsWith(after)))) continue;
    const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
    const rolled = cut >= 0 ? name.slice(0, cut + delimiter!.length) : undefined;
    if (rolled !== undefined && last?.rolled && rolled === last.after) continue;
    if (names.length + prefixes.length >= limit) {
      return { names, prefixes, nextPageToken: encodeToken(last!) };
    }
    if (rolled !== undefined) {
      prefixes.push(rolled);
      if (query.includeTrailingDelimiter && name === rolled) names.push(name);
    } else names.push(name);
    last = rolled !== undefined ? { after: rolled, rolled: true } : { after: name, rolled: false };
  }
  return { names, prefixes };
}

/** The token records the last entry served and whether it was a rolled-up prefix (whose names are all skipped). */
function encodeToken(last: { after: string; rolled: boolean }): string {
  return Buffer.from(JSON.stringify(last), 'utf8').toString('base64url');
}

function decodeToken(token: string): { after: string; rolled: boolean } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const { after, rolled } = (parsed ?? {}) as { after?: unknown; rolled?: unknown };
    if (typeof after === 'string' && typeof rolled === 'boolean') return { after, rolled };
  } catch {
    // reported below
  }
  throw badRequest(
    `Invalid pageToken ${JSON.stringify(token.slice(0, 80))}: pass back the nextPageToken of the previous page unchanged.`,
  );
}
