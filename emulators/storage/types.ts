/**
 * Wire types of the Cloud Storage JSON API, written down once. Numbers that can exceed 2^53
 * (generation, metageneration, size) are strings on the wire, as GCS sends them.
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects#resource
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets#resource
 */
export interface ObjectResource {
  kind: 'storage#object';
  id: string;
  selfLink: string;
  mediaLink: string;
  name: string;
  bucket: string;
  generation: string;
  metageneration: string;
  contentType: string;
  storageClass: string;
  size: string;
  md5Hash: string;
  crc32c: string;
  etag: string;
  timeCreated: string;
  updated: string;
  timeStorageClassUpdated: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
}

export interface BucketResource {
  kind: 'storage#bucket';
  id: string;
  selfLink: string;
  projectNumber: string;
  name: string;
  timeCreated: string;
  updated: string;
  metageneration: string;
  location: string;
  locationType: string;
  storageClass: string;
  etag: string;
  labels?: Record<string, string>;
}

/** Writable fields a client may send in an insert/patch/rewrite body. */
export const WRITABLE_OBJECT_FIELDS = [
  'contentType',
  'contentEncoding',
  'contentDisposition',
  'contentLanguage',
  'cacheControl',
] as const;

export type WritableObjectFields = { [K in (typeof WRITABLE_OBJECT_FIELDS)[number]]?: string | null } & {
  metadata?: Record<string, string | null> | null;
};

/** An object as held by the emulator: what GCS stores about it, without host-dependent links. */
export interface StoredObject {
  bucket: string;
  name: string;
  generation: number;
  metageneration: number;
  data: Buffer;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
  updated: string;
  fields: { [K in (typeof WRITABLE_OBJECT_FIELDS)[number]]?: string } & { metadata?: Record<string, string> };
}

export interface StoredBucket {
  name: string;
  timeCreated: string;
  updated: string;
  metageneration: number;
  location: string;
  storageClass: string;
  labels?: Record<string, string>;
}

/** The generation/metageneration conditions of the JSON API, parsed from the query string. */
export interface Preconditions {
  ifGenerationMatch?: number;
  ifGenerationNotMatch?: number;
  ifMetagenerationMatch?: number;
  ifMetagenerationNotMatch?: number;
}

/** @see https://cloud.google.com/storage/docs/json_api/v1/buckets/getStorageLayout#response */
export interface StorageLayoutResource {
  kind: 'storage#storageLayout';
  bucket: string;
  location: string;
  locationType: string;
  hierarchicalNamespace: { enabled: boolean };
}

/** @see https://cloud.google.com/storage/docs/json_api/v1/managedFolders/list#response */
export interface ManagedFolderList {
  kind: 'storage#managedFolders';
  items?: never[];
  nextPageToken?: string;
}
