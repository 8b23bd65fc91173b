/**
 * The `data` of a `google.cloud.storage.object.v1.finalized` CloudEvent: the object resource as
 * the JSON API returns it, with generation, metageneration and size as strings.
 * @see https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/storage/v1/data.proto
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects#resource
 */
export interface StorageObjectData {
  bucket: string;
  name: string;
  generation: string;
  metageneration: string;
  size: string;
  contentType?: string;
  md5Hash?: string;
  crc32c?: string;
  timeCreated?: string;
  updated?: string;
}

export class StorageEventError extends Error {}

/** Object names longer than this are not ours to handle (GCS allows 1024 bytes). */
const MAX_NAME_BYTES = 1024;

export function parseStorageObjectData(value: unknown): StorageObjectData {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StorageEventError('storage event: data is not a JSON object');
  const record = value as Record<string, unknown>;
  const text = (name: string, optional = false): string | undefined => {
    const v = record[name];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || (!optional && v === ''))
      throw new StorageEventError(`storage event: "${name}" must be a string, got ${JSON.stringify(v)}`);
    return v;
  };
  const digits = (name: string): string => {
    const v = text(name) as string;
    if (!/^\d{1,20}$/.test(v))
      throw new StorageEventError(`storage event: "${name}" must be a decimal string, got ${JSON.stringify(v)}`);
    return v;
  };
  return {
    bucket: text('bucket') as string,
    name: text('name') as string,
    generation: digits('generation'),
    metageneration: digits('metageneration'),
    size: digits('size'),
    contentType: text('contentType', true),
    md5Hash: text('md5Hash', true),
    crc32c: text('crc32c', true),
    timeCreated: text('timeCreated', true),
    updated: text('updated', true),
  };
}

/** Why ferry will not act on an object name, or undefined when the name is usable. */
export function unsafeNameReason(name: string): string | undefined {
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `name longer than ${MAX_NAME_BYTES} bytes`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'name contains control characters';
  if (name.split('/').some((segment) => segment === '..' || segment === '.'))
    return 'name contains "." or ".." segments';
  if (name.startsWith('/')) return 'name starts with "/"';
  return undefined;
}
