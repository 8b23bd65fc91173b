import { createHash } from 'node:crypto';

/** The longest Vertex label value: a run id must fit one. */
const LABEL_MAX = 63;
const HASH_LENGTH = 10;

/**
 * One run per artifact version, whatever number of events announce it: the id is derived from
 * the workflow, the bucket and the artifact's root, never from the event. It is also a valid
 * Vertex label value (lowercase `[a-z0-9_-]`, at most 63 characters), so a retried step can find
 * what its first attempt created by label. Attempt 1 (a drop) has no suffix; `ferry retry` makes
 * attempt 2, 3… of the same version (`-a2`, `-a3`), shortening the readable part, never the hash.
 * A workflow environment after the first gets its own run per version (its name in the readable
 * part and the hash), created when the previous environment promotes it.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models#Model.FIELDS.labels
 */
export function runIdFor(
  workflow: string,
  version: string,
  bucket: string,
  root: string,
  attempt = 1,
  /** A later workflow environment (the first one's run is the drop's, without it). */
  environment?: string,
): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt ${attempt}: must be a whole number ≥ 1`);
  const hashed = environment === undefined ? `${bucket}/${root}` : `${bucket}/${root}#${environment}`;
  const hash = createHash('sha256').update(hashed).digest('hex').slice(0, HASH_LENGTH);
  const suffix = attempt === 1 ? '' : `-a${attempt}`;
  const readable = `${workflow}-${version}${environment === undefined ? '' : `-${environment}`}`
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, LABEL_MAX - HASH_LENGTH - 1 - suffix.length);
  return `${readable}-${hash}${suffix}`;
}

/** True when version `a` is newer than `b` (numeric where the versions are numbers: 10 > 9). */
export function newerVersion(a: string, b: string): boolean {
  return a.localeCompare(b, 'en', { numeric: true }) > 0;
}

/**
 * Among a published model's tags, a version tag newer than `own` (a `versionAlias`), if any. Only
 * tags shaped like a numbered version (`v` and a digit) count, so a word such as `validated` or a
 * workflow tag such as `vision` never blocks a release.
 */
export function newerVersionTag(tags: string[], own: string): string | undefined {
  return tags.find((tag) => tag !== own && /^v\d/.test(tag) && newerVersion(tag.slice(1), own.slice(1)));
}

/** A Vertex version alias for an artifact version (aliases must start with a letter). */
export function versionAlias(version: string): string {
  const alias = `v${version}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+$/, '')
    .slice(0, 127);
  return /[a-z0-9]$/.test(alias) ? alias : `${alias}0`;
}

/** Deterministic numeric DeployedModel id (Vertex takes 1–10 digits), so a retried DeployModel cannot deploy twice. */
export function deployedModelIdFor(runId: string): string {
  return String(1_000_000_000 + createHash('sha256').update(runId).digest().readUInt32BE(0));
}
