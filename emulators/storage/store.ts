import { GcsHttpError, noSuchBucket, noSuchObject } from './errors';
import { hashBytes } from './hashes';
import type { ObjectHashes } from './hashes';
import { compareNames } from './listing';
import type { DiskPersistence } from './persistence';
import { checkPreconditions } from './preconditions';
import { WRITABLE_OBJECT_FIELDS } from './types';
import type { Preconditions, StoredBucket, StoredObject, WritableObjectFields } from './types';

/** A change that Cloud Storage would announce through its notifications. */
export interface StoreChange {
  kind: 'finalized' | 'deleted' | 'metadataUpdated';
  object: StoredObject;
}

interface BucketEntry {
  bucket: StoredBucket;
  objects: Map<string, StoredObject>;
  sorted?: string[];
}

/**
 * The emulator's state: buckets and the live generation of each object. All checks and updates
 * happen synchronously, so concurrent requests see GCS's compare-and-set semantics; disk writes
 * (when persistence is on) are queued in order and awaited before a request is answered.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, BucketEntry>();
  private lastGeneration = 0;
  private persistQueue: Promise<void> = Promise.resolve();
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly onChange: (change: StoreChange) => void,
    private readonly disk?: DiskPersistence,
  ) {}

  async load(): Promise<void> {
    if (!this.disk) return;
    const { buckets, objects } = await this.disk.load();
    for (const bucket of buckets) this.buckets.set(bucket.name, { bucket, objects: new Map() });
    for (const object of objects) {
      this.entry(object.bucket).objects.set(object.name, object);
      this.lastGeneration = Math.max(this.lastGeneration, object.generation);
    }
  }

  /** Resolves when every disk write queued so far has landed. */
  flush(): Promise<void> {
    return this.lastWrite;
  }

  createBucket(
    name: string,
    fields: Partial<Pick<StoredBucket, 'location' | 'storageClass' | 'labels'>> = {},
  ): StoredBucket {
    if (this.buckets.has(name)) {
      throw new GcsHttpError(
        409,
        'conflict',
        'Your previous request to create the named bucket succeeded and you already own it.',
      );
    }
    const now = new Date().toISOString();
    const bucket: StoredBucket = {
      name,
      timeCreated: now,
      updated: now,
      metageneration: 1,
      location: fields.location?.toUpperCase() ?? 'US',
      storageClass: fields.storageClass ?? 'STANDARD',
      ...(fields.labels ? { labels: fields.labels } : {}),
    };
    this.buckets.set(name, { bucket, objects: new Map() });
    this.persist((disk) => disk.saveBucket(bucket));
    return bucket;
  }

  getBucket(name: string): StoredBucket {
    return this.entry(name).bucket;
  }

  listBuckets(): StoredBucket[] {
    return [...this.buckets.values()].map((entry) => entry.bucket).sort((a, b) => compareNames(a.name, b.name));
  }

  deleteBucket(name: string): void {
    if (this.entry(name).objects.size > 0)
      throw new GcsHttpError(409, 'conflict', 'The bucket you tried to delete is not empty.');
    this.buckets.delete(name);
    this.persist((disk) => disk.removeBucket(name));
  }

  getObject(bucket: string, name: string, generation?: number): StoredObject {
    const object = this.entry(bucket).objects.get(name);
    if (!object || (generation !== undefined && object.generation !== generation)) throw noSuchObject(bucket, name);
    return object;
  }

  /** The live object, or undefined; still 404s for a missing bucket. */
  findObject(bucket: string, name: string): StoredObject | undefined {
    return this.entry(bucket).objects.get(name);
  }

  sortedNames(bucket: string): readonly string[] {
    const entry = this.entry(bucket);
    entry.sorted ??= [...entry.objects.keys()].sort(compareNames);
    return entry.sorted;
  }

  /** Finalizes a new generation of `name`; an overwritten generation is announced as deleted, as GCS does. */
  putObject(
    bucket: string,
    name: string,
    data: Buffer,
    fields: WritableObjectFields,
    conditions: Preconditions,
    hashes: ObjectHashes = hashBytes(data),
  ): StoredObject {
    const entry = this.entry(bucket);
    const previous = entry.objects.get(name);
    checkPreconditions(conditions, previous);
    const now = new Date().toISOString();
    const object: StoredObject = {
      bucket,
      name,
      generation: this.nextGeneration(),
      metageneration: 1,
      data,
      md5Hash: hashes.md5Hash,
      crc32c: hashes.crc32c,
      timeCreated: now,
      updated: now,
      fields: { contentType: 'application/octet-stream', ...applyFields({}, fields) },
    };
    entry.objects.set(name, object);
    if (!previous) entry.sorted = undefined;
    this.persist((disk) => disk.saveObject(object));
    if (previous) this.onChange({ kind: 'deleted', object: previous });
    this.onChange({ kind: 'finalized', object });
    return object;
  }

  patchObject(bucket: string, name: string, patch: WritableObjectFields, conditions: Preconditions): StoredObject {
    const current = this.getObject(bucket, name);
    checkPreconditions(conditions, current);
    const object: StoredObject = {
      ...current,
      metageneration: current.metageneration + 1,
      updated: new Date().toISOString(),
      fields: applyFields(current.fields, patch),
    };
    this.entry(bucket).objects.set(name, object);
    this.persist((disk) => disk.saveObject(object));
    this.onChange({ kind: 'metadataUpdated', object });
    return object;
  }

  deleteObject(bucket: string, name: string, conditions: Preconditions, generation?: number): StoredObject {
    const current = this.getObject(bucket, name, generation);
    checkPreconditions(conditions, current);
    const entry = this.entry(bucket);
    entry.objects.delete(name);
    entry.sorted = undefined;
    this.persist((disk) => disk.removeObject(bucket, name));
    this.onChange({ kind: 'deleted', object: current });
    return current;
  }

  private entry(bucket: string): BucketEntry {
    const entry = this.buckets.get(bucket);
    if (!entry) throw noSuchBucket();
    return entry;
  }

  /** GCS generations are microsecond timestamps; strictly increasing even within one microsecond. */
  private nextGeneration(): number {
    this.lastGeneration = Math.max(this.lastGeneration + 1, Date.now() * 1000);
    return this.lastGeneration;
  }

  private persist(write: (disk: DiskPersistence) => Promise<void>): void {
    const disk = this.disk;
    if (!disk) return;
    this.lastWrite = this.persistQueue.then(() => write(disk));
    this.persistQueue = this.lastWrite.catch(() => undefined);
  }
}

/** Merges writable fields; in `metadata`, a null value removes the key (JSON API patch semantics). */
function applyFields(base: StoredObject['fields'], patch: WritableObjectFields): StoredObject['fields'] {
  const next: StoredObject['fields'] = { ...base };
  for (const key of WRITABLE_OBJECT_FIELDS) {
    const value = patch[key];
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  if (patch.metadata === null) delete next.metadata;
  else if (patch.metadata) {
    const merged: Record<string, string> = { ...(base.metadata ?? {}) };
    for (const [key, value] of Object.entries(patch.metadata)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    next.metadata = merged;
  }
  return next;
}
