import { createHash } from 'node:crypto';
import { badRequest } from './errors';
import { WRITABLE_OBJECT_FIELDS } from './types';
import type { BucketResource, ObjectResource, StoredBucket, StoredObject, WritableObjectFields } from './types';

/**
 * Renders stored state as JSON API resources and reads client-sent resource bodies, validating
 * each field at this edge so the store only ever sees well-typed values.
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects#resource
 */
export function objectResource(object: StoredObject, baseUrl: string): ObjectResource {
  const encoded = encodeURIComponent(object.name);
  const generation = String(object.generation);
  const { metadata, ...fields } = object.fields;
  return {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${object.bucket}/o/${encoded}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${object.bucket}/o/${encoded}?generation=${generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation,
    metageneration: String(object.metageneration),
    contentType: 'application/octet-stream',
    ...fields,
    storageClass: 'STANDARD',
    size: String(object.data.length),
    md5Hash: object.md5Hash,
    crc32c: object.crc32c,
    etag: etag(`${generation}/${object.metageneration}`),
    timeCreated: object.timeCreated,
    updated: object.updated,
    timeStorageClassUpdated: object.timeCreated,
    ...(metadata ? { metadata } : {}),
  };
}

export function bucketResource(bucket: StoredBucket, baseUrl: string, projectNumber: string): BucketResource {
  return {
    kind: 'storage#bucket',
    id: bucket.name,
    selfLink: `${baseUrl}/storage/v1/b/${bucket.name}`,
    projectNumber,
    name: bucket.name,
    timeCreated: bucket.timeCreated,
    updated: bucket.updated,
    metageneration: String(bucket.metageneration),
    location: bucket.location,
    locationType: 'multi-region',
    storageClass: bucket.storageClass,
    etag: etag(`${bucket.name}/${bucket.metageneration}`),
    ...(bucket.labels ? { labels: bucket.labels } : {}),
  };
}

function etag(seed: string): string {
  return createHash('sha1').update(seed).digest('base64').slice(0, 12);
}

/** Parses a JSON request body; `what` names it in the error (e.g. "the metadata part"). */
export function parseJsonBody(raw: Buffer, what: string): Record<string, unknown> {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw badRequest(`Invalid JSON in ${what}: ${(error as Error).message}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw badRequest(`Invalid ${what}: expected a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** Picks and type-checks the writable object fields of a resource body; other fields are ignored, as GCS does for output-only ones. */
export function readObjectFields(body: Record<string, unknown>, what: string): WritableObjectFields {
  const out: WritableObjectFields = {};
  for (const key of WRITABLE_OBJECT_FIELDS) {
    const value = body[key];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string')
      throw badRequest(`Invalid ${what}: ${key} must be a string, got ${typeof value}.`);
    out[key] = value;
  }
  const metadata = body.metadata;
  if (metadata === null) out.metadata = null;
  else if (metadata !== undefined) {
    if (typeof metadata !== 'object' || Array.isArray(metadata))
      throw badRequest(`Invalid ${what}: metadata must be an object of string values.`);
    const entries: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(metadata as Record<string, unknown>)) {
      if (value === null) entries[key] = null;
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        entries[key] = String(value);
      else throw badRequest(`Invalid ${what}: metadata.${key} must be a string.`);
    }
    out.metadata = entries;
  }
  return out;
}
