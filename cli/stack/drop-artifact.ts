import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Storage } from '@google-cloud/storage';

/**
 * Uploads a local artifact the way a person or a training job does: every file of a SavedModel
 * folder under `bucketPath` (saved_model.pb last, as TensorFlow writes it), or one .tflite file.
 * Create-only: a version that exists already is refused, since versions are immutable.
 */
export async function dropArtifact(
  storage: Storage,
  bucket: string,
  localPath: string,
  bucketPath: string,
  order: 'pb-last' | 'pb-first' = 'pb-last',
): Promise<string[]> {
  const info = await stat(localPath).catch(() => undefined);
  if (!info) throw new Error(`${localPath}: no such file or folder`);
  const uploads: Array<[string, string]> = [];
  if (info.isDirectory()) {
    const prefix = bucketPath.endsWith('/') ? bucketPath : `${bucketPath}/`;
    const entries = await readdir(localPath, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = join(entry.parentPath, entry.name);
      uploads.push([full, prefix + relative(localPath, full).split(sep).join('/')]);
    }
    const isPb = (name: string) => name.endsWith('saved_model.pb');
    uploads.sort(
      ([, a], [, b]) =>
        (order === 'pb-last' ? Number(isPb(a)) - Number(isPb(b)) : Number(isPb(b)) - Number(isPb(a))) ||
        a.localeCompare(b),
    );
  } else {
    if (bucketPath.endsWith('/'))
      throw new Error(`${bucketPath}: give the object name for a file (e.g. mobile/flowers/7/model.tflite)`);
    uploads.push([localPath, bucketPath]);
  }
  for (const [file, name] of uploads) {
    try {
      await storage
        .bucket(bucket)
        .file(name)
        .save(await readFile(file), { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    } catch (error) {
      if ((error as { code?: unknown }).code === 412)
        throw new Error(`gs://${bucket}/${name} exists already: artifact versions are immutable, drop a new version`);
      throw error;
    }
  }
  return uploads.map(([, name]) => `gs://${bucket}/${name}`);
}
