import { FIREBASE_ML_DISPLAY_NAME, FIREBASE_ML_TAG } from '../../functions/core/mobile/firebase-ml-names';
import { RestError } from './rest-error';

/**
 * Field rules the real service enforces on a model, shared with ferry's own checks so the two
 * cannot drift: see functions/core/mobile/firebase-ml-names.ts for the sources. Display names:
 * "up to 32 characters long and can consist only of ASCII Latin letters A-Z and a-z,
 * underscores(_) and ASCII digits 0-9. It must start with a letter" (Model.displayName in the
 * v1beta2 discovery document). Tags are not documented by the REST reference; the rule is
 * firebase-admin-python's `_TAG_PATTERN`. The tag count limit below is an assumption.
 */
export const DISPLAY_NAME_PATTERN = FIREBASE_ML_DISPLAY_NAME;
export const TAG_PATTERN = FIREBASE_ML_TAG;
export const MAX_TAGS = 20;

/** Update-mask paths `models.patch` accepts (the SDK's `generateUpdateMask` output). */
export const UPDATABLE_PATHS = ['displayName', 'tags', 'tfliteModel.gcsTfliteUri', 'state.published'] as const;
export type UpdatablePath = (typeof UPDATABLE_PATHS)[number];

export function checkDisplayName(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new RestError('INVALID_ARGUMENT', 'displayName: required, a non-empty string');
  }
  if (!DISPLAY_NAME_PATTERN.test(value)) {
    throw new RestError(
      'INVALID_ARGUMENT',
      `displayName ${JSON.stringify(value.slice(0, 64))}: must start with a letter and have at most 32 ASCII letters, digits or underscores`,
    );
  }
  return value;
}

export function checkTags(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RestError('INVALID_ARGUMENT', 'tags: must be a list of strings');
  if (value.length > MAX_TAGS)
    throw new RestError('INVALID_ARGUMENT', `tags: ${value.length} tags; at most ${MAX_TAGS} are allowed`);
  value.forEach((tag, i) => {
    if (typeof tag !== 'string' || !TAG_PATTERN.test(tag)) {
      throw new RestError(
        'INVALID_ARGUMENT',
        `tags[${i}] ${JSON.stringify(String(tag).slice(0, 64))}: must be 1-32 ASCII letters, digits, '_' or '-'`,
      );
    }
  });
  const unique = [...new Set(value as string[])];
  if (unique.length !== value.length) throw new RestError('INVALID_ARGUMENT', 'tags: contains a duplicate tag');
  return unique;
}

/** The `gcsTfliteUri` of a request's `tfliteModel`, or undefined when the request has none. */
export function checkTfliteModel(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new RestError('INVALID_ARGUMENT', 'tfliteModel: must be an object');
  const { gcsTfliteUri, automlModel } = value as { gcsTfliteUri?: unknown; automlModel?: unknown };
  if (automlModel !== undefined) {
    throw new RestError(
      'INVALID_ARGUMENT',
      'tfliteModel.automlModel: AutoML sources are not supported by this emulator; use gcsTfliteUri',
    );
  }
  if (typeof gcsTfliteUri !== 'string' || gcsTfliteUri.length === 0) {
    throw new RestError('INVALID_ARGUMENT', 'tfliteModel.gcsTfliteUri: required, e.g. gs://bucket/model.tflite');
  }
  return gcsTfliteUri;
}

/** Parses `?updateMask=a,b` into known paths; unknown or empty masks are refused. */
export function checkUpdateMask(raw: string | null): UpdatablePath[] {
  if (!raw) throw new RestError('INVALID_ARGUMENT', 'updateMask: required (comma-separated field paths)');
  const paths = raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (paths.length === 0) throw new RestError('INVALID_ARGUMENT', 'updateMask: required (comma-separated field paths)');
  for (const path of paths) {
    if (!(UPDATABLE_PATHS as readonly string[]).includes(path)) {
      throw new RestError(
        'INVALID_ARGUMENT',
        `updateMask: ${JSON.stringify(path)} cannot be updated; use ${UPDATABLE_PATHS.join(', ')}`,
      );
    }
  }
  return [...new Set(paths)] as UpdatablePath[];
}

export function checkPublished(state: unknown): boolean {
  const published = (state as { published?: unknown } | undefined)?.published;
  if (published === undefined) return false;
  if (typeof published !== 'boolean') throw new RestError('INVALID_ARGUMENT', 'state.published: must be true or false');
  return published;
}
