import { badField } from './rpc-error';

/**
 * Version alias rule from the Model reference: `[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]`.
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models#Model.FIELDS.version_aliases
 */
export const ALIAS_RE = /^[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]$/;

/**
 * Label rule from the Vertex resource docs: keys and values at most 64 characters, lowercase
 * letters, digits, `_` and `-` (international letters allowed), keys start with a letter, at most 64 labels.
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models#Model.FIELDS.labels
 */
const LABEL_KEY_RE = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const LABEL_VALUE_RE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,64}$/u;
const MAX_LABELS = 64;

/** Throws INVALID_ARGUMENT naming `field` when an alias breaks the documented rule. */
export function checkAlias(alias: unknown, field: string): string {
  if (typeof alias !== 'string' || !ALIAS_RE.test(alias)) {
    throw badField(
      field,
      `version alias "${String(alias).slice(0, 200)}" must match [a-z][a-zA-Z0-9-]{0,126}[a-z0-9].`,
    );
  }
  return alias;
}

/** Validates a list of aliases for one version: each well formed, none repeated. */
export function checkAliasList(aliases: unknown, field: string): string[] {
  if (aliases === undefined) return [];
  if (!Array.isArray(aliases)) throw badField(field, 'must be a list of strings.');
  const seen = new Set<string>();
  return aliases.map((alias, i) => {
    const ok = checkAlias(alias, `${field}[${i}]`);
    if (seen.has(ok)) throw badField(`${field}[${i}]`, `version alias "${ok}" is listed twice.`);
    seen.add(ok);
    return ok;
  });
}

/** Returns a copy of valid labels or throws INVALID_ARGUMENT naming the bad key. */
export function checkLabels(labels: unknown, field: string): Record<string, string> {
  if (labels === undefined || labels === null) return {};
  if (typeof labels !== 'object' || Array.isArray(labels)) throw badField(field, 'must be a map of strings.');
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > MAX_LABELS)
    throw badField(field, `at most ${MAX_LABELS} labels are allowed, got ${entries.length}.`);
  for (const [key, value] of entries) {
    if (!LABEL_KEY_RE.test(key)) {
      throw badField(
        `${field}.${key.slice(0, 80)}`,
        'label keys must start with a lowercase letter and hold at most 64 lowercase letters, digits, "_" or "-".',
      );
    }
    if (typeof value !== 'string' || !LABEL_VALUE_RE.test(value)) {
      throw badField(`${field}.${key}`, 'label values hold at most 64 lowercase letters, digits, "_" or "-".');
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A required non-empty string field, at most `max` characters. */
export function checkText(value: unknown, field: string, max = 128): string {
  if (typeof value !== 'string' || value.trim() === '') throw badField(field, 'is required.');
  if (value.length > max) throw badField(field, `must be at most ${max} characters, got ${value.length}.`);
  return value;
}
