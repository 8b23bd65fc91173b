import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredBucket, StoredObject } from './types';

/**
 * Keeps buckets and objects in `dataDir` so they survive an emulator restart. Object files are
 * named by a hash of the object name (never the name itself: `a/../b` is a legal GCS name) and
 * written to a temporary file then renamed, so a crash leaves the old version or the new one.
 * Layout: `buckets/<bucket>.json`, `objects/<bucket>/<sha256(name)>.{json,bin}`.
 */
export class DiskPersistence {
  constructor(private readonly dir: string) {}

  async load(): Promise<{ buckets: StoredBucket[]; objects: StoredObject[] }> {
    const buckets: StoredBucket[] = [];
    const objects: StoredObject[] = [];
    await mkdir(join(this.dir, 'buckets'), { recursive: true });
    await mkdir(join(this.dir, 'objects'), { recursive: true });
    for (const file of await readdir(join(this.dir, 'buckets'))) {
      if (!file.endsWith('.json')) continue;
      const bucket = await readJson<StoredBucket>(join(this.dir, 'buckets', file));
      if (typeof bucket.name !== 'string' || `${bucket.name}.json` !== file) {
        throw new Error(`${join(this.dir, 'buckets', file)}: not a bucket record written by this emulator; delete it.`);
      }
      buckets.push(bucket);
    }
    for (const bucket of buckets) {
      const folder = join(this.dir, 'objects', bucket.name);
      await mkdir(folder, { recursive: true });
      for (const file of await readdir(folder)) {
        if (!file.endsWith('.json')) continue;
        const meta = await readJson<Omit<StoredObject, 'data'> & { size: number }>(join(folder, file));
        if (
          typeof meta.name !== 'string' ||
          !Number.isSafeInteger(meta.generation) ||
          !Number.isSafeInteger(meta.size) ||
          typeof meta.md5Hash !== 'string'
        ) {
          throw new Error(
            `${join(folder, file)}: not an object record written by this emulator (name, generation, size, md5Hash); delete it and its .bin file.`,
          );
        }
        const binPath = join(folder, file.replace(/\.json$/, '.bin'));
        const data = await readFile(binPath).catch(() => {
          throw new Error(
            `${binPath}: the data file of gs://${bucket.name}/${meta.name} is missing; restore it or delete ${file}.`,
          );
        });
        if (data.length !== meta.size) {
          throw new Error(
            `${binPath}: holds ${data.length} bytes but its metadata says ${meta.size}; restore it or delete both files.`,
          );
        }
        const { size: _size, ...rest } = meta;
        objects.push({ ...rest, data });
      }
    }
    return { buckets, objects };
  }

  async saveBucket(bucket: StoredBucket): Promise<void> {
    await mkdir(join(this.dir, 'objects', bucket.name), { recursive: true });
    await mkdir(join(this.dir, 'buckets'), { recursive: true });
    await atomicWrite(join(this.dir, 'buckets', `${bucket.name}.json`), JSON.stringify(bucket));
  }

  async removeBucket(name: string): Promise<void> {
    await rm(join(this.dir, 'buckets', `${name}.json`), { force: true });
    await rm(join(this.dir, 'objects', name), { recursive: true, force: true });
  }

  async saveObject(object: StoredObject): Promise<void> {
    const base = this.objectBase(object.bucket, object.name);
    const { data, ...meta } = object;
    await mkdir(join(this.dir, 'objects', object.bucket), { recursive: true });
    await atomicWrite(`${base}.bin`, data);
    await atomicWrite(`${base}.json`, JSON.stringify({ ...meta, size: data.length }));
  }

  async removeObject(bucket: string, name: string): Promise<void> {
    const base = this.objectBase(bucket, name);
    await rm(`${base}.json`, { force: true });
    await rm(`${base}.bin`, { force: true });
  }

  private objectBase(bucket: string, name: string): string {
    return join(this.dir, 'objects', bucket, createHash('sha256').update(name, 'utf8').digest('hex'));
  }
}

let tmpCounter = 0;

async function atomicWrite(path: string, content: string | Buffer): Promise<void> {
  tmpCounter += 1;
  const tmp = `${path}.${process.pid}.${tmpCounter}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

async function readJson<T>(path: string): Promise<T> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message}); restore it from a backup or delete it.`);
  }
}
