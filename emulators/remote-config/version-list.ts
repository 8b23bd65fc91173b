import { RestError } from '../firebase-ml/rest-error';
import { MAX_KEPT_VERSIONS } from './template-history';
import type { VersionJson } from './wire-types';

/**
 * `remoteConfig:listVersions` over versions listed newest first, with the query parameters
 * firebase-admin sends (https://firebase.google.com/docs/reference/remote-config/rest/v1/projects.remoteConfig/listVersions):
 * pageSize (1–300, default 300), pageToken, endVersionNumber (the newest to include), startTime
 * (updated before it: omitted), endTime (updated at or after it: omitted).
 * The page token is the emulator's own: the version number to continue from.
 */
export function listVersions(
  versions: VersionJson[],
  query: URLSearchParams,
): { versions?: VersionJson[]; nextPageToken?: string } {
  const pageSize = integer(query.get('pageSize'), 'pageSize') ?? MAX_KEPT_VERSIONS;
  if (pageSize < 1 || pageSize > MAX_KEPT_VERSIONS)
    throw invalid(`pageSize ${pageSize}: must be between 1 and ${MAX_KEPT_VERSIONS}`);
  const endVersion = integer(query.get('endVersionNumber'), 'endVersionNumber');
  if (endVersion !== undefined && endVersion < 1) throw invalid('endVersionNumber must be greater than zero');
  const startTime = time(query.get('startTime'), 'startTime');
  const endTime = time(query.get('endTime'), 'endTime');
  const from = integer(query.get('pageToken'), 'pageToken');
  const selected = versions.filter((v) => {
    const number = Number(v.versionNumber);
    const updated = Date.parse(v.updateTime);
    return (
      (endVersion === undefined || number <= endVersion) &&
      (from === undefined || number <= from) &&
      (startTime === undefined || updated >= startTime) &&
      (endTime === undefined || updated < endTime)
    );
  });
  const page = selected.slice(0, pageSize);
  const next = selected[pageSize];
  return {
    ...(page.length > 0 ? { versions: page } : {}),
    ...(next ? { nextPageToken: next.versionNumber } : {}),
  };
}

function integer(text: string | null, name: string): number | undefined {
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw invalid(`${name} ${JSON.stringify(text.slice(0, 50))}: not an integer`);
  return Number(text);
}

function time(text: string | null, name: string): number | undefined {
  if (text === null || text === '') return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalid(`${name} ${JSON.stringify(text.slice(0, 50))}: not an RFC 3339 timestamp`);
  return ms;
}

function invalid(message: string): RestError {
  return new RestError('INVALID_ARGUMENT', message);
}
