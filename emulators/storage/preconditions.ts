import { badRequest, preconditionFailed } from './errors';
import type { Preconditions } from './types';

const KEYS = [
  'ifGenerationMatch',
  'ifGenerationNotMatch',
  'ifMetagenerationMatch',
  'ifMetagenerationNotMatch',
] as const;

/**
 * Reads the generation preconditions from a query string; `source` reads the copy/rewrite
 * source variants (`ifSourceGenerationMatch`, ...).
 * @see https://cloud.google.com/storage/docs/request-preconditions
 */
export function readPreconditions(query: URLSearchParams, source = false): Preconditions {
  const out: Preconditions = {};
  for (const key of KEYS) {
    const param = source ? key.replace(/^if/, 'ifSource') : key;
    const raw = query.get(param);
    if (raw === null) continue;
    if (!/^\d{1,16}$/.test(raw))
      throw badRequest(`Invalid value for ${param}: ${JSON.stringify(raw)} is not a generation number.`);
    out[key] = Number(raw);
  }
  return out;
}

/**
 * Checks preconditions against the live object (undefined when there is none). GCS treats a
 * missing object as generation 0, so `ifGenerationMatch=0` means "create only"; metageneration
 * conditions on a missing object fail.
 */
export function checkPreconditions(
  conditions: Preconditions,
  current: { generation: number; metageneration: number } | undefined,
): void {
  const generation = current?.generation ?? 0;
  const { ifGenerationMatch, ifGenerationNotMatch, ifMetagenerationMatch, ifMetagenerationNotMatch } = conditions;
  if (ifGenerationMatch !== undefined && ifGenerationMatch !== generation) {
    throw preconditionFailed(`ifGenerationMatch=${ifGenerationMatch}, live generation ${generation}`);
  }
  if (ifGenerationNotMatch !== undefined && ifGenerationNotMatch === generation) {
    throw preconditionFailed(`ifGenerationNotMatch=${ifGenerationNotMatch} equals the live generation`);
  }
  if (ifMetagenerationMatch !== undefined && (!current || current.metageneration !== ifMetagenerationMatch)) {
    throw preconditionFailed(
      `ifMetagenerationMatch=${ifMetagenerationMatch}, live ${current?.metageneration ?? 'none'}`,
    );
  }
  if (ifMetagenerationNotMatch !== undefined && current && current.metageneration === ifMetagenerationNotMatch) {
    throw preconditionFailed(`ifMetagenerationNotMatch=${ifMetagenerationNotMatch} equals the live metageneration`);
  }
}
