import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * The files of one artifact (a SavedModel folder or a single TFLite file), wherever they live:
 * a local folder, a Cloud Storage prefix, or memory. Paths are relative and use `/`,
 * e.g. `saved_model.pb`, `variables/variables.index`.
 */
export interface ArtifactFiles {
  /** A human-readable location for error messages (`./model`, `gs://bucket/models/x/7/`). */
  readonly location: string;
  /** Relative paths of every file, with their sizes in bytes. */
  list(): Promise<Map<string, number>>;
  /** The whole file; rejects with a message naming the file when it is missing. */
  read(path: string): Promise<Uint8Array>;
  /**
   * The file from its start in chunks, for files too large to hold (checkpoint shards); a read
   * error (missing file, transient failure) is thrown by the iteration.
   */
  stream(path: string): AsyncIterable<Uint8Array>;
}

/** Chunk size of the in-memory streams: small enough that tests cross chunk boundaries. */
const MEMORY_CHUNK = 64 * 1024;

/** `bytes` in `size`-byte chunks (views, no copies). */
export async function* chunksOf(bytes: Uint8Array, size = MEMORY_CHUNK): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Files held in memory; used by writers and tests. */
export function memoryFiles(files: Record<string, Uint8Array>, location = '(memory)'): ArtifactFiles {
  return {
    location,
    async list() {
      return new Map(Object.entries(files).map(([path, bytes]) => [path, bytes.byteLength]));
    },
    async read(path) {
      const bytes = files[path];
      if (!bytes) throw new Error(`${location}/${path}: file not found`);
      return bytes;
    },
    async *stream(path) {
      const bytes = files[path];
      if (!bytes) throw new Error(`${location}/${path}: file not found`);
      yield* chunksOf(bytes);
    },
  };
}

/** Files of a local folder (walked recursively). */
export function folderFiles(root: string): ArtifactFiles {
  return {
    location: root,
    async list() {
      const sizes = new Map<string, number>();
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const full = join(entry.parentPath, entry.name);
        sizes.set(relative(root, full).split(sep).join('/'), (await stat(full)).size);
      }
      return sizes;
    },
    async read(path) {
      try {
        return new Uint8Array(await readFile(join(root, path)));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new Error(`${join(root, path)}: file not found`);
        throw error;
      }
    },
    async *stream(path) {
      for await (const chunk of createReadStream(join(root, path), { highWaterMark: 1 << 20 }))
        yield new Uint8Array((chunk as Buffer).buffer, (chunk as Buffer).byteOffset, (chunk as Buffer).byteLength);
    },
  };
}

/** A single file (a `.tflite`) as an artifact: listed as the one path `''`. */
export function singleFile(location: string, bytes: Uint8Array): ArtifactFiles {
  return {
    location,
    async list() {
      return new Map([['', bytes.byteLength]]);
    },
    async read(path) {
      if (path !== '') throw new Error(`${location}/${path}: file not found`);
      return bytes;
    },
    async *stream(path) {
      if (path !== '') throw new Error(`${location}/${path}: file not found`);
      yield* chunksOf(bytes);
    },
  };
}
