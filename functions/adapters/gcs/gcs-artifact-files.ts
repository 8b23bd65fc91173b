import type { ArtifactFiles } from '../../artifacts/artifact-files';
import type { ObjectInfo, ObjectReader } from '../../pipeline/ports';

/**
 * An artifact in Cloud Storage seen as files: a SavedModel prefix (`models/x/7/`) or one object
 * (`mobile/x/7/model.tflite`, listed as the single path ''). Pass `listing` when the caller has
 * listed the prefix already, so no second list call is made.
 */
export function gcsArtifactFiles(
  objects: ObjectReader,
  bucket: string,
  root: string,
  listing?: ObjectInfo[],
): ArtifactFiles {
  const isFolder = root.endsWith('/');
  const location = `gs://${bucket}/${isFolder ? root.slice(0, -1) : root}`;
  let cached: Map<string, number> | undefined;
  return {
    location,
    async list() {
      if (!cached) {
        if (!isFolder) {
          const info = await objects.stat(bucket, root);
          cached = new Map(info ? [['', info.size]] : []);
        } else {
          const found = listing ?? (await objects.list(bucket, root));
          cached = new Map(found.filter((o) => !o.name.endsWith('/')).map((o) => [o.name.slice(root.length), o.size]));
        }
      }
      return cached;
    },
    read(path) {
      return objects.read(bucket, isFolder ? `${root}${path}` : root);
    },
    stream(path) {
      return objects.readStream(bucket, isFolder ? `${root}${path}` : root);
    },
  };
}

/** `gs://bucket/path` → its parts; throws for anything else. */
export function parseGcsUri(uri: string): { bucket: string; name: string } {
  const found = /^gs:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!found) throw new Error(`expected a gs://bucket/path URI, got "${uri}"`);
  return { bucket: found[1], name: found[2] };
}
