/**
 * Bucket path patterns such as `models/flowers/{version}/` (a SavedModel folder) or
 * `mobile/flowers/{version}/model.tflite` (one file). `{version}` stands for one path segment.
 */
export interface PathPattern {
  source: string;
  /** Literal text before `{version}`: the longest one wins when several patterns match. */
  prefix: string;
  isFolder: boolean;
  regex: RegExp;
}

/** A version must be usable in Vertex aliases and labels once prefixed with `v`. */
const VERSION = '([A-Za-z0-9][A-Za-z0-9._-]{0,62})';

export function compilePattern(source: string): PathPattern {
  const parts = source.split('{version}');
  if (parts.length !== 2) throw new Error(`needs exactly one {version} segment, got "${source}"`);
  const [prefix, suffix] = parts;
  if (prefix.startsWith('/') || prefix.includes('..') || suffix.includes('..'))
    throw new Error(`must be a relative object path without "..", got "${source}"`);
  if (prefix !== '' && !prefix.endsWith('/'))
    throw new Error(`{version} must be a whole path segment, got "${source}"`);
  if (!suffix.startsWith('/')) throw new Error(`{version} must be followed by "/", got "${source}"`);
  if (/[{}*?]/.test(prefix + suffix))
    throw new Error(`only {version} is a placeholder; remove wildcards from "${source}"`);
  const isFolder = source.endsWith('/');
  const tail = isFolder ? `${escape(suffix)}(.*)` : `${escape(suffix)}()`;
  return { source, prefix, isFolder, regex: new RegExp(`^${escape(prefix)}${VERSION}${tail}$`) };
}

export interface PatternMatch {
  version: string;
  /** The artifact's root: the folder (ending in `/`) or the file's full name. */
  root: string;
  /** For folders: the object's path inside the folder (`variables/variables.index`). */
  relativePath: string;
}

export function matchPattern(pattern: PathPattern, objectName: string): PatternMatch | undefined {
  const found = pattern.regex.exec(objectName);
  if (!found) return undefined;
  const [, version, relativePath] = found;
  if (!pattern.isFolder) return { version, root: objectName, relativePath: '' };
  const root = objectName.slice(0, objectName.length - relativePath.length);
  return { version, root, relativePath };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
